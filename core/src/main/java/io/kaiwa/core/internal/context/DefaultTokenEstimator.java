package io.kaiwa.core.internal.context;

import java.util.concurrent.atomic.AtomicLong;

import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputAudio;
import io.kaiwa.core.content.InputFile;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.content.UnknownContent;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.spi.TokenEstimator;

/**
 * The default {@link TokenEstimator}. Qwen's and OpenAI's tokenizers spend about one token per CJK character and
 * about one per four characters of English; the estimate scales a character-class count by a factor learnt from
 * the provider's reported {@code input_tokens}.
 */
public final class DefaultTokenEstimator implements TokenEstimator {
    /** Framing every message or item costs (role markers, separators), as chat templates add it. */
    static final int ITEM_OVERHEAD = 4;
    /** Qwen-VL spends 4 to 1,280 tokens per image by resolution; a mid value keeps budgets honest. */
    static final int IMAGE_TOKENS = 768;
    static final int AUDIO_TOKENS = 500;
    static final int FILE_TOKENS = 1_000;

    private static final double MIN_FACTOR = 0.25;
    private static final double MAX_FACTOR = 4.0;
    /** Weight of the newest observation: recent turns speak for the tokenizer, one odd turn does not. */
    private static final double LEARNING_RATE = 0.3;

    private final AtomicLong factorBits = new AtomicLong(Double.doubleToRawLongBits(1.0));

    @Override
    public long estimateText(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return scale(rawText(text));
    }

    @Override
    public long estimate(Item item) {
        return scale(rawItem(item));
    }

    @Override
    public void calibrate(long estimatedTokens, long reportedInputTokens) {
        if (estimatedTokens <= 0 || reportedInputTokens <= 0) {
            return;
        }
        double current;
        double next;
        long bits;
        do {
            bits = factorBits.get();
            current = Double.longBitsToDouble(bits);
            // The estimate already includes the current factor: the raw count is estimate / current.
            double observed = reportedInputTokens / (estimatedTokens / current);
            next = clamp(current + LEARNING_RATE * (observed - current));
        } while (!factorBits.compareAndSet(bits, Double.doubleToRawLongBits(next)));
    }

    /** @return the current calibration factor, 1.0 before any calibration */
    public double factor() {
        return Double.longBitsToDouble(factorBits.get());
    }

    private long scale(double raw) {
        return (long) Math.ceil(raw * factor());
    }

    private static double clamp(double f) {
        return Math.max(MIN_FACTOR, Math.min(MAX_FACTOR, f));
    }

    static double rawText(String text) {
        if (text == null) {
            return 0;
        }
        double tokens = 0;
        int latin = 0;
        int len = text.length();
        for (int i = 0; i < len;) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                latin++;
            } else if (isCjk(cp)) {
                tokens += 1.0;
            } else if (cp >= 0x1F000) {
                // Emoji and other astral symbols split into several byte-level tokens.
                tokens += 2.0;
            } else {
                // Accented Latin, Cyrillic, Greek, Arabic...: byte-level BPE spends about two characters a token.
                tokens += 0.5;
            }
        }
        return tokens + latin / 4.0;
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
                // Full-width forms and CJK punctuation are one token each, like the ideographs around them.
                || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
    }

    private static double rawItem(Item item) {
        double n = ITEM_OVERHEAD;
        if (item instanceof MessageItem m) {
            for (ContentPart part : m.content()) {
                n += rawPart(part);
            }
        } else if (item instanceof ReasoningItem r) {
            for (String s : r.summary()) {
                n += rawText(s);
            }
            for (String s : r.content()) {
                n += rawText(s);
            }
            n += rawText(r.encryptedContent());
        } else if (item instanceof FunctionCallItem c) {
            n += rawText(c.name()) + rawText(c.arguments());
        } else if (item instanceof FunctionCallOutputItem o) {
            n += rawText(o.output());
        } else if (item instanceof WebSearchCallItem w) {
            n += w.action() == null ? 0 : rawText(w.action().query()) + 16.0 * w.action().sources().size();
        } else if (item instanceof WebExtractorCallItem w) {
            n += rawText(w.goal()) + rawText(w.output()) + 16.0 * w.urls().size();
        } else if (item instanceof CodeInterpreterCallItem c) {
            n += rawText(c.code());
            for (CodeInterpreterCallItem.Output o : c.outputs()) {
                n += o instanceof CodeInterpreterCallItem.Logs l ? rawText(l.logs()) : IMAGE_TOKENS;
            }
        } else if (item instanceof CompactionItem c) {
            n += c.summary() != null ? rawText(c.summary()) : rawText(c.encryptedContent());
            for (Item kept : c.kept()) {
                n += rawItem(kept);
            }
        } else if (item instanceof UnknownItem u) {
            n += rawText(u.raw().toString());
        } else {
            throw new AssertionError(item);
        }
        return n;
    }

    private static double rawPart(ContentPart part) {
        if (part instanceof InputText t) {
            return rawText(t.text());
        }
        if (part instanceof OutputText t) {
            return rawText(t.text());
        }
        if (part instanceof Refusal r) {
            return rawText(r.refusal());
        }
        if (part instanceof InputImage) {
            return IMAGE_TOKENS;
        }
        if (part instanceof InputAudio) {
            return AUDIO_TOKENS;
        }
        if (part instanceof InputFile) {
            return FILE_TOKENS;
        }
        if (part instanceof UnknownContent u) {
            return rawText(u.raw().toString());
        }
        throw new AssertionError(part);
    }
}
