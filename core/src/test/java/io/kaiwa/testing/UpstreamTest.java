package io.kaiwa.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.vertx.core.Vertx;

/** A WireMock upstream on a dynamic loopback port, and one Vert.x instance shared by a test class's adapters. */
public abstract class UpstreamTest {
    /** The upstream, reset between tests. */
    @RegisterExtension
    protected static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    /** Shared by the class's adapters, so that each test does not start its own. */
    protected static Vertx vertx;

    /** Starts the shared Vert.x. */
    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    /** Stops the shared Vert.x. */
    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
