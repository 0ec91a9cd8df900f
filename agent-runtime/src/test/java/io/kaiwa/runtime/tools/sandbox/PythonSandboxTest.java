package io.kaiwa.runtime.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kaiwa.runtime.TestExtras;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/**
 * The sandbox battery: real code in the real sandbox, trying to get out. Small limits keep it fast.
 */
// Skipped where no sandbox can run (needs /usr/bin/bwrap 0.8+, /usr/bin/python3 and unprivileged user namespaces;
// PythonSandboxUnavailableTest covers that path), failed there under KAIWA_TEST_EXTRAS=required.
class PythonSandboxTest {
    private static final String SECRET = "kaiwa-secret-" + System.nanoTime();
    private static final Path WORK_ROOT = workRoot();
    private static final SandboxSettings SETTINGS = SandboxSettings.builder()
            .workRoot(WORK_ROOT)
            .cpuTime(Duration.ofSeconds(1))
            .wallTimeout(Duration.ofSeconds(3))
            .memoryBytes(256L << 20)
            .maxProcesses(16)
            .maxOutputBytes(4096)
            .maxFileBytes(256 << 10)
            .maxFiles(5)
            .maxDiskBytes(2L << 20)
            .build();
    // The secret sits in bubblewrap's own environment, as anything in the service's environment could.
    private static final PythonSandbox SANDBOX = new PythonSandbox(SETTINGS, Map.of("KAIWA_SANDBOX_SECRET", SECRET));

    @BeforeAll
    static void sandboxWorks() {
        TestExtras.assumeSandbox();
    }

    @AfterEach
    void leavesNoProcessesOrWorkFolders() throws IOException {
        if (SETTINGS.user() instanceof SandboxUser.Dedicated dedicated) {
            assertThat(SandboxProcesses.ofUid(dedicated.uid())).as("processes of the sandbox uid").isEmpty();
        }
        try (var left = Files.list(WORK_ROOT)) {
            assertThat(left).as("work folders left").isEmpty();
        }
    }

    @AfterAll
    static void deleteWorkRoot() throws IOException {
        Files.deleteIfExists(WORK_ROOT);
    }

    private static SandboxResult run(String code) {
        return SANDBOX.run(code);
    }

    @Nested
    class RunningCode {
        @Test
        void returnsTheStdoutOfANormalComputation() {
            SandboxResult result = run("""
                    import math, os
                    print(sum(i * i for i in range(10)), math.factorial(20))
                    print(os.getcwd())
                    """);

            assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo("285 2432902008176640000\n/mnt/data\n");
            assertThat(result.stderr()).isEmpty();
            assertThat(result.files()).isEmpty();
            assertThat(result.killLatency()).isZero();
        }

        @Test
        void reportsAnUncaughtExceptionAsAnErrorWithItsTraceback() {
            SandboxResult result = run("print('before')\n1 / 0\n");

            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stdout()).isEqualTo("before\n");
            assertThat(result.stderr()).contains("ZeroDivisionError");
        }

        @Test
        void givesTheCodeAnEmptyStdin() {
            SandboxResult result = run("""
                    try:
                        input()
                    except EOFError:
                        print('eof')
                    """);

            assertThat(result.stdout()).isEqualTo("eof\n");
        }

