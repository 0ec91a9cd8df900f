package io.kaiwa.runtime.persistence;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
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
}
