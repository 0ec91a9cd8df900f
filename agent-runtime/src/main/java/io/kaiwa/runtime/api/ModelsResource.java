package io.kaiwa.runtime.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonGenerator;

import io.kaiwa.core.catalogue.Modality;
import io.kaiwa.core.catalogue.ModelInfo;
import io.kaiwa.core.catalogue.PriceTier;
import io.kaiwa.core.catalogue.Pricing;
import io.kaiwa.runtime.provider.Models;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.provider.Providers;

/**
 * {@code GET /v1/models}: the models the providers are configured for (prefix patterns are not listed) and the
 * catalogue's, in OpenAI's shape ({@code id}, {@code object}, {@code created}, {@code owned_by}: the provider that
 * serves it), each with what the catalogue knows of it: limits, modalities, thinking, multi-turn, context cache,
 * prices, and where and when the figures were read.
 */
@Path("/v1/models")
public class ModelsResource {
    @Inject
    Providers providers;

    @Inject
    Models models;

    /** @return the model list */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        Map<String, ModelInfo> listed = new LinkedHashMap<>();
        for (Provider p : providers.all().values()) {
            for (String model : p.models()) {
                if (!model.endsWith("*")) {
                    listed.put(model, models.info(model));
                }
            }
        }
        for (ModelInfo m : models.catalogue().models()) {
            listed.putIfAbsent(m.name(), m);
        }
        return ResponsesResource.write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (Map.Entry<String, ModelInfo> e : listed.entrySet()) {
                model(g, e.getKey(), e.getValue());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void model(JsonGenerator g, String id, ModelInfo m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("object", "model");
        g.writeNumberField("created", 0);
        g.writeStringField("owned_by", providers.route(id).name());
        number(g, "context_window", m.contextWindow());
        number(g, "max_input_tokens", m.maxInputTokens());
        number(g, "max_output_tokens", m.maxOutputTokens());
        g.writeObjectFieldStart("modalities");
        g.writeArrayFieldStart("input");
        for (Modality x : Modality.values()) {
            if (m.inputModalities().contains(x)) {
                g.writeString(x.wire());
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("output");
        for (Modality x : Modality.values()) {
            if (m.outputModalities().contains(x)) {
                g.writeString(x.wire());
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeStringField("thinking", m.thinking().wire());
        g.writeStringField("reasoning_replay", m.reasoningReplay().name().toLowerCase(java.util.Locale.ROOT));
        g.writeBooleanField("multi_turn", m.multiTurn());
        g.writeBooleanField("context_cache", m.contextCache());
        if (m.pricing() != null) {
            pricing(g, m.pricing());
        } else {
            g.writeNullField("pricing");
        }
        g.writeStringField("source", m.source());
        g.writeStringField("source_date", m.sourceDate() == null ? null : m.sourceDate().toString());
        g.writeEndObject();
    }

    private static void pricing(JsonGenerator g, Pricing p) throws IOException {
        g.writeObjectFieldStart("pricing");
        g.writeStringField("currency", p.currency());
        g.writeStringField("unit", "per_million_tokens");
        g.writeArrayFieldStart("tiers");
        for (PriceTier t : p.tiers()) {
            g.writeStartObject();
            if (t.maxInputTokens() != null) {
                g.writeNumberField("max_input_tokens", t.maxInputTokens());
            } else {
                g.writeNullField("max_input_tokens");
            }
            g.writeNumberField("input", t.input());
            g.writeNumberField("cached_input", t.cachedInputOrInput());
            g.writeNumberField("output", t.output());
            g.writeNumberField("thinking_output", t.thinkingOutputOrOutput());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("tool_calls");
        for (Map.Entry<String, BigDecimal> e : p.toolCalls().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, Integer value) throws IOException {
        if (value != null) {
            g.writeNumberField(field, value);
        } else {
            g.writeNullField(field);
        }
    }
}
