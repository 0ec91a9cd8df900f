package io.kaiwa.runtime.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.json.KaiwaJson;

/**
 * A stored response: the create request's parameters, the turn's input and output items, usage and error, the
 * provider's own response id, and, for background responses, the task's lease. JSON columns hold Responses API
 * shapes as text, written and read by Kaiwa's own JSON mapping.
 */
@Entity
@Table(name = "kaiwa_response")
public class ResponseRecord {
    @Id
    public String id;
    public String tenant;
    public ResponseStatus status;
    public String model;
    public String provider;
    @Column(name = "previous_response_id")
    public String previousResponseId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    public boolean background;
    public String request;
    public String input;
    public String output = "[]";
    /** What the model saw when Kaiwa ran built-in tools: their function calls and outputs; else {@code null}. */
    public String transcript;
    public String usage;
    /** What context the response was sent, when Kaiwa changed it (a single-turn model); JSON, else {@code null}. */
    public String context;
    /** Whether its output holds a compaction item, which stands for everything before it in its chain. */
    public boolean compacted;
    public String error;
    /** The {@code Idempotency-Key} the request came with, or {@code null}. */
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "provider_key")
    public String providerKey;
    @Column(name = "provider_response_id")
    public String providerResponseId;
    @Column(name = "provider_expires_at")
    public Instant providerExpiresAt;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "next_sequence")
    public int nextSequence;
    /**
     * When it was deleted while later responses continued it: it is then kept only as their history, and is
     * neither retrievable nor continued; {@code null} for a live response.
     */
    @Column(name = "deleted_at")
    public Instant deletedAt;
    /** The request JSON as parsed when the record was made here; {@code null} when read from the database. */
    @Transient
    public JsonNode requestTree;

    /**
     * @return this response as a conversation turn, with the provider's own id to chain from when there is one; when
     *         Kaiwa ran built-in tools, its output is what the model saw (function calls and their outputs)
     */
    public Turn turn() {
        ProviderResponse ref = providerResponseId == null
                ? null
                : new ProviderResponse(providerKey, providerResponseId, providerExpiresAt);
        TurnStatus turnStatus = status.turnStatus();
        TurnError turnError = null;
        if (error != null) {
            JsonNode e = KaiwaJson.parse(error);
            turnError = new TurnError(e.path("code").asText("error"), e.path("message").asText(""));
        } else if (turnStatus == TurnStatus.FAILED) {
            turnError = new TurnError("not_finished", "the response did not finish");
        }
        Usage used = usage == null ? null : KaiwaJson.readUsage(KaiwaJson.parse(usage), "usage");
        return new Turn(id, KaiwaJson.readItems(KaiwaJson.parse(input), "input"),
                KaiwaJson.readItems(KaiwaJson.parse(transcript != null ? transcript : output), "output"), used, ref,
                turnStatus, turnError, createdAt, completedAt, null);
    }
}
