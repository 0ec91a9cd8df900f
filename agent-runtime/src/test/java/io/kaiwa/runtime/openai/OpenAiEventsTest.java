package io.kaiwa.runtime.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;

/** Core stream events in, the OpenAI Responses API's events out, as a client reads them. */
class OpenAiEventsTest {
    static ResponseRecord response() {
        var r = new ResponseRecord();
        r.id = "resp_1";
        r.tenant = "acme";
        r.status = ResponseStatus.IN_PROGRESS;
        r.model = "gpt-chat";
        r.provider = "chat";
        r.createdAt = Instant.parse("2026-12-01T00:00:00Z");
        r.request = "{}";
        r.input = "[]";
        return r;
    }

    static List<JsonNode> translate(OpenAiEvents events, StreamEvent... in) {
        var out = new ArrayList<OpenAiEvents.Event>();
        for (StreamEvent e : in) {
            events.on(e, out);
        }
        return out.stream().map(e -> KaiwaJson.parse(e.json())).toList();
    }

    @Test
    void aMessageStreamsAsItemContentPartAndTextEventsWithOneItemIdAndRisingNumbers() {
        var events = new OpenAiEvents(response(), true);
        events.startAt(2);

        List<JsonNode> out = translate(events, new StreamEvent.ItemAdded(0, new MessageItem(null,
                io.kaiwa.core.item.Role.ASSISTANT, List.of(), null, null)),
                new StreamEvent.TextDelta(null, 0, 0, "こん"), new StreamEvent.TextDelta(null, 0, 0, "にちは"),
                new StreamEvent.ItemDone(0, MessageItem.assistant("こんにちは")));

        assertThat(out).extracting(e -> e.get("type").asText()).containsExactly("response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done");
        assertThat(out).extracting(e -> e.get("sequence_number").asInt()).containsExactly(2, 3, 4, 5, 6, 7, 8);
        String id = out.get(0).at("/item/id").asText();
        assertThat(id).startsWith("msg_");
        assertThat(out).filteredOn(e -> e.has("item_id")).extracting(e -> e.get("item_id").asText()).containsOnly(id);
        assertThat(out.get(6).at("/item/id").asText()).isEqualTo(id);
        assertThat(out.get(4).get("text").asText()).isEqualTo("こんにちは");
        assertThat(out.get(2).get("logprobs").isArray()).isTrue();
        assertThat(events.nextSequence()).isEqualTo(9);
        assertThat(events.itemIds()).containsExactly(id);
    }

    @Test
    void aFinishedMessageAnnouncesEachCitationAndItsRefusalBeforeItsDoneEvents() {
        var events = new OpenAiEvents(response(), true);
        var cited = new io.kaiwa.core.content.OutputText("Qwen [1]", List.of(new io.kaiwa.core.content.UrlCitation(
                "https://qwen.ai", "Qwen", 5, 8, null)), null);
        var refusal = new io.kaiwa.core.content.Refusal("No.", null);

        List<JsonNode> out = translate(events, new StreamEvent.ItemDone(0, new MessageItem(null,
                io.kaiwa.core.item.Role.ASSISTANT, List.of(cited, refusal), "completed", null)));

        // Parts that streamed nothing are announced at the end, each as what it is, before they are done.
        assertThat(out).extracting(e -> e.get("type").asText()).containsExactly("response.content_part.added",
                "response.output_text.annotation.added", "response.output_text.done", "response.content_part.done",
                "response.content_part.added", "response.refusal.done", "response.content_part.done",
                "response.output_item.done");
        assertThat(out.get(0).at("/part/type").asText()).isEqualTo("output_text");
        assertThat(out.get(1).get("annotation_index").asInt()).isZero();
        assertThat(out.get(1).at("/annotation/url").asText()).isEqualTo("https://qwen.ai");
        assertThat(out.get(1).at("/annotation/type").asText()).isEqualTo("url_citation");
        assertThat(out.get(4).at("/part/type").asText()).isEqualTo("refusal");
        assertThat(out.get(5).get("refusal").asText()).isEqualTo("No.");
        assertThat(out.get(5).get("content_index").asInt()).isEqualTo(1);
    }

