package io.kaiwa.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server for the faults WireMock cannot script: a stream that sends some events and then
 * resets the connection, and a stream that runs until the client goes away (to see that it does).
 */
public final class RawHttpServer implements AutoCloseable {
    /** What the server does with an accepted request's socket after the request has been read. */
    public interface Script {
        /**
         * @param socket the accepted connection
         * @param out its output
         * @throws IOException when the client is gone
         * @throws InterruptedException when the test ends
         */
        void run(Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    /** How many requests were read. */
    public final AtomicInteger requests = new AtomicInteger();
    /** Counts down when a script fails because the client went away. */
    public final CountDownLatch clientGone = new CountDownLatch(1);

    /**
     * @param script runs for every request, on its own thread
     * @throws IOException when no loopback port is free
     */
    public RawHttpServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    var worker = new Thread(() -> serve(socket, script), "raw-http-serve");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket socket, Script script) {
        try (socket) {
            readRequest(socket.getInputStream());
            requests.incrementAndGet();
            script.run(socket, socket.getOutputStream());
        } catch (IOException | InterruptedException e) {
            clientGone.countDown();
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }

    /** @param out writes a 200 event-stream head with chunked encoding @throws IOException when the client is gone */
    public static void writeStreamHead(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * @param out the connection
     * @param data one chunk's text
     * @throws IOException when the client is gone
     */
    public static void writeChunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Closes with a TCP reset rather than an orderly FIN, as a crashed upstream or proxy does.
     *
     * @param socket the connection
     * @throws IOException when closing fails
     */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** @return the server's base URL on loopback */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * @param seconds how long to wait
     * @return whether a script saw the client go away in time
     * @throws InterruptedException when the test ends
     */
    public boolean awaitClientGone(long seconds) throws InterruptedException {
        return clientGone.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
