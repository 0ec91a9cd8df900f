package io.kaiwa.core.context;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.options.RequestOptions;
import io.smallrye.mutiny.Uni;

/**
 * A {@link Summarizer} that asks a model, through any {@link ModelAdapter}: the items are written out as a plain
 * transcript and the model writes the summary, keeping every fact, name, number, date, decision and open question
 * in the language it was said in. A cheap, fast model does well (the service's default for DashScope is
 * {@code qwen-flash}). Thread-safe.
 */
public final class ModelSummarizer implements Summarizer {
    /** What the summarising model is told. */
    public static final String INSTRUCTIONS = "You keep the memory of a conversation between a user and an "
            + "assistant. Write a summary that lets the assistant continue the conversation without seeing it: keep "
            + "every fact the user gave (names, numbers, dates, places, preferences, plans), every decision and "
            + "answer the assistant gave, and every open question, each in the language it was said in. Fold the "
            + "earlier summary in when there is one. Write dense plain text, no preamble.";
    private static final int MAX_ITEM_CHARS = 4_000;

    private final ModelAdapter adapter;
    private final String model;
    private final RequestOptions options;

    /**
     * @param adapter the adapter to ask with
     * @param model the model that summarises, or {@code null} for the adapter's default
     * @param options the call's options (a {@code maxOutputTokens}, say); never {@code null}
     */
    public ModelSummarizer(ModelAdapter adapter, String model, RequestOptions options) {
        this.adapter = requireNonNull(adapter, "adapter");
        this.model = model;
        this.options = requireNonNull(options, "options");
    }

    @Override
    public Uni<Summary> summarize(String previous, List<Item> items) {
        return Uni.createFrom().deferred(() -> {
            var conversation = Conversation.builder().model(model).instructions(INSTRUCTIONS).build();
            var text = new StringBuilder(4096);
            if (previous != null) {
                text.append("Summary so far:\n").append(previous).append("\n\n");
            }
            text.append("Conversation to fold in:\n");
            transcript(items, text);
            return adapter.send(conversation, List.of(MessageItem.user(text.toString())), options)
                    .map(turn -> new Summary(turn.outputText(), turn.usage()));
        });
    }

    /**
     * @param items items
     * @param out where their plain-text transcript goes, a line or paragraph each
     */
    static void transcript(List<Item> items, StringBuilder out) {
        for (Item item : items) {
            if (item instanceof MessageItem m) {
                out.append(m.role().wire()).append(": ");
                for (ContentPart p : m.content()) {
                    if (p instanceof InputText t) {
                        out.append(clip(t.text())).append(' ');
                    } else if (p instanceof OutputText t) {
                        out.append(clip(t.text())).append(' ');
                    } else if (p instanceof Refusal r) {
                        out.append("(refused) ").append(clip(r.refusal())).append(' ');
                    } else {
                        out.append('[').append(p.type()).append("] ");
                    }
                }
            } else if (item instanceof FunctionCallItem c) {
                out.append("assistant called ").append(c.name()).append(clip(c.arguments()));
            } else if (item instanceof FunctionCallOutputItem o) {
                out.append("result: ").append(clip(o.output()));
            } else if (item instanceof WebSearchCallItem w && w.action() != null) {
                out.append("assistant searched the web for: ").append(w.action().query());
            } else if (item instanceof WebExtractorCallItem w) {
                out.append("assistant read ").append(w.urls()).append(": ").append(clip(w.output()));
            } else if (item instanceof CodeInterpreterCallItem c) {
                out.append("assistant ran code: ").append(clip(c.code()));
            } else if (item instanceof CompactionItem c && c.readable()) {
                out.append("summary of what came before: ").append(c.summary()).append('\n');
                transcript(c.kept(), out);
                continue;
            } else {
                // Reasoning, unknown items and opaque compactions say nothing the summary must keep.
                continue;
            }
            out.append('\n');
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_ITEM_CHARS ? s : s.substring(0, MAX_ITEM_CHARS) + " …";
    }
}
