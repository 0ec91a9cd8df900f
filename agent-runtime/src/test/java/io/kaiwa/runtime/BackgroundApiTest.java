package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.globex;
import static io.kaiwa.runtime.StreamingApiTest.chunk;
import static io.kaiwa.runtime.StreamingApiTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.common.Ids;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class BackgroundApiTest {
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
        return awaitStatus(ResponsesApiTest::acme, id, statuses);
    }

    /** @return the response once it has one of the statuses, or as it is after ten seconds */
    static JsonNode awaitStatus(Supplier<RequestSpecification> caller, String id, String... statuses) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Response r = caller.get().get("/v1/responses/" + id);
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

    @Test
    void aStreamResumedAtOrPastItsLastEventEndsAtOnce() throws Exception {
        answers("done");
        String id = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"background\":true}")
                .post("/v1/responses").jsonPath().getString("id");
        awaitStatus(id, "completed");
        int last = (int) TestDatabase.number("SELECT max(sequence_number) FROM kaiwa_response_event WHERE "
                + "response_id = ?", id);
        HttpClient http = HttpClient.newHttpClient();

        for (int after : new int[]{last, last + 1, 1_000}) {
            HttpResponse<String> resumed = http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + RestAssured.port + "/v1/responses/" + id + "?stream=true&starting_after=" + after))
                    .header("Authorization", "Bearer sk-acme-test").build(), HttpResponse.BodyHandlers.ofString())
                    .get(5, TimeUnit.SECONDS);

            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(resumed.body()).as("after %d", after).isEmpty();
        }
    }

    @Test
    void aFollowerHearsOfEventsAnotherInstanceStoresWithoutLookingForThem() throws Exception {
        // A task another instance's worker holds, with its first event stored; this instance only follows it (its
        // periodic look at the database is a minute away in these tests: only the notification can wake it).
        String id = Ids.next("resp");
        TestDatabase.transaction(new TestDatabase.Statement("INSERT INTO kaiwa_response (id, tenant, status, model, "
                + "provider, created_at, background, request, input, lease_owner, lease_until) VALUES (?, 'acme', "
                + "'in_progress', 'gpt-chat', 'chat', now(), true, '{}', '[]', 'worker_elsewhere/1', now() + "
                + "interval '10 minutes')", id), event(id, 0, "response.in_progress"));
        HttpClient http = HttpClient.newHttpClient();
        var lines = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/v1/responses/" + id + "?stream=true")).header("Authorization", "Bearer sk-acme-test").build(),
                HttpResponse.BodyHandlers.ofLines()).body().iterator();
        assertThat(lines.next()).isEqualTo("event: response.in_progress");

        long wrote = System.nanoTime();
        TestDatabase.transaction(event(id, 1, "response.completed"), new TestDatabase.Statement(
                "UPDATE kaiwa_response SET status = 'completed', completed_at = now(), lease_owner = NULL WHERE id = ?",
                id), new TestDatabase.Statement("SELECT pg_notify('kaiwa_events', ?)", id));
        var rest = CompletableFuture.supplyAsync(() -> {
            var seen = new ArrayList<String>();
            lines.forEachRemaining(seen::add);
            return seen;
        });

        assertThat(rest.get(10, TimeUnit.SECONDS)).contains("event: response.completed");
        assertThat(Duration.ofNanos(System.nanoTime() - wrote)).isLessThan(Duration.ofSeconds(10));
    }

    static TestDatabase.Statement event(String id, int sequence, String type) {
        return new TestDatabase.Statement("INSERT INTO kaiwa_response_event (response_id, sequence_number, data) "
                + "VALUES (?, ?, ?)", id, sequence,
                "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence
                        + "}");
    }

    /** A task as a worker that claimed it and then died leaves it: in progress, lease run out. */
    record Orphan(String id, String input, boolean cancelRequested, int nextSequence) {
        static Orphan of() {
            String id = Ids.next("resp");
            return new Orphan(id, "[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"hi\"}]}]", false, 0);
        }

        /** Stores it, as the dead worker's instance left it, with events already stored. */
        void store(TestDatabase.Statement... events) {
            var all = new ArrayList<TestDatabase.Statement>();
            all.add(new TestDatabase.Statement("INSERT INTO kaiwa_response (id, tenant, status, model, provider, "
                    + "created_at, background, request, input, lease_owner, lease_until, cancel_requested, "
                    + "next_sequence) VALUES (?, 'acme', 'in_progress', 'gpt-chat', 'chat', now() - interval "
                    + "'2 minutes', true, '{}', ?, 'worker_dead', now() - interval '1 minute', ?, ?)", id, input,
                    cancelRequested, nextSequence));
            all.addAll(List.of(events));
            TestDatabase.transaction(all.toArray(TestDatabase.Statement[]::new));
        }
    }

    static void answers(String text) {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"" + text + "\"}", null)
                        + chunk("{}", "stop") + "data: [DONE]\n\n")));
    }

    @Test
    void aTaskWhoseWorkerDiedIsTakenOverAndFinished() {
        answers("recovered");
        var orphan = Orphan.of();
        orphan.store();

        JsonNode done = awaitStatus(orphan.id(), "completed");

        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("recovered");
    }

    @Test
    void aTakenOverTaskReplacesTheDeadWorkersEventsAndNeverReusesTheirNumbers() {
        answers("second run");
        var base = Orphan.of();
        // Queued with events 0 and 1; the dead worker had stored 2 to 4 of its own run before it died.
        var orphan = new Orphan(base.id(), base.input(), false, 2);
        var stored = new ArrayList<TestDatabase.Statement>();
        for (int i = 0; i < 5; i++) {
            String who = i < 2 ? "queued" : "dead";
            stored.add(new TestDatabase.Statement("INSERT INTO kaiwa_response_event (response_id, sequence_number, "
                    + "data) VALUES (?, ?, ?)", orphan.id(), i,
                    "{\"type\":\"response.output_text.delta\","
                            + "\"sequence_number\":" + i + ",\"delta\":\"" + who + "\"}"));
        }
        orphan.store(stored.toArray(TestDatabase.Statement[]::new));

        awaitStatus(orphan.id(), "completed");
        List<JsonNode> events = events(acme().get("/v1/responses/" + orphan.id() + "?stream=true").asString());

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
    void aDeadWorkersTaskThatWasCancelledEndsCancelledWithoutAskingTheProviderAgain() {
        answers("should not run");
        var base = Orphan.of();
        var orphan = new Orphan(base.id(), base.input().replace("\"hi\"", "\"" + base.id() + "\""), true, 0);
        orphan.store();

        JsonNode done = awaitStatus(orphan.id(), "cancelled");

        assertThat(done.get("status").asText()).isEqualTo("cancelled");
        // Other tests' tasks may still reach the upstream; this one's input never does.
        assertThat(TestUpstreams.upstream.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString()
                .contains(orphan.id()));
    }

}
