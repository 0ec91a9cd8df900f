-- The Conversations API: a conversation's items, in order. A response created with "conversation" is sent them
-- before its input, and its input and output are appended when it completes.
CREATE TABLE kaiwa_conversation (
    id         text        PRIMARY KEY,
    tenant     text        NOT NULL,
    created_at timestamptz NOT NULL,
    metadata   text        NOT NULL
);

CREATE TABLE kaiwa_conversation_item (
    conversation_id text        NOT NULL REFERENCES kaiwa_conversation (id) ON DELETE CASCADE,
    position        bigserial,
    id              text        NOT NULL,
    item            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, position)
);
CREATE UNIQUE INDEX kaiwa_conversation_item_id ON kaiwa_conversation_item (conversation_id, id);
