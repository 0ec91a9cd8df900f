package io.kaiwa.it;

import org.junit.jupiter.api.Test;

import io.kaiwa.testing.ReadmeExamples;

class ReadmeExamplesTest {
    @Test
    void readmeShowsTheCompiledLongConversationExample() throws Exception {
        ReadmeExamples.assertReadmeShows("src/test/java/io/kaiwa/it/examples/LongConversationExample.java");
    }
}
