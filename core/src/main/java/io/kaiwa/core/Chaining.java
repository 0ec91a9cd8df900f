package io.kaiwa.core;

import static java.util.Objects.requireNonNull;

/**
 * How a turn sent to a stateful API (the Responses API) carried the conversation's earlier turns: chained to the
 * provider's stored response, or rebuilt from the conversation and sent again, and why.
 *
 * @param mode what was done; never {@code null}
 * @param previousResponseId the provider id involved: the one chained from ({@link Mode#CHAINED}), the one the
 *        provider no longer knew ({@link Mode#PROVIDER_FORGOT}) or the one that had expired ({@link Mode#EXPIRED});
 *        else {@code null}
 */
public record Chaining(Mode mode, String previousResponseId) {

    /** What a turn's request did with the history. */
    public enum Mode {
        /** Sent only the new input and {@code previous_response_id}: the provider held the history. */
        CHAINED,
        /** Sent the history: no earlier turn has a provider id (first turn, or turns from a stateless API). */
        NO_PREVIOUS_RESPONSE,
        /** Sent the history: the last turn's id belongs to another provider or adapter. */
        OTHER_PROVIDER,
        /** Sent the history: the last turn's id had outlived the provider's retention. */
        EXPIRED,
        /** Sent the history: the adapter sends {@code store: false}, so the provider keeps nothing to chain from. */
        STORE_DISABLED,
        /**
         * Sent the history: the context policy leaves out turns the provider's stored chain holds (a last-N or token
         * budget policy past its limit), so the request carries what the policy keeps instead.
         */
        POLICY_TRIMMED,
        /**
         * Sent the history after a chained request was refused because the provider no longer knew the id: the
         * request went out twice.
         */
        PROVIDER_FORGOT
    }

    public Chaining {
        requireNonNull(mode, "mode");
    }

    /**
     * @param previousResponseId the id chained from
     * @return a chained turn's record
     */
    public static Chaining chained(String previousResponseId) {
        return new Chaining(Mode.CHAINED, requireNonNull(previousResponseId, "previousResponseId"));
    }

    /** @return whether the request carried only the new input */
    public boolean isChained() {
        return mode == Mode.CHAINED;
    }
}
