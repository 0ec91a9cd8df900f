package io.kaiwa.runtime.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Stored responses and their events, always within one tenant: another tenant's id reads exactly like a missing
 * one. Every method is non-blocking and must be called on a Vert.x event loop.
 */
@ApplicationScoped
public class ResponseStore {
    private static final int GROUP_MAX = 256;
    /**
     * Writes in flight at once. One: while it is busy the queue grows and the next write takes all that gathered, so
     * under load the database commits (and flushes its log) once per group rather than once per response. Measured
     * at saturation against four writers: the database spends half the CPU per response; latency at 8 connections
     * is the same.
     */
    private static final int GROUP_WRITERS = 1;
    private static final String COLUMNS = "id, tenant, status, model, provider, previous_response_id, created_at, "
            + "completed_at, background, request, input, output, transcript, usage, error, provider_key, "
            + "provider_response_id, "
            + "provider_expires_at, lease_owner, lease_until, cancel_requested, next_sequence, context, compacted, "
            + "idempotency_key, deleted_at";

    /**
     * Follows previous_response_id up from a response, oldest first, in one round trip however long the chain, and
     * no further than the latest response that holds a compaction: it stands for everything before it.
     */
    private static final String CHAIN = "WITH RECURSIVE chain AS (SELECT r.*, 0 AS depth FROM kaiwa_response r "
            + "WHERE r.id = :id AND r.tenant = :tenant AND r.deleted_at IS NULL UNION ALL SELECT p.*, c.depth + 1 "
            + "FROM kaiwa_response p "
            + "JOIN chain c ON p.id = c.previous_response_id AND p.tenant = c.tenant WHERE c.depth < 100000 "
            + "AND NOT c.compacted) SELECT " + COLUMNS + " FROM chain ORDER BY depth DESC";

    /** The channel the store notifies when it has stored a response's events; the payload is the response id. */
    public static final String EVENTS_CHANNEL = "kaiwa_events";
    /** pg_notify returns nothing a client can read: counting its one row gives the call a result. */
    private static final String NOTIFY = "SELECT count(*) FROM (SELECT pg_notify('" + EVENTS_CHANNEL
            + "', :id)) AS sent";

    /** A lease's end on the database's clock, so that replicas whose clocks differ agree on when it runs out. */
    private static final String LEASE_END = "now() + CAST(:lease AS float8) * interval '1 millisecond'";

    /**
     * Hands queued tasks, and tasks whose worker's lease ran out, to one worker; others skip the locked rows. Each
     * claim gets a lease token of its own (the worker's id and a random part), so that a run whose lease ran out is
     * told so even when the same instance claims the task again.
     */
    private static final String CLAIM = "UPDATE kaiwa_response SET status = 'in_progress', lease_owner = :owner || "
            + "'/' || md5(CAST(random() AS text) || id), lease_until = " + LEASE_END + " WHERE id IN (SELECT id FROM "
            + "kaiwa_response WHERE background AND (status = 'queued' OR (status = 'in_progress' AND lease_until < "
            + "now())) ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;

    /**
     * A task taken over starts again: the events the previous run stored after the queued ones are dropped, and the
     * new run numbers its events after the highest of them, so a sequence number never means two different events.
     * ({@code next_sequence} is written only when a task ends, so while it runs it still marks the queued events.) A
     * statement of its own after the claim: it sees every event the previous run committed before the claim took the
     * row, and a later append finds the row taken.
     */
    private static final String RESTART = "WITH dropped AS (DELETE FROM kaiwa_response_event e USING kaiwa_response t "
            + "WHERE t.id IN (:ids) AND e.response_id = t.id AND e.sequence_number >= t.next_sequence RETURNING "
            + "e.response_id, e.sequence_number) UPDATE kaiwa_response r SET next_sequence = d.top + 1 FROM (SELECT "
            + "response_id, max(sequence_number) AS top FROM dropped GROUP BY response_id) d WHERE r.id = d.response_id "
            + "RETURNING r.id, r.next_sequence";

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Vertx vertx;

    /** New responses waiting for the next group commit. */
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();

    private record Pending(ResponseRecord record, Context caller, UniEmitter<? super Void> done) {
    }

