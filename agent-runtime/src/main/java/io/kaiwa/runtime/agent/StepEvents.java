package io.kaiwa.runtime.agent;

import io.kaiwa.core.event.StreamEvent;

/** One model call's stream events placed in the response's output, which earlier items (calls, a compaction) began. */
public final class StepEvents {
    private StepEvents() {
    }

    /** @return the output index an event is about, or -1 for events about the whole turn */
    public static int indexOf(StreamEvent e) {
        if (e instanceof StreamEvent.TextDelta d) {
            return d.outputIndex();
        }
        if (e instanceof StreamEvent.ReasoningDelta d) {
            return d.outputIndex();
        }
        if (e instanceof StreamEvent.RefusalDelta d) {
            return d.outputIndex();
        }
        if (e instanceof StreamEvent.ItemAdded a) {
            return a.outputIndex();
        }
        if (e instanceof StreamEvent.ItemDone d) {
            return d.outputIndex();
        }
        if (e instanceof StreamEvent.ToolCallProgress p) {
            return p.outputIndex();
        }
        return -1;
    }

    /** @return the event with its output index moved past the {@code base} items before it */
    public static StreamEvent shift(StreamEvent e, int base) {
        if (base == 0) {
            return e;
        }
        if (e instanceof StreamEvent.TextDelta d) {
            return new StreamEvent.TextDelta(d.itemId(), base + d.outputIndex(), d.contentIndex(), d.delta());
        }
        if (e instanceof StreamEvent.RefusalDelta d) {
            return new StreamEvent.RefusalDelta(d.itemId(), base + d.outputIndex(), d.contentIndex(), d.delta());
        }
        if (e instanceof StreamEvent.ReasoningDelta d) {
            return new StreamEvent.ReasoningDelta(d.itemId(), base + d.outputIndex(), d.part(), d.delta(),
                    d.summary());
        }
        if (e instanceof StreamEvent.ItemAdded a) {
            return new StreamEvent.ItemAdded(base + a.outputIndex(), a.item());
        }
        if (e instanceof StreamEvent.ItemDone d) {
            return new StreamEvent.ItemDone(base + d.outputIndex(), d.item());
        }
        if (e instanceof StreamEvent.ToolCallProgress p) {
            return new StreamEvent.ToolCallProgress(p.itemId(), base + p.outputIndex(), p.tool(), p.phase(),
                    p.delta());
        }
        return e;
    }
}
