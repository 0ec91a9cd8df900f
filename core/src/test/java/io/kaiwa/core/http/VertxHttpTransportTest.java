package io.kaiwa.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class VertxHttpTransportTest {
    @Test
    void aPrivateInstanceRunsOnNativeEpollOnLinux() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64")
                || arch.equals("aarch64")), "the adapters ship Netty's epoll library for Linux x86_64 and aarch64");
        try (var transport = VertxHttpTransport.create(null, Duration.ofSeconds(1), 1)) {
            assertThat(transport.nativeTransport()).isTrue();
        }
    }

    @Test
    void aSharedInstanceIsLeftAsItIs() {
        var vertx = io.vertx.core.Vertx.vertx();
        try (var transport = VertxHttpTransport.create(vertx, Duration.ofSeconds(1), 1)) {
            assertThat(transport.nativeTransport()).isEqualTo(vertx.isNativeTransportEnabled());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
