package io.kaiwa.chat;

import org.junit.jupiter.api.Test;

import io.kaiwa.testing.ReadmeExamples;

/** The README's chat example is this module's compiled {@code ChatExample}, word for word. */
class ReadmeExamplesTest {
    @Test
    void readmeShowsTheCompiledChatExample() throws Exception {
        ReadmeExamples.assertReadmeShows("src/test/java/io/kaiwa/chat/examples/ChatExample.java");
    }
}
