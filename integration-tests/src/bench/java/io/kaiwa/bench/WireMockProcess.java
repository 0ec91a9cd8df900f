package io.kaiwa.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

/** A WireMock server in its own JVM on loopback, so its CPU and allocation are not charged to the clients. */
final class WireMockProcess implements AutoCloseable {
    private final Process process;
    final int port;
    final WireMock admin;

    WireMockProcess() throws IOException, InterruptedException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String jar;
        try {
            jar = Path.of(WireMockServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<String>();
        String cpu = System.getProperty("bench.upstream.cpu");
        if (cpu != null && new File("/usr/bin/taskset").canExecute()) {
            // Pinning the upstream to its own core keeps it from competing with the clients being measured.
            command.addAll(List.of("/usr/bin/taskset", "-c", cpu));
        }
        command.addAll(List.of(java, "-Xmx512m", "-cp", jar, "wiremock.Run", "--port", Integer.toString(port),
                "--bind-address", "127.0.0.1", "--no-request-journal", "--disable-banner", "--container-threads",
                "32"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "kaiwa-bench-wiremock.log")).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (var s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IOException("WireMock did not start on port " + port);
                }
                Thread.sleep(100);
            }
        }
        admin = new WireMock("127.0.0.1", port);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
