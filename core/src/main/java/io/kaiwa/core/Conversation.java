package io.kaiwa.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.internal.Copies;

/**
 * A conversation: instructions, model, metadata, the turns so far, the policy that decides which of them each
 * new request replays, and running usage totals.
 *
 * <p>
 * Immutable: {@link #withTurn(Turn)} and the other {@code with} methods return a new value and leave this one as
 * it was, so a value can be shared between threads and kept as a snapshot. To keep one conversation across
 * requests or processes, put it in a {@link io.kaiwa.core.spi.ConversationStore}.
 */
public final class Conversation {
    private final String id;
    private final String instructions;
    private final String model;
    private final Map<String, String> metadata;
    private final List<Turn> turns;
    private final ContextPolicy contextPolicy;
    private final Usage totals;

    private Conversation(String id, String instructions, String model, Map<String, String> metadata,
            List<Turn> turns, ContextPolicy contextPolicy, Usage totals) {
        this.id = requireNonNull(id, "id");
        this.instructions = instructions;
        this.model = model;
        this.metadata = metadata;
        this.turns = turns;
        this.contextPolicy = requireNonNull(contextPolicy, "contextPolicy");
        this.totals = totals;
    }

    /**
     * Starts an empty conversation with a random id, no instructions, no model (the adapter's default applies) and
     * the {@link ContextPolicy#keepAll() keep-all} policy.
     *
     * @return a new conversation
     */
    public static Conversation create() {
        return builder().build();
    }

    /** @return a builder for a conversation */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this conversation's values, turns included */
    public Builder toBuilder() {
        var b = new Builder().id(id).instructions(instructions).model(model).metadata(metadata)
                .contextPolicy(contextPolicy);
        b.turns.addAll(turns);
        return b;
    }

    /**
     * @param turn the finished turn to add; never {@code null}
     * @return a new conversation with the turn appended and the totals updated
     */
    public Conversation withTurn(Turn turn) {
        requireNonNull(turn, "turn");
        var list = new ArrayList<Turn>(turns.size() + 1);
        list.addAll(turns);
        list.add(turn);
        return new Conversation(id, instructions, model, metadata, Collections.unmodifiableList(list), contextPolicy,
                totals.plus(turn.usage()));
    }

    /** @param instructions the new instructions, or {@code null} for none @return a new conversation */
    public Conversation withInstructions(String instructions) {
        return new Conversation(id, instructions, model, metadata, turns, contextPolicy, totals);
    }

    /** @param model the new model, or {@code null} for the adapter's default @return a new conversation */
    public Conversation withModel(String model) {
        return new Conversation(id, instructions, model, metadata, turns, contextPolicy, totals);
    }

    /** @param policy the new context policy; never {@code null} @return a new conversation */
    public Conversation withContextPolicy(ContextPolicy policy) {
        return new Conversation(id, instructions, model, metadata, turns, policy, totals);
    }

    /** @param metadata the new metadata, or {@code null} for none @return a new conversation */
    public Conversation withMetadata(Map<String, String> metadata) {
        return new Conversation(id, instructions, model, copyMetadata(metadata), turns, contextPolicy, totals);
    }

    /** @return the conversation's id; never {@code null} */
    public String id() {
        return id;
    }

    /** @return the system-level instructions sent first on every turn, or {@code null} */
    public String instructions() {
        return instructions;
    }

    /** @return the model to ask, or {@code null} for the adapter's default */
    public String model() {
        return model;
    }

    /** @return the caller's key/value metadata; unmodifiable, never {@code null} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return the turns in order; unmodifiable, never {@code null} */
    public List<Turn> turns() {
        return turns;
    }

    /** @return the last turn, or {@code null} when there is none */
    public Turn lastTurn() {
        return turns.isEmpty() ? null : turns.get(turns.size() - 1);
    }

    /** @return the policy that picks which turns each request replays; never {@code null} */
    public ContextPolicy contextPolicy() {
        return contextPolicy;
    }

    /** @return the usage of all turns added up; never {@code null} */
    public Usage totals() {
        return totals;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conversation c && id.equals(c.id) && Objects.equals(instructions, c.instructions)
                && Objects.equals(model, c.model) && metadata.equals(c.metadata) && turns.equals(c.turns)
                && contextPolicy.equals(c.contextPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, instructions, model, metadata, turns, contextPolicy);
    }

    @Override
    public String toString() {
        return "Conversation[id=" + id + ", model=" + model + ", turns=" + turns.size() + ", totals=" + totals + "]";
    }

    private static Map<String, String> copyMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        var copy = new LinkedHashMap<String, String>();
        metadata.forEach((k, v) -> copy.put(requireNonNull(k, "metadata key"), requireNonNull(v, "metadata value")));
        return Collections.unmodifiableMap(copy);
    }

    /** Builds a {@link Conversation}; not thread-safe. */
    public static final class Builder {
        private String id;
        private String instructions;
        private String model;
        private Map<String, String> metadata;
        private final List<Turn> turns = new ArrayList<>();
        private ContextPolicy contextPolicy = ContextPolicy.keepAll();

        private Builder() {
        }

        /** @param id the id; {@code null} (the default) gives a random UUID @return this */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** @param instructions sent first on every turn, or {@code null} @return this */
        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        /** @param model the model, or {@code null} for the adapter's default @return this */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** @param metadata key/value pairs kept with the conversation, or {@code null} @return this */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        /** @param turn appended to the history (for importing existing conversations) @return this */
        public Builder addTurn(Turn turn) {
            turns.add(requireNonNull(turn, "turn"));
            return this;
        }

        /** @param policy decides what each request replays (default: keep all) @return this */
        public Builder contextPolicy(ContextPolicy policy) {
            this.contextPolicy = requireNonNull(policy, "policy");
            return this;
        }

        /** @return the conversation */
        public Conversation build() {
            List<Turn> list = Copies.list(turns, "turns");
            Usage totals = Usage.ZERO;
            for (Turn t : list) {
                totals = totals.plus(t.usage());
            }
            return new Conversation(id == null ? UUID.randomUUID().toString() : id, instructions, model,
                    copyMetadata(metadata), list, contextPolicy, totals);
        }
    }
}
