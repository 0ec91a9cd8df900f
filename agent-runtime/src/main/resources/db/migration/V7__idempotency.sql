-- The Idempotency-Key a client sent with the request that made a response: a retry with the same key (and tenant)
-- within a day gets this response back instead of a second provider call. Not unique: responses are written in
-- groups, and one duplicate must not fail the others' insert; each instance keeps a key from being answered twice
-- at once.
ALTER TABLE kaiwa_response ADD COLUMN idempotency_key text;
CREATE INDEX kaiwa_response_idempotency ON kaiwa_response (tenant, idempotency_key, created_at)
    WHERE idempotency_key IS NOT NULL;
