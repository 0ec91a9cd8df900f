package io.kaiwa.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kaiwa.core.internal.Copies;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.Role;

/**
 * One request/response exchange of a conversation: what was sent, what came back, and what it cost.
 *
 * @param id Kaiwa's or the caller's id for the turn, or {@code null}
 * @param input the new items this turn sent (not the replayed history); {@code null} means none
 * @param output the items the model produced, in order; {@code null} means none
 * @param usage tokens and tool calls consumed; {@code null} means {@link Usage#ZERO}
 * @param providerResponse the provider's stored response to chain from, or {@code null} (stateless API,
 *        {@code store: false}, or a failed call)
 * @param status how the turn ended; never {@code null}
 * @param error why it failed; required when {@code status} is {@link TurnStatus#FAILED}, else usually {@code null}
 * @param startedAt when the request was sent, or {@code null} when unknown
 * @param completedAt when the answer was complete, or {@code null} when unknown
 * @param chaining how a stateful API's request carried the history (chained or sent again, and why), or
 *        {@code null} for stateless APIs, which always send it
 */
public record Turn(String id, List<Item> input, List<Item> output, Usage usage, ProviderResponse providerResponse,
        TurnStatus status, TurnError error, Instant startedAt, Instant completedAt, Chaining chaining) {

    public Turn {
        input = Copies.list(input, "input");
        output = Copies.list(output, "output");
        usage = usage == null ? Usage.ZERO : usage;
        requireNonNull(status, "status");
        if (status == TurnStatus.FAILED && error == null) {
            throw new IllegalArgumentException("a failed turn needs an error");
        }
        if (startedAt != null && completedAt != null && completedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("completedAt is before startedAt");
        }
    }

    /**
     * A completed turn, for building histories by hand (tests, imports).
     *
     * @param input the items sent
     * @param output the items received
     * @return a completed turn with no usage, provider id or timing
     */
    public static Turn completed(List<Item> input, List<Item> output) {
        return new Turn(null, input, output, null, null, TurnStatus.COMPLETED, null, null, null, null);
    }

    /** @return a builder for a turn */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this turn's values */
    public Builder toBuilder() {
        return new Builder().id(id).input(input).output(output).usage(usage).providerResponse(providerResponse)
                .status(status).error(error).startedAt(startedAt).completedAt(completedAt).chaining(chaining);
    }

    /** @return how long the exchange took, or {@code null} when the timing is unknown */
    public Duration duration() {
        return startedAt == null || completedAt == null ? null : Duration.between(startedAt, completedAt);
    }

    /**
     * @return the text of the assistant's messages in this turn's output, joined in order; empty when there is none
     */
    public String outputText() {
        var sb = new StringBuilder();
        for (Item item : output) {
            if (item instanceof MessageItem m && m.role() == Role.ASSISTANT) {
                sb.append(m.text());
            }
        }
        return sb.toString();
    }

    /** Builds a {@link Turn}; not thread-safe. */
    public static final class Builder {
        private String id;
        private final List<Item> input = new ArrayList<>();
        private final List<Item> output = new ArrayList<>();
        private Usage usage;
        private ProviderResponse providerResponse;
        private TurnStatus status = TurnStatus.COMPLETED;
        private TurnError error;
        private Instant startedAt;
        private Instant completedAt;
        private Chaining chaining;

        private Builder() {
        }

        /** @param id the turn's id, or {@code null} @return this */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** @param items replaces the input items @return this */
        public Builder input(List<? extends Item> items) {
            input.clear();
            input.addAll(items);
            return this;
        }

        /** @param items replaces the output items @return this */
        public Builder output(List<? extends Item> items) {
            output.clear();
            output.addAll(items);
            return this;
        }

        /** @param item appended to the output items @return this */
        public Builder addOutput(Item item) {
            output.add(requireNonNull(item, "item"));
            return this;
        }

        /** @param usage the usage, {@code null} for none @return this */
        public Builder usage(Usage usage) {
            this.usage = usage;
            return this;
        }

        /** @param providerResponse the provider's response id record, or {@code null} @return this */
        public Builder providerResponse(ProviderResponse providerResponse) {
            this.providerResponse = providerResponse;
            return this;
        }

        /** @param status how the turn ended (default completed) @return this */
        public Builder status(TurnStatus status) {
            this.status = status;
            return this;
        }

        /** @param error why it failed, or {@code null} @return this */
        public Builder error(TurnError error) {
            this.error = error;
            return this;
        }

        /** @param startedAt when it was sent @return this */
        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        /** @param completedAt when it finished @return this */
        public Builder completedAt(Instant completedAt) {
            this.completedAt = completedAt;
            return this;
        }

        /** @param chaining how the history was sent, or {@code null} @return this */
        public Builder chaining(Chaining chaining) {
            this.chaining = chaining;
            return this;
        }

        /** @return the turn; throws {@link IllegalArgumentException} or NPE when a value is invalid */
        public Turn build() {
            return new Turn(id, input, output, usage, providerResponse, status, error, startedAt, completedAt,
                    chaining);
        }
    }
}
