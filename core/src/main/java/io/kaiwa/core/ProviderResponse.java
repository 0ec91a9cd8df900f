package io.kaiwa.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The provider-side record of a turn, for providers that keep state (the Responses API's response id).
 *
 * @param provider identifies the provider and API the id belongs to (an adapter's key, e.g. its base URL); never
 *        {@code null}
 * @param responseId the provider's response id, usable as {@code previous_response_id}; never {@code null}
 * @param expiresAt when the provider forgets it, or {@code null} when it never does
 */
public record ProviderResponse(String provider, String responseId, Instant expiresAt) {
    public ProviderResponse {
        requireNonNull(provider, "provider");
        requireNonNull(responseId, "responseId");
    }

    /**
     * @param provider the provider key of the adapter asking
     * @param now the current time
     * @return whether the id can still be chained from by that provider at that time
     */
    public boolean usableBy(String provider, Instant now) {
        return this.provider.equals(provider) && (expiresAt == null || now.isBefore(expiresAt));
    }
}
