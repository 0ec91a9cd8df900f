-- What the model saw of a response whose built-in tools Kaiwa ran itself: its function calls and their outputs,
-- in order (a JSON array of items). The response's output shows the tools' own items instead; a later response
-- continues from this.
ALTER TABLE kaiwa_response ADD COLUMN transcript text;