        @Test
        void runsOnTheGivenExecutorWhenSubscribed() {
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "sandbox-worker"));
            try {
                var subscriber = SANDBOX.run("print('hello from the uni')", executor)
                        .subscribe().withSubscriber(UniAssertSubscriber.create());

                SandboxResult result = subscriber.awaitItem(Duration.ofSeconds(10)).getItem();
                assertThat(result.stdout()).isEqualTo("hello from the uni\n");
            } finally {
                executor.shutdownNow();
            }
        }

        @Test
        void killsTheRunWhenTheSubscriptionIsCancelled() {
            String marker = "kaiwa-cancel-" + System.nanoTime();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                var subscriber = SANDBOX.run("""
                        import subprocess, time
                        subprocess.Popen(["sh", "-c", "sleep 100 # %s"])
                        time.sleep(100)
                        """.formatted(marker), executor).subscribe().withSubscriber(UniAssertSubscriber.create());
                assertThat(SandboxProcesses.await(Duration.ofSeconds(2),
                        () -> !SandboxProcesses.withMarker(marker).isEmpty())).as("sandbox started").isTrue();

                subscriber.cancel();

                assertThat(SandboxProcesses.await(Duration.ofSeconds(1),
                        () -> SandboxProcesses.withMarker(marker).isEmpty())).as("sandbox killed").isTrue();
                // Wait for the worker to finish deleting the work folder before the @AfterEach check.
                executor.shutdown();
                assertThat(SandboxProcesses.await(Duration.ofSeconds(2), executor::isTerminated)).isTrue();
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Nested
    class HostIsolation {
        @Test
        void cannotSeeHostFiles() throws IOException {
            Path hostCanary = Files.createTempFile(Path.of("/tmp"), "kaiwa-host-canary", ".txt");
            Files.writeString(hostCanary, SECRET);
            try {
                SandboxResult result = run("""
                        import os
                        for path in ["/etc/passwd", "/etc/shadow", "/etc/hostname", "/root", "/home", "/work",
                                     "/work/main/pom.xml", "/sys", "/var", "/run", "/boot", "%s", "/proc/%d/environ"]:
                            try:
                                if os.path.isdir(path):
                                    print(path, "LISTED", os.listdir(path))
                                else:
                                    print(path, "READ", open(path).read()[:100])
                            except OSError as e:
                                print(path, "denied", type(e).__name__)
                        print("root:", sorted(os.listdir("/")))
                        """.formatted(hostCanary, ProcessHandle.current().pid()));

                assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
                assertThat(result.stdout()).doesNotContain("READ", "LISTED", SECRET);
                assertThat(result.stdout().lines().filter(line -> line.contains(" denied "))).hasSize(13);
                String root = result.stdout().lines().filter(line -> line.startsWith("root: ")).findFirst()
                        .orElseThrow();
                assertThat(root.substring(7, root.length() - 1).replace("'", "").split(", "))
                        .contains("dev", "mnt", "proc", "tmp", "usr")
                        .isSubsetOf("bin", "sbin", "lib", "lib32", "lib64", "libx32", "dev", "mnt", "proc", "tmp",
                                "usr");
            } finally {
                Files.delete(hostCanary);
            }
        }

        @Test
        void seesOnlyItsOwnProcessesAndAMinimalEnvironment() {
            SandboxResult result = run("""
                    import os
                    print("pids", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
                    try:
                        print("init-environ", open("/proc/1/environ").read())
                    except PermissionError:
                        print("init-environ denied")
                    print("self-environ", open("/proc/self/environ").read())
                    print("keys", ",".join(sorted(os.environ)))
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.stdout()).doesNotContain(SECRET, "KAIWA_SANDBOX_SECRET", "JAVA_HOME", "/root");
            assertThat(result.stdout()).contains("pids [1, 2]");
            // The sandbox's init is undumpable: its environment is not even readable.
            assertThat(result.stdout()).contains("init-environ denied");
            Set<String> keys = Set.of(result.stdout().lines().filter(line -> line.startsWith("keys "))
                    .findFirst().orElseThrow().substring(5).split(","));
            assertThat(keys).isSubsetOf("PATH", "HOME", "TMPDIR", "LANG", "PYTHONDONTWRITEBYTECODE",
                    "PYTHONUNBUFFERED", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MPLBACKEND", "PWD", "LC_CTYPE");
        }

        @Test
        void cannotWriteOutsideItsWorkFolder() throws IOException {
            String name = "kaiwa-escape-" + System.nanoTime();
            SandboxResult result = run("""
                    for path in ["/usr/%1$s", "/%1$s", "/etc/%1$s", "/dev/%1$s", "/proc/%1$s", "/mnt/%1$s",
                                 "/tmp/%1$s"]:
                        try:
                            open(path, "w").write("escaped")
                            print(path, "written")
                        except OSError as e:
                            print(path, "denied", type(e).__name__)
                    """.formatted(name));

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            // Only the sandbox's private, memory-backed /tmp takes the write; the host's /tmp never sees it.
            assertThat(result.stdout()).contains("/tmp/" + name + " written");
            assertThat(result.stdout().lines().filter(line -> line.contains(" denied "))).hasSize(6);
            for (String dir : List.of("/usr", "/", "/etc", "/dev", "/mnt", "/tmp", WORK_ROOT.toString())) {
                assertThat(Path.of(dir, name)).doesNotExist();
            }
        }
    }

    @Nested
    class Network {
        @Test
        void reachesNoHostListenerAndFailsFastOnTheMetadataAddress() throws Exception {
            AtomicInteger accepts = new AtomicInteger();
            try (ServerSocket canary = new ServerSocket()) {
                // Bound to every address, so the loopback and the host's own addresses are all tried.
                canary.bind(new InetSocketAddress(0));
                Thread acceptor = new Thread(() -> {
                    while (!canary.isClosed()) {
                        try (Socket socket = canary.accept()) {
                            accepts.incrementAndGet();
                        } catch (IOException e) {
                            return;
                        }
                    }
                }, "canary");
                acceptor.setDaemon(true);
                acceptor.start();
                try (Socket control = new Socket(InetAddress.getLoopbackAddress(), canary.getLocalPort())) {
                    assertThat(SandboxProcesses.await(Duration.ofSeconds(2), () -> accepts.get() == 1))
                            .as("the canary counts connections").isTrue();
                }
                List<String> targets = hostAddresses();

                SandboxResult result = run("""
                        import socket, time
                        for host, port in [(h, %d) for h in %s] + [("169.254.169.254", 80)]:
                            start = time.monotonic()
                            try:
                                socket.create_connection((host, port), timeout=5).close()
                                outcome = "CONNECTED"
                            except OSError as e:
                                outcome = "failed " + type(e).__name__
                            print(host, outcome, round(time.monotonic() - start, 3))
                        try:
                            socket.getaddrinfo("example.com", 443)
                            print("dns RESOLVED")
                        except OSError as e:
                            print("dns failed", type(e).__name__)
                        """.formatted(canary.getLocalPort(), toPythonList(targets)));

                assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
                assertThat(result.stdout()).doesNotContain("CONNECTED", "RESOLVED");
                assertThat(result.stdout().lines().filter(line -> line.contains(" failed "))).hasSize(
                        targets.size() + 2);
                String metadata = result.stdout().lines().filter(line -> line.startsWith("169.254.169.254"))
                        .findFirst().orElseThrow();
                assertThat(Double.parseDouble(metadata.substring(metadata.lastIndexOf(' ') + 1))).isLessThan(1.0);
                assertThat(accepts).hasValue(1);
            }
        }

        private static List<String> hostAddresses() throws IOException {
            List<String> addresses = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> address instanceof Inet4Address)
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.toList());
            if (!addresses.contains("127.0.0.1")) {
                addresses.add("127.0.0.1");
            }
            return addresses;
        }

        private static String toPythonList(List<String> values) {
            return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(", ", "[", "]"));
        }
    }

    @Nested
    class Limits {
        @Test
        void theSandboxsInitHasTheLimitsTooAndCannotBeTracedByTheCode() {
            SandboxResult result = run("""
                    import ctypes
                    limits = open('/proc/1/limits').read().splitlines()
                    print([l.split()[2] for l in limits if l.startswith('Max processes')][0])
                    print([l.split()[3] for l in limits if l.startswith('Max address space')][0])
                    libc = ctypes.CDLL(None, use_errno=True)
                    print(libc.ptrace(16, 1, 0, 0), ctypes.get_errno())
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            String[] lines = result.stdout().split("\n");
            assertThat(lines[0]).isEqualTo("16");
            assertThat(lines[1]).isEqualTo(Long.toString(256L << 20));
            // PTRACE_ATTACH on the undumpable init: EPERM (1).
            assertThat(lines[2]).isEqualTo("-1 1");
        }

        @Test
        void capsTheNumberOfProcesses() {
            SandboxResult result = run("""
                    import os, time
                    forks = 0
                    try:
                        while True:
                            if os.fork() == 0:
                                time.sleep(100)
                                os._exit(0)
                            forks += 1
                    except OSError as e:
                        print(forks, type(e).__name__)
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            // Init and the interpreter count too: 16 - 2 forks.
            assertThat(result.stdout()).isEqualTo("14 BlockingIOError\n");
        }

        @Test
        void survivesAForkBombAndStaysUsable() {
            SandboxResult bomb = run("""
                    import os
                    while True:
                        try:
                            os.fork()
                        except OSError:
                            pass
                    """);

            assertThat(bomb.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(bomb.wall()).isLessThan(Duration.ofSeconds(5));
            System.out.printf("fork bomb: wall %d ms, kill latency %d ms%n", bomb.wall().toMillis(),
                    bomb.killLatency().toMillis());
            assertThat(run("print('fine')").stdout()).isEqualTo("fine\n");
        }

        @Test
        void stopsAMemoryBomb() {
            // Filling pages costs CPU time: give it more than the battery's one second, so memory runs out first.
            PythonSandbox roomy = new PythonSandbox(SETTINGS.toBuilder().cpuTime(Duration.ofSeconds(5))
                    .memoryBytes(128L << 20).build());

            SandboxResult result = roomy.run("""
                    hoard = []
                    while True:
                        hoard.append(bytearray(16 * 1024 * 1024))
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.MEMORY_LIMIT);
            assertThat(result.stderr()).contains("MemoryError");
        }

        @Test
        void stopsACpuBombAtItsCpuLimit() {
            SandboxResult result = run("while True:\n    pass\n");

            assertThat(result.outcome()).isEqualTo(Outcome.CPU_LIMIT);
            assertThat(result.exitCode()).isEqualTo(128 + 24);
            assertThat(result.wall()).isBetween(Duration.ofMillis(900), Duration.ofMillis(2900));
        }

        @Test
        void truncatesAndKillsEndlessOutput() {
            SandboxResult result = run("""
                    import sys
                    print("first line")
                    while True:
                        print("x" * 100)
                        sys.stderr.write("e" * 100 + "\\n")
                    """);

            assertThat(result.outcome()).isEqualTo(Outcome.OUTPUT_LIMIT);
            assertThat(result.wall()).isLessThan(Duration.ofSeconds(2));
            assertThat(result.stdout()).startsWith("first line\n").contains("bytes of output omitted ...]");
            assertThat(result.stdout().getBytes(StandardCharsets.UTF_8).length).isLessThan(4096 + 100);
            assertThat(result.stderr().getBytes(StandardCharsets.UTF_8).length).isLessThan(4096 + 100);
            assertThat(result.killLatency()).isPositive().isLessThan(Duration.ofSeconds(1));
        }

        @Test
        void keepsTheHeadAndTailOfLongButFiniteOutput() {
            SandboxResult result = run("""
                    for i in range(1000):
                        print("line", i)
                    """);

            assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.stdout()).startsWith("line 0\n").endsWith("line 999\n").contains("omitted");
        }

        @Test
        void refusesAFileLargerThanTheFileLimit() {
            SandboxResult result = run("open('big.bin', 'wb').write(b'x' * (1024 * 1024))\n");

            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.stderr()).contains("File too large");
        }

        @Test
        void killsARunThatFloodsTheDisk() {
            SandboxResult result = run("""
                    i = 0
                    while True:
                        with open(f"part{i}.bin", "wb") as f:
                            f.write(b"x" * 100_000)
                        i += 1
                    """);

            assertThat(result.outcome()).isEqualTo(Outcome.OUTPUT_LIMIT);
            assertThat(result.wall()).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Nested
    class Teardown {
        @Test
        void killsEveryProcessAtTheDeadlineHoweverItDetached() {
            String marker = "kaiwa-survivor-" + System.nanoTime();
            SandboxResult result = run("""
                    import os, subprocess, time
                    loop = "while :; do date >> %1$s.log; sleep 0.05; done # %1$s"
                    subprocess.Popen(["setsid", "sh", "-c", loop])
                    subprocess.Popen(["nohup", "sh", "-c", loop], stdout=subprocess.DEVNULL)
                    subprocess.Popen(loop + " &", shell=True, start_new_session=True)
                    if os.fork() == 0:
                        os.setsid()
                        if os.fork() == 0:
                            os.execvp("sh", ["sh", "-c", loop])
                        os._exit(0)
                    print("detached", flush=True)
                    time.sleep(100)
                    """.formatted(marker));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(result.stdout()).isEqualTo("detached\n");
            assertThat(result.exitCode()).isEqualTo(137);
            assertThat(SandboxProcesses.withMarker(marker)).isEmpty();
            assertThat(result.files()).extracting(OutputFile::name).containsExactly(marker + ".log");
            assertThat(result.killLatency()).isLessThan(Duration.ofSeconds(1));
            System.out.printf("timeout with detached processes: wall %d ms, kill latency %d ms%n",
                    result.wall().toMillis(), result.killLatency().toMillis());
        }

        @Test
        void killsBackgroundProcessesWhenTheCodeExitsNormally() {
            String marker = "kaiwa-leftover-" + System.nanoTime();
            SandboxResult result = run("""
                    import subprocess
                    subprocess.Popen(["setsid", "sh", "-c", "sleep 100 # %s"])
                    print("bye")
                    """.formatted(marker));

            assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.wall()).isLessThan(Duration.ofSeconds(2));
            assertThat(SandboxProcesses.withMarker(marker)).isEmpty();
        }
    }

    @Nested
    class Outputs {
        @Test
        void returnsFilesAndFlagsImages() {
            SandboxResult result = run("""
                    import os, struct, zlib

                    def chunk(kind, data):
                        return (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))

                    width, height = 4, 3
                    rows = b"".join(b"\\x00" + bytes([255, 0, 0]) * width for _ in range(height))
                    png = (b"\\x89PNG\\r\\n\\x1a\\n"
                           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
                    os.makedirs("plots")
                    open("plots/red.png", "wb").write(png)
                    open("table.csv", "w").write("a,b\\n1,2\\n")
                    open("fake.png", "w").write("not an image")
                    open("drawing.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg"/>')
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.files()).extracting(OutputFile::name, OutputFile::mediaType, OutputFile::image)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("drawing.svg", "image/svg+xml", true),
                            org.assertj.core.groups.Tuple.tuple("fake.png", "application/octet-stream", false),
                            org.assertj.core.groups.Tuple.tuple("plots/red.png", "image/png", true),
                            org.assertj.core.groups.Tuple.tuple("table.csv", "text/csv", false));
            assertThat(result.files().get(3).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("a,b\n1,2\n");
            byte[] png = result.files().get(2).bytes();
            assertThat(Arrays.copyOfRange(png, 12, 16)).asString(StandardCharsets.US_ASCII).isEqualTo("IHDR");
        }

        @Test
        void neverFollowsALinkOutOfTheWorkFolder() throws IOException {
            Path hostSecret = Files.createTempFile(WORK_ROOT.getParent(), "kaiwa-link-target", ".txt");
            Files.writeString(hostSecret, SECRET);
            try {
                SandboxResult result = run("""
                        import os
                        os.symlink("%s", "secret.txt")
                        os.symlink("/usr/bin", "bin")
                        os.mkfifo("pipe")
                        open("real.txt", "w").write("ok")
                        """.formatted(hostSecret));

                assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
                assertThat(result.files()).extracting(OutputFile::name).containsExactly("real.txt");
            } finally {
                Files.delete(hostSecret);
            }
        }

        @Test
        void returnsAndDeletesFilesTheCodeLockedAway() {
            SandboxResult result = run("""
                    import os
                    os.makedirs("outer/inner")
                    open("outer/inner/deep.txt", "w").write("deep")
                    open("locked.txt", "w").write("locked")
                    os.chmod("locked.txt", 0)
                    os.chmod("outer/inner", 0)
                    os.chmod("outer", 0)
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.files()).extracting(OutputFile::name).containsExactly("locked.txt",
                    "outer/inner/deep.txt");
        }

        @Test
        void capsTheNumberAndSizeOfFilesReturned() {
            SandboxResult result = run("""
                    for i in range(7):
                        open(f"f{i}.txt", "w").write("x" * 10)
                    open("huge.bin", "wb").write(b"x" * (200 * 1024))
                    open("huge2.bin", "wb").write(b"x" * (200 * 1024))
                    """);

            assertThat(result.outcome()).as(result.stderr()).isEqualTo(Outcome.COMPLETED);
            assertThat(result.files()).extracting(OutputFile::name)
                    .containsExactly("f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt");
            assertThat(result.skippedFiles()).containsExactly("f5.txt", "f6.txt", "huge.bin", "huge2.bin");
        }

        @Test
        void dropsFilesBeyondTheTotalSize() {
            SandboxResult result = run("""
                    open("a.bin", "wb").write(b"x" * (200 * 1024))
                    open("b.bin", "wb").write(b"x" * (200 * 1024))
                    """);

            assertThat(result.files()).extracting(OutputFile::name).containsExactly("a.bin");
            assertThat(result.skippedFiles()).containsExactly("b.bin");
        }
    }

    private static Path workRoot() {
        try {
            Path root = Files.createTempDirectory("kaiwa-sandbox-test");
            // The sandbox uid must traverse it to reach its work folder.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
