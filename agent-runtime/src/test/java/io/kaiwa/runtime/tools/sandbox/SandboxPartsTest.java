package io.kaiwa.runtime.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces that need no sandbox: capture, media types, settings, command line. */
class SandboxPartsTest {

    @Nested
    class Capture {
        @Test
        void keepsShortOutputWhole() {
            BoundedCapture capture = capture("hello\n", 64, new AtomicInteger());

            assertThat(capture.text()).isEqualTo("hello\n");
        }

        @Test
        void keepsHeadAndTailOfLongOutput() {
            String text = "0123456789".repeat(10);
            BoundedCapture capture = capture(text, 20, new AtomicInteger());

            assertThat(capture.text()).isEqualTo("0123456789\n[... 80 bytes of output omitted ...]\n0123456789");
            assertThat(capture.total()).isEqualTo(100);
        }

        @Test
        void keepsOutputOfExactlyTheCapWhole() {
            BoundedCapture capture = capture("abcdefghij", 10, new AtomicInteger());

            assertThat(capture.text()).isEqualTo("abcdefghij");
        }

        @Test
        void callsForAKillOnceWhenOutputRunsAway() {
            AtomicInteger kills = new AtomicInteger();
            capture("x".repeat(64 * BoundedCapture.RUNAWAY_FACTOR * 3), 64, kills);

            assertThat(kills).hasValue(1);
        }

        @Test
        void toleratesOutputJustPastTheCap() {
            AtomicInteger kills = new AtomicInteger();
            capture("x".repeat(64 * 2), 64, kills);

            assertThat(kills).hasValue(0);
        }

        private BoundedCapture capture(String text, int cap, AtomicInteger kills) {
            BoundedCapture capture = new BoundedCapture(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), cap, kills::incrementAndGet);
            capture.run();
            return capture;
        }
    }

    @ParameterizedTest
    @CsvSource({"a.png, 89504e470d0a1a0a, image/png", "photo.jpg, ffd8ffe0, image/jpeg",
            "anim.gif, 474946383961, image/gif", "noext, 89504e470d0a1a0a, image/png",
            "fake.png, 68656c6c6f, application/octet-stream", "notes.TXT, 68656c6c6f, text/plain",
            "data.csv, 612c620a, text/csv", "blob.bin, 00, application/octet-stream",
            "d.svg, 3c737667, image/svg+xml", "e.svg, 68656c6c6f, application/octet-stream"})
    void judgesMediaTypesFromContentAndName(String name, String hex, String expected) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);

        assertThat(MediaTypes.of(name, bytes)).isEqualTo(expected);
        assertThat(OutputFile.of(name, bytes).image()).isEqualTo(expected.startsWith("image/"));
    }

    @Test
    void outputFilesAreImmutableValues() {
        byte[] bytes = {1, 2, 3};
        OutputFile file = OutputFile.of("f.bin", bytes);
        bytes[0] = 9;
        file.bytes()[1] = 9;

        assertThat(file.bytes()).containsExactly(1, 2, 3);
        assertThat(file).isEqualTo(OutputFile.of("f.bin", new byte[]{1, 2, 3}));
        assertThat(file.toString()).contains("size=3");
    }

    @Test
    void rejectsSettingsOutOfRange() {
        assertThatThrownBy(() -> SandboxSettings.builder().wallTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wallTimeout");
        assertThatThrownBy(() -> SandboxSettings.builder().maxProcesses(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxProcesses");
        assertThatThrownBy(() -> SandboxSettings.builder().python(Path.of("python3")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> SandboxUser.dedicated(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundsCpuTimeUpToWholeSeconds() {
        assertThat(SandboxSettings.builder().cpuTime(Duration.ofMillis(1500)).build().cpuSeconds()).isEqualTo(2);
        assertThat(SandboxSettings.builder().cpuTime(Duration.ofMillis(10)).build().cpuSeconds()).isEqualTo(1);
    }

    @Test
    void passesTheCodeOnlyOnStdinAndDropsPrivilegesForADedicatedUser() {
        SandboxSettings settings = SandboxSettings.builder().user(SandboxUser.dedicated(65_000, 65_001)).build();

        List<String> argv = SandboxCommand.build(settings, Path.of("/tmp/work"));

        assertThat(argv.subList(0, 8)).containsExactly("/usr/bin/setpriv", "--reuid=65000", "--regid=65001",
                "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--");
        assertThat(argv).contains("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                "--as-pid-1", "--clearenv");
        assertThat(argv).containsSequence("--bind", "/tmp/work", "/mnt/data");
        assertThat(argv.subList(argv.size() - 5, argv.size())).containsExactly("/usr/bin/python3", "-B", "-u", "-s",
                "-");
    }

    @Test
    void runsBubblewrapDirectlyAsTheCurrentUser() {
        SandboxSettings settings = SandboxSettings.builder().user(SandboxUser.current()).build();

        assertThat(SandboxCommand.build(settings, Path.of("/tmp/work")).get(0)).isEqualTo("/usr/bin/bwrap");
    }
}
