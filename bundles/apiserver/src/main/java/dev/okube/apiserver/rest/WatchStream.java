package dev.okube.apiserver.rest;

import dev.okube.apiserver.registry.WatchCache;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One watch response: newline-delimited WatchEvents written asynchronously as they come, one
 * write in flight at a time (Jetty's IteratingCallback), so a watcher holds no thread while idle.
 */
final class WatchStream extends IteratingCallback implements WatchCache.Sink {
    /** Events a client may fall behind by before the server ends its watch, as upstream does. */
    static final int MAX_PENDING = 10_000;
    private static final int MAX_WRITE = 64 * 1024;

    private final Response response;
    private final Callback done;
    private final Function<WatchCache.Event, byte[]> encoder;
    private final Function<Long, byte[]> bookmark;
    private final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean finishing;
    private volatile boolean lastWritten;
    private boolean headersSent;
    private volatile long lastRevision;
    private volatile Runnable onClose = () -> { };

    WatchStream(Response response, Callback done, Function<WatchCache.Event, byte[]> encoder,
            Function<Long, byte[]> bookmark) {
        this.response = response;
        this.done = done;
        this.encoder = encoder;
        this.bookmark = bookmark;
    }

    void onClose(Runnable onClose) {
        this.onClose = onClose;
    }

    @Override
    public boolean offer(WatchCache.Event event) {
        if (finishing) {
            return false;
        }
        if (size.incrementAndGet() > MAX_PENDING) {
            terminate("client is too slow");
            return false;
        }
        lastRevision = Math.max(lastRevision, event.revision());
        pending.add(encoder.apply(event));
        iterate();
        return true;
    }

    @Override
    public void progress(long revision) {
        if (bookmark != null && !finishing && revision > lastRevision) {
            lastRevision = revision;
            size.incrementAndGet();
            pending.add(bookmark.apply(revision));
            iterate();
        }
    }

    /** Writes one more line (an ERROR event) if given, then ends the response. */
    void finish(byte[] lastLine) {
        if (lastLine != null && !finishing) {
            size.incrementAndGet();
            pending.add(lastLine);
        }
        finishing = true;
        iterate();
    }

    @Override
    public void terminate(String reason) {
        finish(null);
    }

    /** Sends the response headers now: clients (informers) wait for them before they count a watch as started. */
    void start() {
        iterate();
    }

    @Override
    protected Action process() {
        if (lastWritten) {
            return Action.SUCCEEDED;
        }
        if (!headersSent) {
            headersSent = true;
            response.write(false, ByteBuffer.allocate(0), this);
            return Action.SCHEDULED;
        }
        byte[] first = pending.poll();
        if (first == null) {
            if (finishing) {
                lastWritten = true;
                response.write(true, null, this);
                return Action.SCHEDULED;
            }
            return Action.IDLE;
        }
        size.decrementAndGet();
        // Coalesce what is queued into one write.
        byte[] next = pending.peek();
        if (next == null || first.length + next.length > MAX_WRITE) {
            response.write(false, ByteBuffer.wrap(first), this);
            return Action.SCHEDULED;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(MAX_WRITE);
        out.writeBytes(first);
        while ((next = pending.peek()) != null && out.size() + next.length <= MAX_WRITE) {
            out.writeBytes(pending.poll());
            size.decrementAndGet();
        }
        response.write(false, ByteBuffer.wrap(out.toByteArray()), this);
        return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteSuccess() {
        finishing = true;
        onClose.run();
        done.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        finishing = true;
        onClose.run();
        done.failed(cause);
    }
}