    /**
     * Stores a new response together with those other requests are storing at the same moment: one transaction
     * and one commit for the lot (a group commit), so that under load the database is not asked for a commit per
     * response. Resolves, on the caller's context, once the response is committed.
     *
     * @param record a new response
     * @return when it is committed
     */
    public Uni<Void> insertSoon(ResponseRecord record) {
        return Uni.createFrom().emitter(done -> {
            pending.add(new Pending(record, Vertx.currentContext(), done));
            drain();
        });
    }

    private void drain() {
        int now;
        do {
            now = writing.get();
            if (pending.isEmpty() || now >= GROUP_WRITERS) {
                return;
            }
        } while (!writing.compareAndSet(now, now + 1));
        var batch = new ArrayList<Pending>(Math.min(pending.size(), GROUP_MAX));
        for (Pending p; batch.size() < GROUP_MAX && (p = pending.poll()) != null;) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            // Another writer took what was there.
            writing.decrementAndGet();
            return;
        }
        // No persistence context is needed to insert: a stateless session is the cheapest path. A lone insert
        // commits by itself (one round trip); a group shares one transaction.
        Uni<Void> write = batch.size() == 1
                ? sessions.withStatelessSession(s -> s.insert(batch.get(0).record))
                : sessions.withStatelessTransaction(s -> s.insertMultiple(
                        batch.stream().map(p -> (Object) p.record).toList()));
        SafeContext.run(vertx, () -> Uni.createFrom().deferred(() -> write).subscribe().with(ok -> {
            writing.decrementAndGet();
            batch.forEach(p -> answer(p, null));
            drain();
        }, failure -> {
            writing.decrementAndGet();
            batch.forEach(p -> answer(p, failure));
            drain();
        }));
    }

    private static void answer(Pending p, Throwable failure) {
        SafeContext.back(p.caller, () -> {
            if (failure == null) {
                p.done.complete(null);
            } else {
                p.done.fail(failure);
            }
        });
    }

    /**
     * @param record a new response
     * @return when it is committed
     */
    public Uni<Void> insert(ResponseRecord record) {
        return sessions.withTransaction(s -> s.persist(record));
    }

    /**
     * @param record a new response
     * @param events its first events
     * @return when both are committed
     */
    public Uni<Void> insert(ResponseRecord record, List<EventRecord> events) {
        return sessions.withTransaction(s -> s.persist(record).chain(() -> appendEvents(s, events)));
    }

    /**
     * Ends a task: its final state and last events in one transaction, only while the worker still holds it (a
     * worker whose lease ran out and was taken over writes nothing).
     *
     * @param r the task with its final status, output, usage and error
     * @param owner the lease token the run was given by {@link #claim}
     * @param events the last events
     * @return whether the worker still held the task
     */
    public Uni<Boolean> finishTask(ResponseRecord r, String owner, List<EventRecord> events) {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE kaiwa_response SET status = :status, "
                + "output = :output, transcript = :transcript, usage = :usage, error = :error, completed_at = :completed, "
                + "context = :context, compacted = :compacted, "
                + "provider_key = :pkey, provider_response_id = :pid, provider_expires_at = :pexp, "
                + "next_sequence = :next, lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = "
                + ":owner").setParameter("status", r.status.wire()).setParameter("output", r.output)
                .setParameter("transcript", r.transcript).setParameter("usage", r.usage)
                .setParameter("context", r.context).setParameter("compacted", r.compacted)
                .setParameter("error", r.error)
                .setParameter("completed", r.completedAt).setParameter("pkey", r.providerKey)
                .setParameter("pid", r.providerResponseId).setParameter("pexp", r.providerExpiresAt)
                .setParameter("next", r.nextSequence).setParameter("id", r.id).setParameter("owner", owner)
                .executeUpdate().chain(n -> n == 0
                        ? Uni.createFrom().item(false)
                        : appendEvents(s, events).replaceWith(true)));
    }

    /**
     * Cancels a task no worker has claimed yet.
     *
     * @param r the queued task, with status {@code cancelled}
     * @param events its closing events
     * @return whether it was still queued
     */
    public Uni<Boolean> cancelQueued(ResponseRecord r, List<EventRecord> events) {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE kaiwa_response SET status = 'cancelled', "
                + "cancel_requested = true, completed_at = :completed, next_sequence = :next WHERE id = :id "
                + "AND status = 'queued'").setParameter("completed", r.completedAt)
                .setParameter("next", r.nextSequence).setParameter("id", r.id).executeUpdate()
                .chain(n -> n == 0 ? Uni.createFrom().item(false) : appendEvents(s, events).replaceWith(true)));
    }

    /**
     * Appends a running task's events, only while the worker still holds it: a worker whose lease ran out and was
     * taken over stores nothing more. The task's row stays share-locked until the events are committed, so a
     * takeover waits for them (and then drops them with the rest of the old run's).
     *
     * @param id the task
     * @param owner the lease token the run was given by {@link #claim}
     * @param events events to append to its stream
     * @return whether the worker still held the task (and the events are committed)
     */
    public Uni<Boolean> appendTaskEvents(String id, String owner, List<EventRecord> events) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                "SELECT 1 FROM kaiwa_response WHERE id = :id AND lease_owner = :owner FOR SHARE", Integer.class)
                .setParameter("id", id).setParameter("owner", owner).getResultList()
                .chain(held -> held.isEmpty()
                        ? Uni.createFrom().item(false)
                        : appendEvents(s, events).replaceWith(true)));
    }

    /**
     * Stores a response's events and, in the same transaction, notifies the instances following its stream
     * ({@code NOTIFY} is delivered when the transaction commits, and not at all when it rolls back).
     */
    private static Uni<Void> appendEvents(Mutiny.Session s, List<EventRecord> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return s.persistAll(events.toArray()).chain(() -> s.createNativeQuery(NOTIFY, Long.class)
                .setParameter("id", events.get(0).responseId).getSingleResult()).replaceWithVoid();
    }

    /**
     * @param tenant the caller's tenant
     * @param key an {@code Idempotency-Key}
     * @param since the oldest response it may name
     * @return the latest response made with it since then that did not fail (a failed one is answered anew), or
     *         {@code null}
     */
    public Uni<ResponseRecord> findByIdempotencyKey(String tenant, String key, Instant since) {
        return sessions.withSession(s -> s.createSelectionQuery("from ResponseRecord where tenant = :tenant and "
                + "idempotencyKey = :key and createdAt > :since and status <> :failed and deletedAt is null "
                + "order by createdAt desc",
                ResponseRecord.class).setParameter("tenant", tenant).setParameter("key", key)
                .setParameter("since", since).setParameter("failed", ResponseStatus.FAILED)
                .setMaxResults(1).getResultList()).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** @return when the database answered a trivial query */
    public Uni<Void> ping() {
        return sessions.withStatelessSession(s -> s.createNativeQuery("SELECT 1").getSingleResult()).replaceWithVoid();
    }

    /**
     * @param tenant the caller's tenant
     * @param id a response id
     * @return the response, or {@code null} when it does not exist for this tenant
     */
    public Uni<ResponseRecord> find(String tenant, String id) {
        return sessions.withSession(s -> s.find(ResponseRecord.class, id))
                .map(r -> r != null && r.tenant.equals(tenant) && r.deletedAt == null ? r : null);
    }

    /**
     * @param tenant the caller's tenant
     * @param id the response to start from
     * @return the response and its ancestors through previous_response_id, oldest first; empty when it does not
     *         exist for this tenant
     */
    public Uni<List<ResponseRecord>> chain(String tenant, String id) {
        return sessions.withSession(s -> s.createNativeQuery(CHAIN, ResponseRecord.class).setParameter("id", id)
                .setParameter("tenant", tenant).getResultList());
    }

    /**
     * @param tenant the caller's tenant
     * @param ids response ids
     * @return those of them that exist for this tenant, in no order
     */
    public Uni<List<ResponseRecord>> findAll(String tenant, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return sessions.withSession(s -> s.createSelectionQuery("from ResponseRecord where tenant = :tenant and id in "
                + ":ids and deletedAt is null", ResponseRecord.class).setParameter("tenant", tenant)
                .setParameter("ids", ids)
                .getResultList());
    }

    /**
     * Deletes a response. One that later responses continue is kept as their history only (marked deleted: it is
     * then neither retrievable nor continued), so that they keep answering as they did; it goes for good, with its
     * events, when the last response continuing it does, and so do deleted ancestors nothing continues any more.
     *
     * @param tenant the caller's tenant
     * @param id a response id
     * @return whether it existed (for this tenant) and is now deleted
     */
    public Uni<Boolean> delete(String tenant, String id) {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE kaiwa_response r SET deleted_at = now() "
                + "WHERE r.id = :id AND r.tenant = :tenant AND r.deleted_at IS NULL AND EXISTS (SELECT 1 FROM "
                + "kaiwa_response c WHERE c.previous_response_id = r.id AND c.tenant = r.tenant)")
                .setParameter("id", id).setParameter("tenant", tenant).executeUpdate()
                .chain(kept -> kept > 0
                        ? Uni.createFrom().item(true)
                        : s.createNativeQuery(PURGE, String.class)
                                .setParameter("id", id).setParameter("tenant", tenant).getResultList()
                                .map(gone -> !gone.isEmpty())));
    }

    /**
     * Removes a response nothing continues, then each deleted ancestor that no longer has a response continuing it;
     * returns the ids removed.
     */
    private static final String PURGE = "WITH RECURSIVE gone AS (SELECT r.id, r.previous_response_id FROM "
            + "kaiwa_response r WHERE r.id = :id AND r.tenant = :tenant AND r.deleted_at IS NULL UNION ALL SELECT "
            + "p.id, p.previous_response_id FROM kaiwa_response p JOIN gone g ON p.id = g.previous_response_id WHERE "
            + "p.tenant = :tenant AND p.deleted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kaiwa_response c WHERE "
            + "c.previous_response_id = p.id AND c.id <> g.id)) DELETE FROM kaiwa_response d USING gone WHERE "
            + "d.id = gone.id RETURNING d.id";

    /**
     * @param tenant the caller's tenant
     * @param id a background response
     * @return whether a cancel was recorded (the response exists for this tenant)
     */
    public Uni<Boolean> requestCancel(String tenant, String id) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                "UPDATE kaiwa_response SET cancel_requested = true WHERE id = :id AND tenant = :tenant")
                .setParameter("id", id).setParameter("tenant", tenant).executeUpdate()).map(n -> n > 0);
    }

    /**
     * @param id a response
     * @param after the last sequence number already seen, or -1
     * @return its stored events after that one, in order
     */
    public Uni<List<EventRecord>> events(String id, int after) {
        return sessions.withSession(s -> s.createSelectionQuery(
                "from EventRecord where responseId = :id and sequenceNumber > :after order by sequenceNumber",
                EventRecord.class).setParameter("id", id).setParameter("after", after).getResultList());
    }

    /**
     * @param owner the claiming worker
     * @param lease how long the claim holds without renewal
     * @param limit the most tasks to claim
     * @return the claimed tasks, now {@code in_progress}, each leased under a token of its own (its
     *         {@code leaseOwner}, which starts with the owner's id) that renewals and writes must give
     */
    public Uni<List<ResponseRecord>> claim(String owner, Duration lease, int limit) {
        // Stateless: the claimed records are handed on and changed by their runs, never flushed from here.
        return sessions.withStatelessTransaction(s -> s.createNativeQuery(CLAIM, ResponseRecord.class)
                .setParameter("owner", owner).setParameter("lease", lease.toMillis()).setParameter("limit", limit)
                .getResultList().chain(claimed -> claimed.isEmpty()
                        ? Uni.createFrom().item(claimed)
                        : s.createNativeQuery(RESTART, Object[].class)
                                .setParameter("ids", claimed.stream().map(r -> r.id).toList()).getResultList()
                                .map(renumbered -> {
                                    for (Object[] row : renumbered) {
                                        claimed.stream().filter(r -> r.id.equals(row[0])).findFirst()
                                                .ifPresent(r -> r.nextSequence = ((Number) row[1]).intValue());
                                    }
                                    return claimed;
                                })));
    }

    /**
     * @param id a task
     * @param owner the lease token the run was given by {@link #claim}
     * @param lease the renewed lease
     * @return whether the worker still holds it, and whether the client asked to cancel it
     */
    public Uni<LeaseState> renew(String id, String owner, Duration lease) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                "UPDATE kaiwa_response SET lease_until = " + LEASE_END + " WHERE id = :id AND lease_owner = :owner "
                        + "AND status = 'in_progress' RETURNING cancel_requested",
                Boolean.class).setParameter("lease", lease.toMillis()).setParameter("id", id)
                .setParameter("owner", owner).getResultList())
                .map(rows -> rows.isEmpty() ? LeaseState.LOST : rows.get(0) ? LeaseState.CANCEL : LeaseState.HELD);
    }

    /** What a worker learns when it renews its lease. */
    public enum LeaseState {
        /** Still the worker's. */
        HELD,
        /** Still the worker's, and the client asked to cancel. */
        CANCEL,
        /** Another worker took it over (the lease had run out) or it has ended. */
        LOST
    }
}
