package io.kaiwa.core.item;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a conversation's history, shaped and serialised exactly like a Responses API item.
 *
 * <p>
 * Known items keep the wire fields they do not model in {@link #extra()} and write them back unchanged; an item
 * type Kaiwa does not know becomes an {@link UnknownItem} holding its raw JSON, never an exception and never
 * dropped.
 */
public sealed interface Item permits MessageItem, ReasoningItem, FunctionCallItem, FunctionCallOutputItem,
        WebSearchCallItem, WebExtractorCallItem, CodeInterpreterCallItem, CompactionItem, UnknownItem {

    /** @return the wire discriminator, e.g. {@code "function_call"}; {@code null} only for an untyped unknown item */
    String type();

    /** @return the provider's item id, or {@code null} when it has none (input items usually have none) */
    String id();

    /** @return wire fields this version does not model, in the order received; never {@code null} */
    Map<String, JsonNode> extra();
}
