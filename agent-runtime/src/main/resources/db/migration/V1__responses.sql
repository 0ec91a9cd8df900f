-- One row per stored response (store: true). The chain of a conversation is previous_response_id, so two requests
-- continuing the same response fork it without touching each other.
CREATE TABLE kaiwa_response (
    id                   text PRIMARY KEY,
    tenant               text        NOT NULL,
    status               text        NOT NULL,
    model                text        NOT NULL,
    provider             text        NOT NULL,
    previous_response_id text,
    created_at           timestamptz NOT NULL,
    completed_at         timestamptz,
    background           boolean     NOT NULL DEFAULT false,
    -- The create request's parameters as the client sent them (JSON), echoed in the response object.
    request              text        NOT NULL,
    -- The turn's new input items and output items (JSON arrays in Responses API shape).
    input                text        NOT NULL,
    output               text        NOT NULL DEFAULT '[]',
    usage                text,
    error                text,
    -- The provider's own stored response, chained from while it is valid.
    provider_key         text,
    provider_response_id text,
    provider_expires_at  timestamptz,
    -- Background tasks: who runs it, until when, and whether the client asked to stop it.
    lease_owner          text,
    lease_until          timestamptz,
    cancel_requested     boolean     NOT NULL DEFAULT false,
    next_sequence        integer     NOT NULL DEFAULT 0
);

CREATE INDEX kaiwa_response_tasks ON kaiwa_response (created_at) WHERE background AND status IN ('queued', 'in_progress');

-- The streamed events of background responses, for polling progress and resuming streams.
CREATE TABLE kaiwa_response_event (
    response_id     text    NOT NULL REFERENCES kaiwa_response (id) ON DELETE CASCADE,
    sequence_number integer NOT NULL,
    data            text    NOT NULL,
    PRIMARY KEY (response_id, sequence_number)
);
