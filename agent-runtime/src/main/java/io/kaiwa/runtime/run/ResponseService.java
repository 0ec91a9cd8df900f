package io.kaiwa.runtime.run;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.api.ApiException;
import io.kaiwa.runtime.api.CreateRequest;
import io.kaiwa.runtime.api.ErrorBody;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.provider.Providers;
import io.kaiwa.runtime.store.ResponseRecord;
import io.kaiwa.runtime.store.ResponseStore;
import io.kaiwa.runtime.tools.LocalTools;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs {@code POST /v1/responses}: rebuilds the conversation a {@code previous_response_id} continues (one query
 * however long the chain), routes the model to its provider, runs the turn (an {@link AgentLoop} when Kaiwa runs
 * built-in tools itself), and stores the response: completed,
 * incomplete or failed with its error, or not at all. Never blocks.
 */
@ApplicationScoped
public class ResponseService {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ResponseStore store;

    @Inject
    Providers providers;

    @Inject
    BackgroundTasks tasks;

    @Inject
    Metrics metrics;

    @Inject
    LocalTools localTools;

    @Inject
    KaiwaConfig config;

    /**
     * @param r a background response
     * @return when the cancel is recorded: the task ended if it was still queued, else its worker was told
     */
    public Uni<Void> cancel(ResponseRecord r) {
        if ("queued".equals(r.status)) {
            r.status = "cancelled";
            r.completedAt = Instant.now();
            var openAi = new OpenAiEvents(r, true);
            openAi.startAt(r.nextSequence);
            var last = event(r, openAi.finished(r));
            r.nextSequence = openAi.nextSequence();
            return store.cancelQueued(r, List.of(last)).chain(cancelled -> cancelled
                    ? Uni.createFrom().voidItem()
                    : store.requestCancel(r.tenant, r.id).invoke(ok -> tasks.cancelHere(r.id)).replaceWithVoid());
        }
        if (!"in_progress".equals(r.status)) {
            return Uni.createFrom().voidItem();
        }
        return store.requestCancel(r.tenant, r.id).invoke(ok -> tasks.cancelHere(r.id)).replaceWithVoid();
    }

    /** What a request will run, once its history is loaded. */
    record Prepared(CreateRequest request, Provider provider, AgentLoop loop, Conversation conversation,
            ResponseRecord record) {
    }

    /**
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the finished response
     */
    public Uni<ResponseRecord> create(String tenant, CreateRequest request) {
        return prepare(tenant, request).chain(p -> p.loop.send(p.conversation)
                .onFailure().invoke(failure -> metrics.finished(p.provider, "sync", "failed", Usage.ZERO))
                .map(turn -> {
                    metrics.finished(p.provider, "sync", turn.status().wire(), turn.usage());
                    return finish(p.record, turn, null, p.loop);
                })
                .chain(record -> request.store()
                        ? store.insertSoon(record).replaceWith(record)
                        : Uni.createFrom().item(record)));
    }

    /**
     * Starts a streamed response. The returned {@code Uni} resolves once the provider has answered (so that a
     * provider's refusal is an HTTP error, not a stream), with the events to send.
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the SSE frames, from {@code response.created} to the final event
     */
    public Uni<Multi<String>> stream(String tenant, CreateRequest request) {
        return prepare(tenant, request).chain(p -> Streams.firstThenRest(p.loop.stream(p.conversation))
                .onFailure().invoke(failure -> metrics.finished(p.provider, "stream", "failed", Usage.ZERO))
                .map(events -> frames(p, events)));
    }

