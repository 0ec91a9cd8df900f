package io.kaiwa.runtime.service;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.catalogue.Cost;
import io.kaiwa.core.exception.InsufficientQuotaException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.persistence.MemoryStore;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.smallrye.mutiny.Uni;

/**
 * Per-tenant budgets ({@code kaiwa.budgets.<tenant>.*}): what a tenant spends, in the catalogue's prices, is added up
 * as each response ends; once it reaches the limit, its requests are refused (429 {@code insufficient_quota}) until
 * the next period or a higher limit. Responses already running when it is reached finish, so the limit can be passed
 * by what they cost. Tenants without a budget cost nothing here.
 */
@ApplicationScoped
public class Budgets {
    private static final Logger LOG = Logger.getLogger(Budgets.class);

    @Inject
    KaiwaConfig config;

    @Inject
    MemoryStore store;

    /**
     * A tenant's budget and what it has spent of it.
     *
     * @param tenant the tenant
     * @param period the current period: {@code 2026-12}, or {@code total}
     * @param currency the budget's currency
     * @param limit the limit, or {@code null} when the tenant has no budget
     * @param spent what it has spent in the period
     */
    public record Spend(String tenant, String period, String currency, BigDecimal limit, BigDecimal spent) {
        /** @return whether the limit is reached */
        public boolean exhausted() {
            return limit != null && spent.compareTo(limit) >= 0;
        }
    }

    /**
     * @param tenant the caller's tenant
     * @return its budget and spend (in the default currency, USD, when it has no budget: nothing is added up then)
     */
    public Uni<Spend> spend(String tenant) {
        KaiwaConfig.Budget budget = config.budgets().get(tenant);
        if (budget == null) {
            return Uni.createFrom().item(new Spend(tenant, period(KaiwaConfig.BudgetPeriod.MONTH), "USD", null,
                    BigDecimal.ZERO));
        }
        String period = period(budget.period());
        return store.spent(tenant, period, budget.currency())
                .map(spent -> new Spend(tenant, period, budget.currency(), budget.limit(), spent));
    }

    /**
     * @param tenant the caller's tenant
     * @return resolves when the tenant may spend more; fails with a 429 {@code insufficient_quota} naming the budget
     *         when its limit is reached
     */
    public Uni<Void> check(String tenant) {
        if (!config.budgets().containsKey(tenant)) {
            return Uni.createFrom().voidItem();
        }
        return spend(tenant).map(s -> {
            if (s.exhausted()) {
                throw new InsufficientQuotaException("Tenant '" + tenant + "' has spent " + s.spent().toPlainString()
                        + " " + s.currency() + " of its budget of " + s.limit().toPlainString() + " " + s.currency()
                        + (s.period().equals("total") ? "" : " for " + s.period()) + "; requests are refused until "
                        + (s.period().equals("total") ? "" : "next month or until ")
                        + "kaiwa.budgets." + tenant + ".limit is raised.", 429, "insufficient_quota", null, null);
            }
            return null;
        });
    }

    /**
     * Adds what a finished response cost to its tenant's spend, when the tenant has a budget in that currency. A
     * failure to add it is logged, never the response's failure.
     *
     * @param finished the response as it is stored, its cost in {@code usage.x_cost}
     * @return when it is added
     */
    public Uni<Void> charge(ResponseRecord finished) {
        if (!config.budgets().containsKey(finished.tenant) || finished.usage == null) {
            return Uni.createFrom().voidItem();
        }
        JsonNode cost = KaiwaJson.parse(finished.usage).path("x_cost");
        if (!cost.path("total").isNumber()) {
            return Uni.createFrom().voidItem();
        }
        return charge(finished.tenant, cost.path("currency").asText(), cost.get("total").decimalValue());
    }

    /**
     * Adds a cost to a tenant's spend, when the tenant has a budget in its currency (a cost in another currency is
     * logged, not counted). A failure to add it is logged, never the caller's failure.
     *
     * @param tenant the tenant
     * @param cost what was spent (a response the client abandoned, a compaction), or {@code null} when not known
     * @return when it is added
     */
    public Uni<Void> charge(String tenant, Cost cost) {
        return cost == null || !config.budgets().containsKey(tenant)
                ? Uni.createFrom().voidItem()
                : charge(tenant, cost.currency(), cost.total());
    }

    private Uni<Void> charge(String tenant, String currency, BigDecimal total) {
        KaiwaConfig.Budget budget = config.budgets().get(tenant);
        if (total.signum() == 0) {
            return Uni.createFrom().voidItem();
        }
        if (!budget.currency().equals(currency)) {
            LOG.warnf("%s spent %s %s, not counted against its budget in %s", tenant, total.toPlainString(), currency,
                    budget.currency());
            return Uni.createFrom().voidItem();
        }
        return store.addSpend(tenant, period(budget.period()), budget.currency(), total)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not add %s %s spent by %s to its budget: %s", total.toPlainString(),
                            budget.currency(), tenant, failure.toString());
                    return null;
                });
    }

    private static String period(KaiwaConfig.BudgetPeriod period) {
        return period == KaiwaConfig.BudgetPeriod.TOTAL ? "total" : YearMonth.now(ZoneOffset.UTC).toString();
    }
}
