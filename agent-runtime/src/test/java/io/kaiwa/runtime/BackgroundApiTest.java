package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.globex;
import static io.kaiwa.runtime.StreamingApiTest.chunk;
import static io.kaiwa.runtime.StreamingApiTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.persistence.EventRecord;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class BackgroundApiTest {
    @Inject
    ResponseStore store;

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static void slowChatAnswer(String text, int delayMillis) {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream").withFixedDelay(delayMillis)
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"" + text + "\"}", null) + chunk("{}", "stop")
                        + "data: [DONE]\n\n")));
    }

    static JsonNode awaitStatus(String id, String... statuses) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Response r = acme().get("/v1/responses/" + id);
            JsonNode body = ResponsesApiTest.tree(r.asString());
            if (List.of(statuses).contains(body.path("status").asText()) || System.nanoTime() > deadline) {
                return body;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aBackgroundResponseAnswersQueuedAtOnceAndCompletesOnTheServer() {
        slowChatAnswer("later", 3_000);

        long start = System.nanoTime();
        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"background\":true}").post("/v1/responses");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("status")).isEqualTo("queued");
        assertThat(r.jsonPath().getBoolean("background")).isTrue();
        // The answer takes 3 s upstream; the reply did not wait for it (even on a cold first request).
        assertThat(millis).isLessThan(2_500);
        JsonNode done = awaitStatus(r.jsonPath().getString("id"), "completed");
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("later");
    }

    @Test
    void cancellingStopsTheTaskAndAnotherTenantCannot() {
        slowChatAnswer("never", 5_000);
        String id = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"background\":true}").post("/v1/responses")
                .jsonPath().getString("id");
        awaitStatus(id, "in_progress");

        assertThat(globex().post("/v1/responses/" + id + "/cancel").statusCode()).isEqualTo(404);
        long start = System.nanoTime();
        Response cancelled = acme().post("/v1/responses/" + id + "/cancel");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(cancelled.jsonPath().getString("status")).isEqualTo("cancelled");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        List<JsonNode> events = events(acme().get("/v1/responses/" + id + "?stream=true").asString());
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("response.cancelled");
    }

    @Test
    void aStreamIsResumedAfterTheLastEventTheClientHad() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"a\"}", null) + chunk("{\"content\":\"b\"}", null)
                        + chunk("{}", "stop") + "data: [DONE]\n\n")));

        Response first = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"background\":true,\"stream\":true}")
                .post("/v1/responses");
        List<JsonNode> all = events(first.asString());
        String id = all.get(0).at("/response/id").asText();
        Response resumed = acme().get("/v1/responses/" + id + "?stream=true&starting_after=4");

        assertThat(all).extracting(e -> e.get("type").asText()).startsWith("response.created", "response.queued",
                "response.in_progress").endsWith("response.completed");
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).get("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(events(resumed.asString())).isEqualTo(all.subList(5, all.size()));
    }

    /** A task as a worker that claimed it and then died leaves it: in progress, lease run out. */
    static ResponseRecord orphan() {
        var orphan = new ResponseRecord();
        orphan.id = "resp_orphan" + System.nanoTime();
        orphan.tenant = "acme";
        orphan.status = ResponseStatus.IN_PROGRESS;
        orphan.model = "gpt-chat";
        orphan.provider = "chat";
        orphan.createdAt = Instant.now().minusSeconds(120);
        orphan.background = true;
        orphan.request = "{}";
        orphan.input = "[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]";
        orphan.leaseOwner = "worker_dead";
        orphan.leaseUntil = Instant.now().minusSeconds(60);
        return orphan;
    }

    static void answers(String text) {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"" + text + "\"}", null)
                        + chunk("{}", "stop") + "data: [DONE]\n\n")));
    }

    @Test
    void aTaskWhoseWorkerDiedIsTakenOverAndFinished() throws Throwable {
        answers("recovered");
        var orphan = orphan();
        VertxContextSupport.subscribeAndAwait(() -> store.insert(orphan));

        JsonNode done = awaitStatus(orphan.id, "completed");

        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("recovered");
    }

    @Test
    void aTakenOverTaskReplacesTheDeadWorkersEventsAndNeverReusesTheirNumbers() throws Throwable {
        answers("second run");
        var orphan = orphan();
        // Queued with events 0 and 1; the dead worker had stored 2 to 4 of its own run before it died.
        orphan.nextSequence = 2;
        var stored = new ArrayList<EventRecord>();
        for (int i = 0; i < 5; i++) {
            String who = i < 2 ? "queued" : "dead";
            stored.add(new EventRecord(orphan.id, i, "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + i
                    + ",\"delta\":\"" + who + "\"}"));
        }
        VertxContextSupport.subscribeAndAwait(() -> store.insert(orphan, stored));

        awaitStatus(orphan.id, "completed");
        List<JsonNode> events = events(acme().get("/v1/responses/" + orphan.id + "?stream=true").asString());

        assertThat(events).extracting(e -> e.path("delta").asText()).doesNotContain("dead");
        assertThat(events.subList(0, 2)).extracting(e -> e.get("sequence_number").asInt()).containsExactly(0, 1);
        assertThat(events.get(2).get("sequence_number").asInt()).isEqualTo(5);
        for (int i = 3; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence_number").asInt())
                    .isEqualTo(events.get(i - 1).get("sequence_number").asInt() + 1);
        }
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("response.completed");
        assertThat(events).extracting(e -> e.path("delta").asText()).contains("second run");
    }

    @Test
    void aDeadWorkersTaskThatWasCancelledEndsCancelledWithoutAskingTheProviderAgain() throws Throwable {
        answers("should not run");
        var orphan = orphan();
        orphan.cancelRequested = true;
        orphan.input = orphan.input.replace("\"hi\"", "\"" + orphan.id + "\"");
        VertxContextSupport.subscribeAndAwait(() -> store.insert(orphan));

        JsonNode done = awaitStatus(orphan.id, "cancelled");

        assertThat(done.get("status").asText()).isEqualTo("cancelled");
        // Other tests' tasks may still reach the upstream; this one's input never does.
        assertThat(TestUpstreams.upstream.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString()
                .contains(orphan.id));
    }

    @Test
    void aWorkerThatNoLongerHoldsATaskStoresNoMoreOfItsEvents() throws Throwable {
        var task = orphan();
        task.leaseUntil = Instant.now().plusSeconds(600);
        task.leaseOwner = "worker_other";
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
}
