package io.kaiwa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README's library example is this module's compiled {@code ChatExample}, word for word. */
class ReadmeExamplesTest {
    @Test
    void readmeShowsTheCompiledChatExample() throws Exception {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        String example = Files.readString(Path.of("src/test/java/io/kaiwa/chat/examples/ChatExample.java"),
                StandardCharsets.UTF_8);
        String body = example.substring(example.indexOf("import "));

        assertThat(readme).contains(body.strip());
    }
}
