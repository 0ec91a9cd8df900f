package io.kaiwa.runtime.service;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.ModelInfo;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.ServerException;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.spi.TokenEstimator;
import io.kaiwa.runtime.agent.AgentLoop;
import io.kaiwa.runtime.agent.ToolLimits;
import io.kaiwa.runtime.agent.ToolPlan;
import io.kaiwa.runtime.common.DatabaseOutage;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.memory.ContextManager;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.provider.Models;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.provider.Providers;
import io.kaiwa.runtime.tools.LocalTools;
import io.smallrye.mutiny.Uni;

/**
 * Prepares responses to run: routes the model to its provider, plans the tools, rebuilds the conversation a
 * {@code previous_response_id} continues (one query however long the chain) and makes the response's record. Every
 * way of answering (whole, streamed, in the background) starts here. Never blocks.
 */
@ApplicationScoped
public class ResponseLifecycle {
    private static final TokenEstimator ESTIMATOR = TokenEstimator.defaultEstimator();

    @Inject
    ResponseStore store;

    @Inject
    Conversations conversations;

    @Inject
    Providers providers;

    @Inject
    Models models;

    @Inject
    ContextManager context;

    @Inject
    Metrics metrics;

    @Inject
    LocalTools localTools;

    @Inject
    KaiwaConfig config;

    @Inject
    Budgets budgets;

    @Inject
    RateLimits rates;

    /**
     * @param tenant the caller's tenant
     * @param request the checked request
     * @param mode how the client asked for it
     * @return the run, with a new record ({@code in_progress}); fails, before anything is stored or sent, when the
     *         provider cannot be called (no key), a tool cannot run, or the previous response is missing or
     *         unfinished
     */
    public Uni<ResponseRun> prepare(String tenant, CreateRequest request, ResponseRun.Mode mode) {
        return prepare(tenant, request, null, mode, true);
    }

    /**
     * Checks a background request as {@link #prepare} would, without preparing its context (the worker that runs
     * it does, so a summary is made once and only when it runs).
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the run, to queue (not to run); fails as {@link #prepare} does
     */
    public Uni<ResponseRun> check(String tenant, CreateRequest request) {
        return prepare(tenant, request, null, ResponseRun.Mode.BACKGROUND, false);
    }

    /**
     * @param task a claimed background response
     * @return its run, on its own record
     */
    public Uni<ResponseRun> prepareTask(ResponseRecord task) {
        return Uni.createFrom().deferred(() -> prepare(task.tenant, storedRequest(task), task,
                ResponseRun.Mode.BACKGROUND, true));
    }

    private Uni<ResponseRun> prepare(String tenant, CreateRequest request, ResponseRecord existing,
            ResponseRun.Mode mode, boolean manage) {
        return Uni.createFrom().deferred(() -> {
            Provider provider = providers.route(request.model());
            ToolLimits limits = ToolLimits.of(config.tools());
            ToolPlan plan = ToolPlan.of(provider, request.callOptions(), localTools, limits);
            ModelAdapter adapter = metrics.timed(provider, providers.adapter(provider));
            ModelInfo model = models.info(request.model());
            boolean truncate = "auto".equals(request.options().path("truncation").asText());
            // A task accepted before its tenant's budget ran out still runs: only new requests are refused.
            if (existing == null) {
                rates.take(tenant);
            }
            Uni<Void> allowed = existing != null
                    ? Uni.createFrom().voidItem()
                    : (request.store() || request.previousResponseId() != null
                            ? reachable()
                            : Uni.createFrom().voidItem()).chain(() -> budgets.check(tenant));
            return allowed.chain(() -> history(tenant, request.previousResponseId())).chain(history -> conversations
                    .turns(tenant, request.conversation()).chain(prior -> {
                        var conversation = Conversation.builder().model(request.model())
                                .instructions(request.instructions());
                        ResponseRecord record = existing != null ? existing : newRecord(tenant, request, provider);
                        ResponseRecord previous = history.isEmpty() ? null : history.get(history.size() - 1);
                        Uni<ContextManager.Managed> managed;
                        if (model.multiTurn()) {
                            prior.forEach(conversation::addTurn);
                            for (ResponseRecord r : history) {
                                conversation.addTurn(r.turn());
                            }
                            managed = !manage
                                    ? Uni.createFrom().item(ContextManager.Managed.asIs(conversation.build(),
                                            context.openInput(tenant, request.input())))
                                    : context.manage(tenant, request.model(), provider, adapter, request.context(),
                                            conversation.build(), request.input());
                        } else {
                            // The model answers one input at a time (Qwen-VL-OCR, the captioners): the history is kept
                            // for later turns with other models, not sent to this one; the response says so.
                            record.context = Records.singleTurnContext(history.size());
                            managed = Uni.createFrom().item(ContextManager.Managed.asIs(conversation.build(),
                                    context.openInput(tenant, request.input())));
                        }
                        return managed.map(m -> new ResponseRun(request, provider, model, new AgentLoop(plan, adapter,
                                localTools, limits, m.input(), truncate, model::cost), record, mode, metrics,
                                Records.chainCost(previous), m));
                    }));
        });
    }

    /**
     * A compaction asked for, and what it cost.
     *
     * @param id the compaction response's id
     * @param model the model the conversation is for
     * @param createdAt when it was made
     * @param item the compaction item, sealed; {@code null} when there was nothing to fold
     * @param usage what the summarising call used
     * @param usageJson that usage as a response carries it (with its cost)
     */
    public record Compacted(String id, String model, Instant createdAt, CompactionItem item, Usage usage,
            String usageJson) {
    }

