package io.kaiwa.runtime.api;

import java.util.concurrent.Flow;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes SSE frames to a response as they come. The frames one event-loop task produces (a provider's single read
 * usually yields many events) go out in one write at the end of that task, not one write and one system call each.
 * Asks for more frames only while the connection keeps up. Ends the response when the frames end; a client that goes
 * away cancels the frames, and with them the work behind them; a failure after the stream began resets the
 * connection, so that the client sees a broken stream rather than a clean end.
 */
final class SseWriter implements Flow.Subscriber<String> {
    private static final int BATCH = 64;

    private final Context context;
    private final HttpServerResponse response;
    private Flow.Subscription subscription;
    private StringBuilder pending = new StringBuilder(1024);
    private boolean flushScheduled;
    private boolean completed;
    private boolean stopped;
    private int requested;

    /**
     * @param context the request's context: writes happen there
     * @param response the response, its status and headers set
     */
    SseWriter(Context context, HttpServerResponse response) {
        this.context = context;
        this.response = response;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        response.closeHandler(ignored -> stop());
        response.exceptionHandler(ignored -> stop());
        response.drainHandler(ignored -> requestMore());
        synchronized (this) {
            requested = BATCH;
        }
        s.request(BATCH);
    }

    @Override
    public void onNext(String frame) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            pending.append(frame);
            requested--;
        }
        scheduleFlush();
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            completed = true;
        }
        scheduleFlush();
    }

    @Override
    public void onError(Throwable failure) {
        synchronized (this) {
            stopped = true;
        }
        context.runOnContext(ignored -> response.reset());
    }

    private void scheduleFlush() {
        synchronized (this) {
            if (flushScheduled || stopped) {
                return;
            }
            flushScheduled = true;
        }
        context.runOnContext(ignored -> flush());
    }

    private void flush() {
        String out;
        boolean end;
        synchronized (this) {
            flushScheduled = false;
            if (stopped) {
                return;
            }
            out = pending.toString();
            pending = new StringBuilder(Math.max(1024, out.length()));
            end = completed;
            if (end) {
                stopped = true;
            }
        }
        if (response.closed()) {
            stop();
            return;
        }
        if (end) {
            response.end(Buffer.buffer(out));
            return;
        }
        if (!out.isEmpty()) {
            response.write(Buffer.buffer(out));
        }
        if (!response.writeQueueFull()) {
            requestMore();
        }
    }

    private void requestMore() {
        int more;
        synchronized (this) {
            if (stopped || requested > BATCH / 2) {
                return;
            }
            more = BATCH - requested;
            requested = BATCH;
        }
        subscription.request(more);
    }

    private void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        subscription.cancel();
    }
}
