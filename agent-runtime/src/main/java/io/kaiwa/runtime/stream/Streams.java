package io.kaiwa.runtime.stream;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/** Stream plumbing the service needs and Mutiny does not have. */
public final class Streams {
    private Streams() {
    }

    /**
     * Subscribes at once and resolves when the first item arrives, with a stream that replays it and follows with
     * the rest; fails instead when the source fails first. Lets a streamed answer become an HTTP error when the
     * provider refuses it, and a stream once it has begun. Cancelling the result cancels the source.
     *
     * @param source the stream
     * @param <T> its items
     * @return the whole stream, once it has started
     */
    public static <T> Uni<Multi<T>> firstThenRest(Multi<T> source) {
        return Uni.createFrom().emitter(started -> {
            UnicastProcessor<T> rest = UnicastProcessor.create();
            AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
            var began = new java.util.concurrent.atomic.AtomicBoolean();
            source.subscribe().withSubscriber(new Flow.Subscriber<T>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    upstream.set(s);
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(T item) {
                    rest.onNext(item);
                    if (began.compareAndSet(false, true)) {
                        started.complete(rest.onCancellation().invoke(() -> upstream.get().cancel()));
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    if (began.compareAndSet(false, true)) {
                        started.fail(failure);
                    } else {
                        rest.onError(failure);
                    }
                }

                @Override
                public void onComplete() {
                    rest.onComplete();
                    if (began.compareAndSet(false, true)) {
                        started.complete(rest);
                    }
                }
            });
            started.onTermination(() -> {
                if (!began.get() && upstream.get() != null) {
                    upstream.get().cancel();
                }
            });
        });
    }
}
