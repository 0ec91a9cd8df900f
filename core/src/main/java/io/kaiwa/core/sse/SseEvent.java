package io.kaiwa.core.sse;

import static java.util.Objects.requireNonNull;

/**
 * One event of a {@code text/event-stream}, as the SSE specification dispatches it.
 *
 * @param event the {@code event:} field, {@code "message"} when the stream set none; never {@code null}
 * @param data the {@code data:} lines joined with {@code \n}; never {@code null}
 * @param id the last {@code id:} the stream set (it persists across events), or {@code null}
 * @param retry the last {@code retry:} the stream set, in milliseconds, or {@code null}
 */
public record SseEvent(String event, String data, String id, Long retry) {
    /** The data OpenAI-compatible Chat Completions streams send as their last event. */
    public static final String DONE = "[DONE]";

    public SseEvent {
        requireNonNull(event, "event");
        requireNonNull(data, "data");
    }

    /** @return whether this is the {@code data: [DONE]} end marker */
    public boolean isDone() {
        return DONE.equals(data);
    }
}