    private Multi<String> frames(Prepared p, Multi<StreamEvent> events) {
        var openAi = new OpenAiEvents(p.record, p.request.store());
        List<String> head = List.of(openAi.lifecycle("response.created").sse(),
                openAi.lifecycle("response.in_progress").sse());
        // Whether the response was counted: storing its end can still fail after that.
        boolean[] counted = {false};
        Multi<String> body = events.onItem().transformToUniAndConcatenate(e -> {
            if (e instanceof StreamEvent.Completed c) {
                counted[0] = true;
                metrics.finished(p.provider, "stream", "completed", c.turn().usage());
                return end(p, openAi, finish(p.record, c.turn(), openAi.itemIds(), p.loop));
            }
            if (e instanceof StreamEvent.Failed f) {
                counted[0] = true;
                metrics.finished(p.provider, "stream", f.turn().status().wire(), f.turn().usage());
                return end(p, openAi, finish(p.record, f.turn(), openAi.itemIds(), p.loop));
            }
            var out = new ArrayList<OpenAiEvents.Event>(3);
            openAi.on(e, out);
            return Uni.createFrom().item(sse(out));
        }).onFailure().recoverWithMulti(failure -> {
            if (!counted[0]) {
                metrics.finished(p.provider, "stream", "failed", Usage.ZERO);
            }
            return end(p, openAi, failed(p.record, failure)).toMulti();
        });
        return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(head), body);
    }

    private Uni<String> end(Prepared p, OpenAiEvents openAi, ResponseRecord finished) {
        String last = openAi.finished(finished).sse();
        if (!p.request.store()) {
            return Uni.createFrom().item(last);
        }
        return store.insertSoon(finished).replaceWith(last);
    }

    private static String sse(List<OpenAiEvents.Event> events) {
        if (events.size() == 1) {
            return events.get(0).sse();
        }
        var sb = new StringBuilder();
        for (OpenAiEvents.Event e : events) {
            sb.append(e.sse());
        }
        return sb.toString();
    }

    private Uni<Prepared> prepare(String tenant, CreateRequest request) {
        return prepare(tenant, request, null);
    }

    /**
     * @param task a claimed background response
     * @return what it will run
     */
    Uni<Prepared> prepareTask(ResponseRecord task) {
        return Uni.createFrom().deferred(() -> prepare(task.tenant, storedRequest(task), task));
    }

    private static CreateRequest storedRequest(ResponseRecord r) {
        ObjectNode options = (ObjectNode) KaiwaJson.parse(r.request);
        com.fasterxml.jackson.databind.JsonNode instructions = options.remove("instructions");
        return CreateRequest.of(r.model, KaiwaJson.readItems(KaiwaJson.parse(r.input), "input"),
                instructions == null ? null : instructions.asText(), r.previousResponseId, true, false, true, options);
    }

    private Uni<Prepared> prepare(String tenant, CreateRequest request, ResponseRecord existing) {
        return Uni.createFrom().deferred(() -> {
            Provider provider = providers.route(request.model());
            ToolPlan plan = ToolPlan.of(provider, request.callOptions(), localTools, config.tools());
            // Fails now, as an HTTP error, when the provider cannot be called at all (no key).
            ModelAdapter adapter = metrics.timed(provider, providers.adapter(provider));
            var loop = new AgentLoop(plan, adapter, localTools, config.tools(), request.input(),
                    "auto".equals(request.options().path("truncation").asText()));
            Uni<List<ResponseRecord>> chain = request.previousResponseId() == null
                    ? Uni.createFrom().item(List.of())
                    : store.chain(tenant, request.previousResponseId());
            return chain.map(history -> {
                if (request.previousResponseId() != null) {
                    checkContinuable(request.previousResponseId(), history);
                }
                var conversation = Conversation.builder().model(request.model()).instructions(request.instructions());
                for (ResponseRecord r : history) {
                    conversation.addTurn(Records.turn(r));
                }
                return new Prepared(request, provider, loop, conversation.build(),
                        existing != null ? existing : newRecord(tenant, request, provider));
            });
        });
    }

    /**
     * Stores a background response as {@code queued}, with its first events, after checking everything a worker
     * would otherwise only find out later (the fields, the provider's key, the previous response).
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the queued response
     */
    public Uni<ResponseRecord> enqueue(String tenant, CreateRequest request) {
        return prepare(tenant, request).chain(p -> {
            ResponseRecord r = p.record;
            r.status = "queued";
            var openAi = new OpenAiEvents(r, true);
            List<io.kaiwa.runtime.store.EventRecord> first = List.of(event(r, openAi.lifecycle("response.created")),
                    event(r, openAi.lifecycle("response.queued")));
            r.nextSequence = openAi.nextSequence();
            return store.insert(r, first).replaceWith(r);
        });
    }

    static io.kaiwa.runtime.store.EventRecord event(ResponseRecord r, OpenAiEvents.Event e) {
        return new io.kaiwa.runtime.store.EventRecord(r.id, e.sequenceNumber(), e.json());
    }

    private static void checkContinuable(String id, List<ResponseRecord> history) {
        if (history.isEmpty()) {
            throw ApiException.notFound("Previous response", id, "previous_response_id");
        }
        ResponseRecord last = history.get(history.size() - 1);
        if ("queued".equals(last.status) || "in_progress".equals(last.status)) {
            throw new ApiException(400, "invalid_request_error", "previous_response_not_finished",
                    "previous_response_id", "Previous response with id '" + id + "' is still " + last.status
                            + "; continue it once it has finished.");
        }
    }

    private static ResponseRecord newRecord(String tenant, CreateRequest request, Provider provider) {
        var r = new ResponseRecord();
        r.id = Ids.next("resp");
        r.tenant = tenant;
        r.status = "in_progress";
        r.model = request.model();
        r.provider = provider.name();
        r.previousResponseId = request.previousResponseId();
        r.createdAt = Instant.now();
        r.background = request.background();
        r.request = requestJson(request);
        r.requestTree = request.instructions() == null ? request.options() : KaiwaJson.parse(r.request);
        r.input = Records.json(request.input());
        return r;
    }

    /** The options echoed in the response object, with the instructions. */
    private static String requestJson(CreateRequest request) {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (request.instructions() != null) {
                g.writeStringField("instructions", request.instructions());
            }
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : request.options().properties()) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * @param record the response being run
     * @param turn how the turn ended
     * @param itemIds ids already given to output items while streaming, or {@code null}
     * @param loop the loop that ran the turn, with what the model saw of the tools it ran
     * @return the record, finished
     */
    static ResponseRecord finish(ResponseRecord record, Turn turn, List<String> itemIds, AgentLoop loop) {
        record.status = turn.status().wire();
        record.output = Records.json(Records.withIds(turn.output(), itemIds));
        List<Item> transcript = loop.transcript();
        record.transcript = transcript == null ? null : Records.json(transcript);
        record.usage = Records.json(turn.usage());
        record.error = turn.error() == null ? null : Records.errorJson(turn.error().code(), turn.error().message());
        record.completedAt = Instant.now();
        if (turn.providerResponse() != null && turn.status() != TurnStatus.FAILED) {
            record.providerKey = turn.providerResponse().provider();
            record.providerResponseId = turn.providerResponse().responseId();
            record.providerExpiresAt = turn.providerResponse().expiresAt();
        }
        return record;
    }

    static ResponseRecord failed(ResponseRecord record, Throwable failure) {
        ErrorBody error = ErrorBody.of(failure);
        record.status = "failed";
        record.error = Records.errorJson(error.code() != null
                ? error.code()
                : failure instanceof KaiwaException ? "upstream_error" : "server_error", error.message());
        record.completedAt = Instant.now();
        return record;
    }
}
