package io.kaiwa.runtime.persistence;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * What the service remembers beside the responses themselves: the lines of chains recall looks through, turns'
 * vectors, and tenants' spend. Every method is non-blocking and must be called on a Vert.x event loop.
 */
@ApplicationScoped
public class MemoryStore {
    /** A chain's every response, newest first: what recall looks through. Reads ids and statuses only. */
    private static final String LINE = "WITH RECURSIVE line AS (SELECT r.id, r.previous_response_id, r.tenant, r.status, "
            + "0 AS depth FROM kaiwa_response r WHERE r.id = :id AND r.tenant = :tenant UNION ALL SELECT p.id, "
            + "p.previous_response_id, p.tenant, p.status, l.depth + 1 FROM kaiwa_response p JOIN line l ON p.id = "
            + "l.previous_response_id AND p.tenant = l.tenant WHERE l.depth < 100000) SELECT l.id, l.status, l.depth "
            + "FROM line l ORDER BY l.depth";

    /** A turn's vectors: what the user said, and what the assistant answered. */
    public static final int VECTOR_PARTS = 2;
    private static final int VECTOR_SLICE = 10_000;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Vertx vertx;

    /**
     * One response of a chain, as recall sees it.
     *
     * @param id the response
     * @param status its status
     * @param depth how far back from the chain's end: 0 for the end
     */
    public record LineTurn(String id, ResponseStatus status, int depth) {
    }

    /**
     * @param tenant the caller's tenant
     * @param id the chain's last response
     * @return the chain's responses, newest first
     */
    public Uni<List<LineTurn>> line(String tenant, String id) {
        return sessions.withStatelessSession(s -> s.createNativeQuery(LINE, Object[].class).setParameter("id", id)
                .setParameter("tenant", tenant).getResultList()).map(rows -> {
                    var out = new ArrayList<LineTurn>(rows.size());
                    for (Object[] row : rows) {
                        out.add(new LineTurn((String) row[0], ResponseStatus.ofWire((String) row[1]),
                                ((Number) row[2]).intValue()));
                    }
                    return out;
                });
    }

    /**
     * @param ids responses of one of the caller's chains (read with {@link #line}, which checks the tenant)
     * @param model the embedding model
     * @return the vectors it made of them, by response id, by part (see {@link #VECTOR_PARTS}); a response it has
     *         not embedded is absent
     */
    public Uni<Map<String, float[][]>> vectors(Collection<String> ids, String model) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // Each id is a bind parameter, and PostgreSQL takes at most 65,535 in a statement: long chains go in slices.
        var slices = new ArrayList<List<String>>();
        var all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += VECTOR_SLICE) {
            slices.add(all.subList(from, Math.min(all.size(), from + VECTOR_SLICE)));
        }
        var out = new HashMap<String, float[][]>(all.size());
        return Multi.createFrom().iterable(slices).onItem().transformToUniAndConcatenate(slice -> sessions
                .withStatelessSession(s -> s.createNativeQuery("SELECT response_id, part, vector FROM "
                        + "kaiwa_turn_vector WHERE response_id IN (:ids) AND model = :model", Object[].class)
                        .setParameter("ids", slice).setParameter("model", model).getResultList()))
                .collect().in(() -> out, (map, rows) -> {
                    for (Object[] row : rows) {
                        map.computeIfAbsent((String) row[0], id -> new float[VECTOR_PARTS][])[((Number) row[1])
                                .intValue()] = Vectors.read((byte[]) row[2]);
                    }
                }).<Map<String, float[][]>>map(map -> map);
    }

    /**
     * Stores turns' vectors, replacing another model's.
     *
     * @param model the embedding model that made them
     * @param vectors by response id, by part
     * @return when they are committed
     */
    public Uni<Void> saveVectors(String model, Map<String, float[][]> vectors) {
        if (vectors.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SafeContext.apart(vertx, () -> sessions.withTransaction(s -> {
            Uni<Integer> all = Uni.createFrom().item(0);
            for (Map.Entry<String, float[][]> e : vectors.entrySet()) {
                for (int part = 0; part < VECTOR_PARTS; part++) {
                    short p = (short) part;
                    byte[] bytes = Vectors.write(e.getValue()[part]);
                    all = all.chain(n -> s.createNativeQuery("INSERT INTO kaiwa_turn_vector (response_id, part, model, "
                            + "vector) VALUES (:id, :part, :model, :vector) ON CONFLICT (response_id, part) DO UPDATE "
                            + "SET model = excluded.model, vector = excluded.vector").setParameter("id", e.getKey())
                            .setParameter("part", p).setParameter("model", model).setParameter("vector", bytes)
                            .executeUpdate().map(m -> n + m));
                }
            }
            return all;
        })).replaceWithVoid();
    }

    /**
     * Adds to what a tenant has spent: one statement on one row, so that concurrent additions queue on the row and
     * none is lost.
     *
     * @param tenant the tenant
     * @param period the budget period, e.g. {@code 2026-12}
     * @param currency the currency
     * @param amount what was spent
     * @return when it is committed
     */
    public Uni<Void> addSpend(String tenant, String period, String currency, BigDecimal amount) {
        return SafeContext.apart(vertx, () -> sessions.withStatelessSession(s -> s
                .createNativeQuery("INSERT INTO kaiwa_spend AS k (tenant, period, "
                        + "currency, spent) VALUES (:tenant, :period, :currency, :amount) ON CONFLICT (tenant, period, currency) "
                        + "DO UPDATE SET spent = k.spent + excluded.spent")
                .setParameter("tenant", tenant)
                .setParameter("period", period).setParameter("currency", currency).setParameter("amount", amount)
                .executeUpdate())).replaceWithVoid();
    }

    /**
     * @param tenant the tenant
     * @param period the budget period
     * @param currency the currency
     * @return what it has spent in that period and currency; zero when nothing
     */
    public Uni<BigDecimal> spent(String tenant, String period, String currency) {
        return sessions.withStatelessSession(s -> s.createNativeQuery("SELECT spent FROM kaiwa_spend WHERE tenant = "
                + ":tenant AND period = :period AND currency = :currency", BigDecimal.class)
                .setParameter("tenant", tenant).setParameter("period", period).setParameter("currency", currency)
                .getResultList()).map(rows -> rows.isEmpty() ? BigDecimal.ZERO : rows.get(0));
    }
}
