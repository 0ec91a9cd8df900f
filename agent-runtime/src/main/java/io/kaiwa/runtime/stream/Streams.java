package io.kaiwa.runtime.stream;

import java.util.concurrent.Flow;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/** Stream plumbing the service needs and Mutiny does not have. */
public final class Streams {
    private Streams() {
    }

    /**
     * Subscribes at once, asks for one item, and resolves when it arrives, with a stream that replays it and follows
     * with the rest as its own subscriber asks for them; fails instead when the source fails first. Lets a streamed
     * answer become an HTTP error when the provider refuses it, and a stream once it has begun. Cancelling the result
     * (or the stream) cancels the source.
     *
     * @param source the stream
     * @param <T> its items
     * @return the whole stream, once it has started; it may be subscribed to once
     */
    public static <T> Uni<Multi<T>> firstThenRest(Multi<T> source) {
        return Uni.createFrom().emitter(started -> {
            var relay = new Relay<T>(started);
            started.onTermination(relay::cancelIfNotStarted);
            source.subscribe().withSubscriber(relay);
        });
    }

    /**
     * Holds the first item until the stream's subscriber asks for it, then passes the source's items on as the
     * subscriber asks for them (never more than it asked for), and the source's end after the first item.
     */
    private static final class Relay<T> implements Flow.Subscriber<T>, Flow.Publisher<T>, Flow.Subscription {
        private final UniEmitter<? super Multi<T>> started;
        private Flow.Subscription upstream;
        private Flow.Subscriber<? super T> downstream;
        private T first;
        private boolean began;
        private boolean firstTaken;
        private boolean firstDelivered;
        private boolean done;
        private boolean ended;
        private Throwable failure;

        Relay(UniEmitter<? super Multi<T>> started) {
            this.started = started;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (this) {
                upstream = s;
            }
            s.request(1);
        }

        @Override
        public void onNext(T item) {
            boolean isFirst;
            synchronized (this) {
                isFirst = !began;
                began = true;
                if (isFirst) {
                    first = item;
                }
            }
            if (isFirst) {
                started.complete(Multi.createFrom().publisher(this));
            } else {
                // Only asked for after the subscriber asked: it is there.
                downstream.onNext(item);
            }
        }

        @Override
        public void onError(Throwable t) {
            end(t);
        }

        @Override
        public void onComplete() {
            end(null);
        }

        private void end(Throwable t) {
            boolean beforeFirst;
            synchronized (this) {
                beforeFirst = !began;
                began = true;
                done = true;
                failure = t;
            }
            if (!beforeFirst) {
                passEnd();
            } else if (t != null) {
                started.fail(t);
            } else {
                started.complete(Multi.createFrom().empty());
            }
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> subscriber) {
            boolean taken;
            synchronized (this) {
                taken = downstream != null;
                if (!taken) {
                    downstream = subscriber;
                }
            }
            if (taken) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("this stream has one subscriber"));
                return;
            }
            subscriber.onSubscribe(this);
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                downstream.onError(new IllegalArgumentException("a request must be positive: " + n));
                return;
            }
            T item = null;
            long more = n;
            synchronized (this) {
                if (!firstTaken) {
                    firstTaken = true;
                    item = first;
                    first = null;
                    more = n - 1;
                }
            }
            if (item != null) {
                downstream.onNext(item);
                synchronized (this) {
                    firstDelivered = true;
                }
                passEnd();
            }
            boolean ask;
            synchronized (this) {
                ask = more > 0 && !done;
            }
            if (ask) {
                upstream.request(more);
            }
        }

        /** Passes on the source's end, once, after the first item. */
        private void passEnd() {
            Throwable t;
            synchronized (this) {
                if (!done || !firstDelivered || ended) {
                    return;
                }
                ended = true;
                t = failure;
            }
            if (t != null) {
                downstream.onError(t);
            } else {
                downstream.onComplete();
            }
        }

        @Override
        public void cancel() {
            Flow.Subscription s;
            synchronized (this) {
                s = upstream;
                done = true;
                ended = true;
                first = null;
            }
            if (s != null) {
                s.cancel();
            }
        }

        void cancelIfNotStarted() {
            boolean cancel;
            synchronized (this) {
                cancel = !began;
            }
            if (cancel) {
                cancel();
            }
        }
    }
}
