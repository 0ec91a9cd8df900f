package io.kaiwa.responses;

import org.junit.jupiter.api.Test;

import io.kaiwa.testing.ReadmeExamples;

/** The README's Responses example is this module's compiled {@code ResponsesExample}, word for word. */
class ReadmeExamplesTest {
    @Test
    void readmeShowsTheCompiledResponsesExample() throws Exception {
        ReadmeExamples.assertReadmeShows("src/test/java/io/kaiwa/responses/examples/ResponsesExample.java");
    }
}
