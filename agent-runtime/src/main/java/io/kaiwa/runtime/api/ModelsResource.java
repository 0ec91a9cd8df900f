package io.kaiwa.runtime.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.provider.Providers;

/** {@code GET /v1/models}: the models the providers are configured for (prefix patterns are not listed). */
@Path("/v1/models")
public class ModelsResource {
    @Inject
    Providers providers;

    /** @return the model list, in OpenAI's shape */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        return ResponsesResource.write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (Provider p : providers.all().values()) {
                for (String model : p.models()) {
                    if (!model.endsWith("*")) {
                        g.writeStartObject();
                        g.writeStringField("id", model);
                        g.writeStringField("object", "model");
                        g.writeNumberField("created", 0);
                        g.writeStringField("owned_by", p.name());
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
