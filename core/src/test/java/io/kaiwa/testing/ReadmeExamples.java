package io.kaiwa.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps the README's library examples true: each is a compiled test source, shown word for word. */
public final class ReadmeExamples {
    private ReadmeExamples() {
    }

    /**
     * @param source a module-relative path to an example's source
     * @throws IOException when a file cannot be read
     */
    public static void assertReadmeShows(String source) throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        String example = Files.readString(Path.of(source), StandardCharsets.UTF_8);

        assertThat(readme).contains(example.substring(example.indexOf("import ")).strip());
    }
}
