-- Recall of earlier turns: each turn's text as a vector of the embedding model that made it (float32, little-endian),
-- made when the turn is first a candidate for recall. Another model's vectors are made again, not compared.
CREATE TABLE kaiwa_turn_vector (
    response_id text  PRIMARY KEY REFERENCES kaiwa_response (id) ON DELETE CASCADE,
    model       text  NOT NULL,
    vector      bytea NOT NULL
);
