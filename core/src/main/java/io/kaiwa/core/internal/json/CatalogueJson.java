package io.kaiwa.core.internal.json;

import static io.kaiwa.core.json.JsonFields.child;
import static io.kaiwa.core.json.JsonFields.index;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.catalogue.Modality;
import io.kaiwa.core.catalogue.ModelInfo;
import io.kaiwa.core.catalogue.PriceTier;
import io.kaiwa.core.catalogue.Pricing;
import io.kaiwa.core.catalogue.Thinking;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.JsonFields;

/** The model catalogue's file: {@code {"currency","source","sourceDate","models":[...]}}. */
public final class CatalogueJson {
    private CatalogueJson() {
    }

    /**
     * @param root the file's JSON
     * @return its models; each takes the file's currency, source and date unless it gives its own
     */
    public static List<ModelInfo> read(JsonNode root) {
        ObjectNode o = JsonFields.object(root, "");
        String currency = JsonFields.requiredString(o, "currency", "");
        String source = JsonFields.string(o, "source", "");
        LocalDate date = date(o, "sourceDate", "");
        ArrayNode models = JsonFields.array(o.get("models"), "models");
        var out = new ArrayList<ModelInfo>(models.size());
        for (int i = 0; i < models.size(); i++) {
            out.add(model(JsonFields.object(models.get(i), index("models", i)), index("models", i), currency,
                    source, date));
        }
        return out;
    }

    private static ModelInfo model(ObjectNode m, String path, String currency, String source, LocalDate date) {
        String name = JsonFields.requiredString(m, "name", path);
        try {
            String own = JsonFields.string(m, "source", path);
            LocalDate ownDate = date(m, "sourceDate", path);
            return new ModelInfo(name, strings(m, "aliases", path), JsonFields.optionalInt(m, "contextWindow", path),
                    JsonFields.optionalInt(m, "maxInputTokens", path),
                    JsonFields.optionalInt(m, "maxOutputTokens", path), modalities(m, "input", path),
                    modalities(m, "output", path),
                    Thinking.ofWire(orDefault(JsonFields.string(m, "thinking", path), "none")),
                    "keep".equals(JsonFields.string(m, "reasoningReplay", path))
                            ? ReasoningReplay.KEEP
                            : ReasoningReplay.OMIT,
                    bool(m, "multiTurn", path, true), bool(m, "contextCache", path, false),
                    pricing(m, path, currency), own != null ? own : source, ownDate != null ? ownDate : date);
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException(path, e.getMessage(), e);
        }
    }

    private static Pricing pricing(ObjectNode m, String path, String currency) {
        ArrayNode prices = JsonFields.optionalArray(m, "prices", path);
        if (prices == null) {
            return null;
        }
        var tiers = new ArrayList<PriceTier>(prices.size());
        for (int i = 0; i < prices.size(); i++) {
            String at = index(child(path, "prices"), i);
            ObjectNode t = JsonFields.object(prices.get(i), at);
            JsonNode limit = t.get("maxInputTokens");
            tiers.add(new PriceTier(limit == null || limit.isNull() ? null : limit.longValue(),
                    money(t, "input", at, true), money(t, "cachedInput", at, false), money(t, "output", at, true),
                    money(t, "thinkingOutput", at, false)));
        }
        Map<String, BigDecimal> tools = new LinkedHashMap<>();
        ObjectNode toolCalls = JsonFields.optionalObject(m, "toolCalls", path);
        if (toolCalls != null) {
            toolCalls.properties().forEach(e -> tools.put(e.getKey(), money(toolCalls, e.getKey(),
                    child(path, "toolCalls"), true)));
        }
        return new Pricing(orDefault(JsonFields.string(m, "currency", path), currency), tiers, tools);
    }

    private static BigDecimal money(ObjectNode o, String field, String path, boolean required) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw JsonFields.missing(child(path, field));
            }
            return null;
        }
        try {
            // Written as strings or numbers; a string keeps the figure exactly as the price list gives it.
            return n.isTextual() ? new BigDecimal(n.textValue()) : n.decimalValue();
        } catch (NumberFormatException e) {
            throw JsonFields.wrongType(child(path, field), "a price", n);
        }
    }

    /** Text when the field is left out; an empty list is a model that gives no such output (embeddings). */
    private static Set<Modality> modalities(ObjectNode m, String field, String path) {
        if (m.get(field) == null) {
            return EnumSet.of(Modality.TEXT);
        }
        Set<Modality> out = EnumSet.noneOf(Modality.class);
        for (String n : strings(m, field, path)) {
            out.add(Modality.ofWire(n));
        }
        return out;
    }

    private static List<String> strings(ObjectNode o, String field, String path) {
        ArrayNode a = JsonFields.optionalArray(o, field, path);
        if (a == null) {
            return List.of();
        }
        var out = new ArrayList<String>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode n = a.get(i);
            if (!n.isTextual()) {
                throw JsonFields.wrongType(index(child(path, field), i), "a string", n);
            }
            out.add(n.textValue());
        }
        return out;
    }

    private static boolean bool(ObjectNode o, String field, String path, boolean fallback) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw JsonFields.wrongType(child(path, field), "a boolean", n);
        }
        return n.booleanValue();
    }

    private static LocalDate date(ObjectNode o, String field, String path) {
        String s = JsonFields.string(o, field, path);
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(child(path, field), "expected a date (2026-12-01), got " + s, e);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
