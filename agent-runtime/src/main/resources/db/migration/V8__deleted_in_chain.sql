-- A response deleted while later responses continue it: no longer retrievable or continued (deleted_at is set), but
-- its items stay as their history until the last of them is deleted, when it goes for good. Without this the chain
-- query stopped at the gap and later turns silently lost everything before it.
ALTER TABLE kaiwa_response ADD COLUMN deleted_at timestamptz;
CREATE INDEX kaiwa_response_previous ON kaiwa_response (previous_response_id) WHERE previous_response_id IS NOT NULL;
