-- A response whose output holds a compaction item stands for everything before it: the chain of a later response
-- is read back to it and no further.
ALTER TABLE kaiwa_response ADD COLUMN compacted boolean NOT NULL DEFAULT false;

-- The service's own secrets, shared by every instance on this database: the key that seals compaction items, made
-- by the first instance that needs it unless configured (kaiwa.context.key).
CREATE TABLE kaiwa_secret (
    name  text PRIMARY KEY,
    value text NOT NULL
);
