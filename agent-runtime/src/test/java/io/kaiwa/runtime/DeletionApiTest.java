package io.kaiwa.runtime;

import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.createOk;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code DELETE /v1/responses/{id}} in the middle of a {@code previous_response_id} chain. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class DeletionApiTest {
    static final String CHAT = "/chat/v1/chat/completions";

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static long rows(String id) {
        return TestDatabase.number("SELECT count(*) FROM kaiwa_response WHERE id = '" + id + "'");
    }

    static String turn(String previous, String input) {
        return createOk("{\"model\":\"gpt-chat\",\"input\":\"" + input + "\""
                + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + "}");
    }

    @Test
    void aDeletedResponseThatLaterTurnsContinueStaysTheirHistoryButCannotBeReadOrContinued() {
        chatAnswers("one", "two", "three", "four");
        String a = turn(null, "My name is Tanaka.");
        String b = turn(a, "I live in Tokyo.");
        String c = turn(b, "I keep two cats.");

        assertThat(acme().delete("/v1/responses/" + b).jsonPath().getBoolean("deleted")).isTrue();

        assertThat(acme().get("/v1/responses/" + b).statusCode()).isEqualTo(404);
        assertThat(acme().delete("/v1/responses/" + b).statusCode()).isEqualTo(404);
        assertThat(create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"previous_response_id\":\"" + b + "\"}")
                .statusCode()).isEqualTo(404);
        // The turn after it still has the whole conversation: nothing silently lost.
        turn(c, "Where do I live?");
        JsonNode messages = sent(CHAT).get(3).get("messages");
        assertThat(messages.toString()).contains("My name is Tanaka.").contains("I live in Tokyo.").contains("two")
                .contains("I keep two cats.");
        assertThat(acme().get("/v1/responses/" + c).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedResponseGoesForGoodWithTheLastTurnThatContinuesIt() {
        chatAnswers("one", "two", "three");
        String a = turn(null, "first");
        String b = turn(a, "second");
        String c = turn(b, "third");
        acme().delete("/v1/responses/" + a);
        acme().delete("/v1/responses/" + b);
        assertThat(rows(a) + rows(b)).as("kept as the history of " + c).isEqualTo(2);

        assertThat(acme().delete("/v1/responses/" + c).statusCode()).isEqualTo(200);

        assertThat(rows(a) + rows(b) + rows(c)).isZero();
    }

    @Test
    void aResponseNothingContinuesIsDeletedAtOnceAndItsLiveParentStays() {
        chatAnswers("one", "two");
        String a = turn(null, "first");
        String b = turn(a, "second");

        acme().delete("/v1/responses/" + b);

        assertThat(rows(b)).isZero();
        assertThat(acme().get("/v1/responses/" + a).statusCode()).isEqualTo(200);
    }
}