    /**
     * Compacts a conversation now ({@code POST /v1/responses/compact}); nothing is stored.
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the compaction
     */
    public Uni<Compacted> compact(String tenant, CompactRequest request) {
        return Uni.createFrom().deferred(() -> {
            Provider provider = providers.route(request.model());
            ModelAdapter adapter = metrics.timed(provider, providers.adapter(provider));
            rates.take(tenant);
            return budgets.check(tenant).chain(() -> history(tenant, request.previousResponseId())).chain(history -> {
                var conversation = Conversation.builder().model(request.model()).instructions(request.instructions());
                history.forEach(r -> conversation.addTurn(r.turn()));
                return context.compactNow(tenant, request.model(), provider, adapter, conversation.build(),
                        request.input());
            }).invoke(m -> rates.used(tenant, m == null ? null : Records.json(m.usage(), null, null)))
                    .call(m -> m == null ? Uni.createFrom().voidItem() : budgets.charge(tenant, m.cost()))
                    .map(m -> new Compacted(Ids.next("resp"), request.model(), Instant.now(),
                            m == null ? null : m.compaction(), m == null ? Usage.ZERO : m.usage(),
                            Records.json(m == null ? Usage.ZERO : m.usage(), m == null ? null : m.cost(), null)));
        });
    }

    /**
     * What a create request would send now, in tokens, by the estimator: no provider is called, nothing is stored,
     * and a compaction the request would make is not made (the count is of what it would compact).
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the estimated input tokens
     */
    public Uni<Long> countInputTokens(String tenant, CreateRequest request) {
        return Uni.createFrom().deferred(() -> {
            // Routed only to refuse a model no provider serves, as a create would.
            providers.route(request.model());
            ModelInfo model = models.info(request.model());
            return history(tenant, request.previousResponseId()).chain(history -> conversations
                    .turns(tenant, request.conversation()).map(prior -> {
                        var turns = new ArrayList<Turn>(prior);
                        history.forEach(r -> turns.add(r.turn()));
                        return turns;
                    })).map(turns -> {
                        long tokens = ESTIMATOR.estimateText(request.instructions());
                        if (model.multiTurn()) {
                            for (Turn turn : turns) {
                                tokens += ESTIMATOR.estimate(turn.input()) + ESTIMATOR.estimate(turn.output());
                            }
                        }
                        tokens += ESTIMATOR.estimate(request.input());
                        JsonNode tools = request.options().get("tools");
                        return tools == null ? tokens : tokens + ESTIMATOR.estimateText(tools.toString());
                    });
        });
    }

    private static CreateRequest storedRequest(ResponseRecord r) {
        ObjectNode options = (ObjectNode) KaiwaJson.parse(r.request);
        JsonNode instructions = options.remove("instructions");
        return CreateRequest.of(r.model, KaiwaJson.readItems(KaiwaJson.parse(r.input), "input"),
                instructions == null ? null : instructions.asText(), r.previousResponseId, true, false, true, options);
    }

    /**
     * While the database is thought out of reach, asks it before anything is sent to a provider: a request that
     * could not be kept is refused (503, {@code Retry-After}) before it is paid for.
     */
    private Uni<Void> reachable() {
        if (!DatabaseOutage.suspected()) {
            return Uni.createFrom().voidItem();
        }
        return store.ping().ifNoItem().after(Duration.ofSeconds(2)).fail().onItem().invoke(DatabaseOutage::over)
                .onFailure().transform(failure -> new ServerException(Errors.DATABASE_DOWN, 503,
                        DatabaseOutage.CODE, failure));
    }

    /**
     * @return the chain a request continues, from its latest compaction on; empty for none; fails when the previous
     *         response is missing or unfinished
     */
    private Uni<List<ResponseRecord>> history(String tenant, String previousResponseId) {
        if (previousResponseId == null) {
            return Uni.createFrom().item(List.of());
        }
        if (!Ids.isResponseId(previousResponseId)) {
            // Not a form this service makes: it cannot exist, and is never sent to the database.
            return Uni.createFrom().failure(Errors.notFound("Previous response", previousResponseId,
                    "previous_response_id"));
        }
        return store.chain(tenant, previousResponseId).invoke(history -> checkContinuable(previousResponseId,
                history));
    }

    private static void checkContinuable(String id, List<ResponseRecord> history) {
        if (history.isEmpty()) {
            throw Errors.notFound("Previous response", id, "previous_response_id");
        }
        ResponseRecord last = history.get(history.size() - 1);
        if (!last.status.isFinal()) {
            throw new InvalidRequestException("Previous response with id '" + id
                    + "' is still " + last.status.wire() + "; continue it once it has finished.", 400,
                    "previous_response_not_finished", "previous_response_id", null);
        }
    }

    private static ResponseRecord newRecord(String tenant, CreateRequest request, Provider provider) {
        var r = new ResponseRecord();
        r.id = Ids.next("resp");
        r.tenant = tenant;
        r.status = ResponseStatus.IN_PROGRESS;
        r.model = request.model();
        r.provider = provider.name();
        r.previousResponseId = request.previousResponseId();
        r.idempotencyKey = request.idempotencyKey();
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
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            g.writeStartObject();
            if (request.instructions() != null) {
                g.writeStringField("instructions", request.instructions());
            }
            for (Map.Entry<String, JsonNode> e : request.options().properties()) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
