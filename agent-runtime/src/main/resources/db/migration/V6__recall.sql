-- Recall of earlier turns: each turn's vectors of the embedding model that made them (float32, little-endian), one for
-- what the user said (part 0) and one for what the assistant answered (part 1), empty when the turn has none; made when
-- the turn is first a candidate for recall. Another model's vectors are made again, not compared.
CREATE TABLE kaiwa_turn_vector (
    response_id text     NOT NULL REFERENCES kaiwa_response (id) ON DELETE CASCADE,
    part        smallint NOT NULL,
    model       text     NOT NULL,
    vector      bytea    NOT NULL,
    PRIMARY KEY (response_id, part)
);