    @Test
    void reasoningSummaryPartsStreamUnderTheirOwnRisingSummaryIndex() {
        var events = new OpenAiEvents(response(), true);

        List<JsonNode> out = translate(events, new StreamEvent.ReasoningDelta(null, 0, 0, "Plan", true),
                new StreamEvent.ReasoningDelta(null, 0, 0, ".", true),
                new StreamEvent.ReasoningDelta(null, 0, 1, "Check.", true));

        assertThat(out).extracting(e -> e.get("type").asText()).containsExactly(
                "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta");
        assertThat(out).extracting(e -> e.get("summary_index").asInt()).containsExactly(0, 0, 0, 1, 1);
    }

    @Test
    void aFinishedReasoningItemEndsEachSummaryPartAndTextWithRisingIndexes() {
        var events = new OpenAiEvents(response(), true);

        List<JsonNode> out = translate(events, new StreamEvent.ItemDone(0, new io.kaiwa.core.item.ReasoningItem(null,
                List.of("First, plan.", "Then, check."), List.of("Long thought."), null, "completed", null)));

        assertThat(out).extracting(e -> e.get("type").asText()).containsExactly(
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.reasoning_text.done", "response.output_item.done");
        assertThat(out).filteredOn(e -> e.has("summary_index")).extracting(e -> e.get("summary_index").asInt())
                .containsExactly(0, 0, 1, 1);
        assertThat(out.get(2).get("text").asText()).isEqualTo("Then, check.");
        assertThat(out.get(3).at("/part/text").asText()).isEqualTo("Then, check.");
        assertThat(out.get(4).get("text").asText()).isEqualTo("Long thought.");
    }

    @Test
    void functionArgumentsStreamAsDeltasThenTheirWholeText() {
        var events = new OpenAiEvents(response(), true);

        List<JsonNode> out = translate(events, new StreamEvent.ItemAdded(0, new FunctionCallItem("c1", "f", "")),
                new StreamEvent.ToolCallProgress(null, 0, "function", ToolCallPhase.ARGUMENTS_DELTA, "{\"a\":"),
                new StreamEvent.ToolCallProgress(null, 0, "function", ToolCallPhase.ARGUMENTS_DELTA, "1}"),
                new StreamEvent.ToolCallProgress(null, 0, "function", ToolCallPhase.COMPLETED, null));

        assertThat(out).extracting(e -> e.get("type").asText()).containsExactly("response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done");
        assertThat(out.get(3).get("arguments").asText()).isEqualTo("{\"a\":1}");
        assertThat(out.get(0).at("/item/id").asText()).startsWith("fc_");
    }

    @Test
    void aReasoningSummaryOpensItsPartOnceThenStreamsIntoIt() {
        var events = new OpenAiEvents(response(), true);

        List<JsonNode> out = translate(events, new StreamEvent.ItemAdded(0, ReasoningItem.ofText("")),
                new StreamEvent.ReasoningDelta(null, 0, "考え", true),
                new StreamEvent.ReasoningDelta(null, 0, "中", true));

        assertThat(out).extracting(e -> e.get("type").asText()).containsExactly("response.output_item.added",
                "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.delta");
        assertThat(out.get(2).get("summary_index").asInt()).isZero();
    }

    @Test
    void theLastEventIsNamedByHowTheResponseEnded() {
        var r = response();
        var events = new OpenAiEvents(r, false);

        r.status = ResponseStatus.COMPLETED;
        assertThat(events.finished(r).type()).isEqualTo("response.completed");
        r.status = ResponseStatus.INCOMPLETE;
        assertThat(events.finished(r).type()).isEqualTo("response.incomplete");
        r.status = ResponseStatus.CANCELLED;
        assertThat(events.finished(r).type()).isEqualTo("response.cancelled");
        r.status = ResponseStatus.FAILED;
        JsonNode failed = KaiwaJson.parse(events.finished(r).json());
        assertThat(failed.get("type").asText()).isEqualTo("response.failed");
        assertThat(failed.at("/response/store").asBoolean()).isFalse();
        assertThat(failed.at("/response/status").asText()).isEqualTo("failed");
    }
}
