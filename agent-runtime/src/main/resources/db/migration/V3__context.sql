-- What Kaiwa did to the context a response was sent, when it changed it (a single-turn model is sent only the new
-- input): a JSON object, shown as the response's x_context.
ALTER TABLE kaiwa_response ADD COLUMN context text;
