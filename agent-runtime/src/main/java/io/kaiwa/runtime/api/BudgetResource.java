package io.kaiwa.runtime.api;

import java.math.BigDecimal;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kaiwa.runtime.service.Budgets;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/budget} (Kaiwa's own): the caller's budget and what it has spent of it in the current period,
 * {@code {"object":"budget","period","currency","limit","remaining","spent"}}; for a tenant without a budget,
 * whose spending is not added up, {@code limit}, {@code spent} and {@code remaining} are {@code null}.
 */
@Path("/v1/budget")
public class BudgetResource {
    @Inject
    Budgets budgets;

    /**
     * @param rc the request
     * @return the caller's budget
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> get(RoutingContext rc) {
        return Uni.createFrom().deferred(() -> budgets.spend(ApiKeyAuth.tenant(rc)))
                .map(s -> ResponsesResource.ok(ResponsesResource.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("object", "budget");
                    g.writeStringField("period", s.period());
                    g.writeStringField("currency", s.currency());
                    if (s.limit() == null) {
                        // Nothing is added up for a tenant without a budget.
                        g.writeNullField("limit");
                        g.writeNullField("spent");
                        g.writeNullField("remaining");
                    } else {
                        g.writeFieldName("limit");
                        g.writeRawValue(s.limit().stripTrailingZeros().toPlainString());
                        g.writeFieldName("remaining");
                        g.writeRawValue(s.limit().subtract(s.spent()).max(BigDecimal.ZERO)
                                .stripTrailingZeros().toPlainString());
                        g.writeFieldName("spent");
                        g.writeRawValue(s.spent().stripTrailingZeros().toPlainString());
                    }
                    g.writeEndObject();
                }))).onFailure().recoverWithItem(ResponsesResource::error);
    }
}
