package io.kaiwa.runtime.service;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.kaiwa.core.TurnError;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.Cost;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.persistence.ResponseRecord;

/** Between stored responses and core turns. */
public final class Records {
    private Records() {
    }

    /**
     * @param items items
     * @return their JSON array
     */
    public static String json(List<? extends Item> items) {
        return KaiwaJson.toJson(items);
    }

    /**
     * @param usage usage
     * @return its JSON object
     */
    public static String json(Usage usage) {
        return KaiwaJson.toJson(usage);
    }

    /**
     * Usage as a response carries it, with what it cost in money in Kaiwa's extension field {@code x_cost}: input,
     * cached input, output, tool calls, total, and {@code chain_total}, the running total of the chain of
     * responses it ends (when every response of it was priced, in one currency).
     *
     * @param usage usage
     * @param cost what it cost, or {@code null} when the model's prices are not known (no {@code x_cost} then)
     * @param before the chain's running total before this response
     * @return its JSON object
     */
    public static String json(Usage usage, Cost cost, ChainTotal before) {
        if (cost == null) {
            return json(usage);
        }
        ObjectNode tree = (ObjectNode) KaiwaJson.parse(json(usage));
        ObjectNode x = tree.putObject("x_cost");
        x.put("currency", cost.currency());
        money(x, "input", cost.input());
        money(x, "cached_input", cost.cachedInput());
        money(x, "output", cost.output());
        money(x, "tool_calls", cost.toolCalls());
        money(x, "total", cost.total());
        ChainTotal after = before == null ? null : before.plus(cost);
        if (after != null) {
            money(x, "chain_total", after.total());
        }
        return tree.toString();
    }

    private static void money(ObjectNode o, String field, BigDecimal amount) {
        // Plain digits, never 7.2E-3 (what a BigDecimal writes by default): clients read these as decimal numbers.
        o.putRawValue(field, new RawValue(amount.stripTrailingZeros().toPlainString()));
    }

    /**
     * The running total of a chain of responses, in money.
     *
     * @param currency its currency, or {@code null} before the chain's first response
     * @param total the total so far
     */
    public record ChainTotal(String currency, BigDecimal total) {
        /** Before the first response of a chain. */
        public static final ChainTotal START = new ChainTotal(null, BigDecimal.ZERO);

        /**
         * @param cost a response's cost
         * @return the total with it, or {@code null} when the currencies differ
         */
        ChainTotal plus(Cost cost) {
            if (currency != null && !currency.equals(cost.currency())) {
                return null;
            }
            return new ChainTotal(cost.currency(), total.add(cost.total()));
        }
    }

    /**
     * @param previous the response a new one continues, or {@code null} for none
     * @return the chain's running total up to and with it; {@code null} when it is not known (a response of the
     *         chain was not priced)
     */
    public static ChainTotal chainCost(ResponseRecord previous) {
        if (previous == null) {
            return ChainTotal.START;
        }
        if (previous.usage == null) {
            return null;
        }
        JsonNode x = KaiwaJson.parse(previous.usage).path("x_cost");
        JsonNode total = x.path("chain_total");
        return total.isNumber() ? new ChainTotal(x.path("currency").asText(), total.decimalValue()) : null;
    }

    /**
     * @param turnsLeftOut the earlier turns of the chain not sent
     * @return what a response to a single-turn model says of its context: {@code {"single_turn":true,...}}
     */
    public static String singleTurnContext(int turnsLeftOut) {
        ObjectNode o = KaiwaJson.mapper().createObjectNode();
        o.put("single_turn", true);
        o.put("turns_left_out", turnsLeftOut);
        return o.toString();
    }

    /**
     * @param error an error
     * @return {@code {"code","message"}}
     */
    public static String json(TurnError error) {
        var out = new StringWriter(128);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("code", error.code());
            g.writeStringField("message", error.message());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
