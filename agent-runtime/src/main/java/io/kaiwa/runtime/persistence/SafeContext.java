package io.kaiwa.runtime.persistence;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Hibernate Reactive keeps its session on a duplicated Vert.x context marked safe, as a request has. Work that is
 * not a request's (background tasks, batched writes) gets a new one of its own, never the caller's: a request may
 * still have its own session open there.
 */
public final class SafeContext {
    private SafeContext() {
    }

    /**
     * @param vertx the Vert.x instance
     * @param work runs on a new safe duplicated context
     */
    public static void run(Vertx vertx, Runnable work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> work.run());
    }

    /**
     * Runs database work on a safe context of its own (the caller may be a provider's connection, or a request whose
     * session is open), and answers on the caller's.
     *
     * @param vertx the Vert.x instance
     * @param work the work, started on the new context
     * @param <T> what it answers
     * @return its answer, on the caller's context
     */
    public static <T> Uni<T> apart(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(done -> {
            Context caller = Vertx.currentContext();
            run(vertx, () -> Uni.createFrom().deferred(work::get).subscribe().with(
                    item -> back(caller, () -> done.complete(item)),
                    failure -> back(caller, () -> done.fail(failure))));
        });
    }

    static void back(Context caller, Runnable answer) {
        if (caller != null) {
            caller.runOnContext(ignored -> answer.run());
        } else {
            answer.run();
        }
    }
}
