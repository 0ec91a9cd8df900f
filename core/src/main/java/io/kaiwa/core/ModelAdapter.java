package io.kaiwa.core;

import java.util.List;

import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The port every model API adapter implements (Chat Completions, DashScope native, Responses): run one turn of a
 * conversation against a model. An adapter is built once per provider (where, which key, how to retry and time
 * out); each call carries what to ask in its {@link RequestOptions}.
 *
 * <p>
 * Both methods are lazy: nothing is sent before subscription, and each subscription sends anew. Neither changes
 * the conversation: the caller adds the resulting {@link Turn} with {@link Conversation#withTurn(Turn)} or a
 * {@link io.kaiwa.core.spi.ConversationStore}. What earlier turns are replayed is decided by the conversation's
 * {@link io.kaiwa.core.context.ContextPolicy}. Implementations never block the calling thread and are safe for
 * concurrent use.
 */
public interface ModelAdapter {

    /**
     * Sends one turn and waits for the whole answer.
     *
     * @param conversation the conversation so far; never {@code null}
     * @param input the new items of this turn (normally one user message, or function call outputs); never empty
     * @param options what this call asks for (tools, limits, sampling, format, ...), written in the adapter's wire;
     *        never {@code null}, {@link RequestOptions#none()} for nothing
     * @return the finished turn; a failure is a {@link io.kaiwa.core.exception.KaiwaException}, retriable failures
     *         having been retried by the adapter's retry policy first. Options the adapter's API cannot carry (a
     *         hosted tool on Chat Completions) fail it with an
     *         {@link io.kaiwa.core.exception.InvalidRequestException} naming the field, before anything is sent
     */
    Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options);

    /**
     * Sends one turn with no per-call options: {@code send(conversation, input, RequestOptions.none())}.
     *
     * @param conversation the conversation so far; never {@code null}
     * @param input the new items of this turn; never empty
     * @return the finished turn
     */
    default Uni<Turn> send(Conversation conversation, List<Item> input) {
        return send(conversation, input, RequestOptions.none());
    }

    /**
     * Sends one turn and streams the answer as it is produced.
     *
     * <p>
     * The stream ends with exactly one {@link io.kaiwa.core.event.StreamEvent.Completed} (carrying the same turn
     * {@link #send} would have returned) or {@link io.kaiwa.core.event.StreamEvent.Failed} (the provider reported a
     * failed or incomplete answer), then completes. Transport failures (reset, idle timeout) arrive as a failure of
     * the {@code Multi}; they are not retried once the first event was delivered. Cancelling the subscription closes
     * the connection.
     *
     * @param conversation the conversation so far; never {@code null}
     * @param input the new items of this turn; never empty
     * @param options what this call asks for; never {@code null}, {@link RequestOptions#none()} for nothing
     * @return the events of the turn
     */
    Multi<StreamEvent> stream(Conversation conversation, List<Item> input, RequestOptions options);

    /**
     * Streams one turn with no per-call options: {@code stream(conversation, input, RequestOptions.none())}.
     *
     * @param conversation the conversation so far; never {@code null}
     * @param input the new items of this turn; never empty
     * @return the events of the turn
     */
    default Multi<StreamEvent> stream(Conversation conversation, List<Item> input) {
        return stream(conversation, input, RequestOptions.none());
    }
}
