package io.kaiwa.runtime.tools.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/** Waits for a search's outcome, with a bound, so a hung request fails the test instead of the build. */
final class Await {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Await() {
    }

    static SearchResults results(Uni<SearchResults> search) {
        return search.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem(LIMIT).getItem();
    }

    static SearchException failure(Uni<SearchResults> search) {
        Throwable failure = search.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure(LIMIT)
                .getFailure();
        assertThat(failure).isInstanceOf(SearchException.class);
        return (SearchException) failure;
    }

    /** @return a loopback port nothing listens on (it was just free, and is closed again) */
    static int closedPort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
