package io.kaiwa.runtime.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.kaiwa.runtime.TestUpstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The store's guarantees that no HTTP request shows directly. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class ResponseStoreTest {
    @Inject
    ResponseStore store;

    static ResponseRecord heldTask(String owner) {
        var task = new ResponseRecord();
        task.id = "resp_held" + System.nanoTime();
        task.tenant = "acme";
        task.status = ResponseStatus.IN_PROGRESS;
        task.model = "gpt-chat";
        task.provider = "chat";
        task.createdAt = Instant.now().minusSeconds(120);
        task.background = true;
        task.request = "{}";
        task.input = "[]";
        task.leaseOwner = owner;
        task.leaseUntil = Instant.now().plusSeconds(600);
        return task;
    }

    @Test
    void aWorkerThatNoLongerHoldsATaskStoresNoMoreOfItsEvents() throws Throwable {
        var task = heldTask("worker_other");
        VertxContextSupport.subscribeAndAwait(() -> store.insert(task));
        var late = List.of(new EventRecord(task.id, 0, "{\"type\":\"response.in_progress\",\"sequence_number\":0}"));

        boolean held = VertxContextSupport
                .subscribeAndAwait(() -> store.appendTaskEvents(task.id, "worker_late", late));
        boolean owned = VertxContextSupport.subscribeAndAwait(() -> store.appendTaskEvents(task.id, "worker_other",
                late));

        assertThat(held).isFalse();
        assertThat(owned).isTrue();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> store.events(task.id, -1))).hasSize(1);
    }

    @Test
    void aStatusIsStoredByItsWireName() throws Throwable {
        var task = heldTask("worker_x");
        VertxContextSupport.subscribeAndAwait(() -> store.insert(task));

        assertThat(io.kaiwa.runtime.TestDatabase.number("SELECT count(*) FROM kaiwa_response WHERE id = ? AND "
                + "status = 'in_progress'", task.id)).isEqualTo(1);
        assertThat(VertxContextSupport.subscribeAndAwait(() -> store.find("acme", task.id)).status)
                .isEqualTo(ResponseStatus.IN_PROGRESS);
    }
}
