package dev.okube.storage.etcd;

import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SPI watch over a succession of jetcd watchers. jetcd's own resume is not used: after a
 * broken stream it restarts from a revision it guesses (the header revision of the last created or
 * progress response), which can skip events of a replay that had not finished. Here every failure
 * retires the jetcd watcher and a new one starts right after the last revision delivered to the
 * listener, so the listener sees no gap and no duplicate across etcd restarts. Only compaction
 * (the history it needs is gone) and closing the store end the watch with an error.
 *
 * <p>Locking: the listener is called with this watch's lock held, which serialises deliveries;
 * jetcd watchers are opened and closed without it, because jetcd calls onError and onCompleted
 * under its own lock and the two locks must never be taken in the other order.
 */
final class EtcdWatch implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2_000;

    private final EtcdKeyValueStore store;
    private final ByteSequence start;
    private final ByteSequence end;
    private final boolean progressNotify;
    private final WatchListener listener;
    private final Object lock = new Object();

    // Guarded by lock.
    /** Every change up to this revision has been delivered (or was before the watch's start). */
    private long lastRevision;
    /** Whether lastRevision is known: given by the caller, or taken from etcd's first "created" answer. */
    private boolean anchored;
    /** Bumped whenever a jetcd watcher is retired, so callbacks from retired ones are ignored. */
    private int generation;
    private io.etcd.jetcd.Watch.Watcher watcher;
    private boolean done;
    private long backoffMs = MIN_BACKOFF_MS;
    /** Whether etcd confirmed the current stream; progress requests before that are lost. */
    private boolean created;
    private boolean progressPending;

    EtcdWatch(EtcdKeyValueStore store, ByteSequence start, ByteSequence end, WatchOptions options,
              WatchListener listener) {
        this.store = store;
        this.start = start;
        this.end = end;
        this.progressNotify = options.isProgressNotify();
        this.listener = listener;
        this.lastRevision = options.afterRevision();
        this.anchored = options.afterRevision() > 0;
    }

    void start() {
        open();
    }

    private void open() {
        int gen;
        long from;
        synchronized (lock) {
            if (done) {
                return;
            }
            gen = ++generation;
            from = anchored ? lastRevision + 1 : 0;
        }
        Stream stream = new Stream(gen);
        io.etcd.jetcd.Watch.Watcher w;
        try {
            w = store.openWatcher(start, end, from, progressNotify, stream);
        } catch (RuntimeException e) {
            fail(EtcdErrors.map(e, "watch") instanceof StorageException se ? se
                    : new StorageException.Unavailable("cannot open etcd watch", e));
            return;
        }
        synchronized (lock) {
            if (gen == generation && !done) {
                watcher = w;
                stream.attach(w);
                return;
            }
        }
        retire(w);
    }

    /**
     * Forwards to the current stream. While a broken stream is being replaced the request is kept
     * and sent once etcd has created the new one (a request before that would be dropped).
     */
    @Override
    public void requestProgress() {
        io.etcd.jetcd.Watch.Watcher w;
        synchronized (lock) {
            if (done) {
                return;
            }
            w = watcher;
            if (w == null || !created) {
                progressPending = true;
                return;
            }
        }
        w.requestProgress();
    }

    @Override
    public void close() {
        io.etcd.jetcd.Watch.Watcher w;
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            generation++;
            w = watcher;
            watcher = null;
        }
        store.forget(this);
        retire(w);
    }

    /** Ends the watch, telling the listener why. */
    void fail(StorageException error) {
        io.etcd.jetcd.Watch.Watcher w;
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            generation++;
            w = watcher;
            watcher = null;
            try {
                listener.onError(error);
            } catch (RuntimeException e) {
                LOG.warn("watch listener failed on error {}", error, e);
            }
        }
        store.forget(this);
        retire(w);
    }

    private void retire(io.etcd.jetcd.Watch.Watcher w) {
        if (w == null) {
            return;
        }
        try {
            store.scheduler().execute(w::close);
        } catch (RejectedExecutionException e) {
            // The store is closing; closing the client ends every jetcd watcher anyway.
            w.close();
        }
    }

    /** The jetcd watcher of one generation broke; start a fresh one after a short backoff. */
    private void broken(int gen, Throwable cause) {
        io.etcd.jetcd.Watch.Watcher w;
        long delay;
        synchronized (lock) {
            if (gen != generation || done) {
                return;
            }
            generation++;
            w = watcher;
            watcher = null;
            created = false;
            delay = backoffMs;
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
        retire(w);
        if (EtcdErrors.unwrap(cause) instanceof CompactedException ce) {
            long requested;
            synchronized (lock) {
                requested = lastRevision + 1;
            }
            fail(new StorageException.Compacted(requested, ce.getCompactedRevision()));
            return;
        }
        if (store.isClosed()) {
            fail(new StorageException.Unavailable("etcd store is closed", cause));
            return;
        }
        LOG.debug("etcd watch stream broke ({}), resuming in {} ms", cause, delay);
        try {
            store.scheduler().schedule(this::open, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            fail(new StorageException.Unavailable("etcd store is closed", cause));
        }
    }

    /** Callbacks of one jetcd watcher, tagged with its generation. */
    private final class Stream implements io.etcd.jetcd.Watch.Listener {
        private final int gen;
        /** The jetcd watcher this stream belongs to, once watch() returned it. Guarded by lock. */
        private io.etcd.jetcd.Watch.Watcher self;

        Stream(int gen) {
            this.gen = gen;
        }

        /** Called under lock once the watcher exists; flushes a progress request etcd is ready for. */
        void attach(io.etcd.jetcd.Watch.Watcher w) {
            self = w;
            flushProgress();
        }

        private void flushProgress() {
            if (created && progressPending && self != null) {
                progressPending = false;
                self.requestProgress();
            }
        }

        @Override
        public void onNext(WatchResponse response) {
            synchronized (lock) {
                if (gen != generation || done) {
                    return;
                }
                backoffMs = MIN_BACKOFF_MS;
                long header = response.getHeader().getRevision();
                if (response.isCreatedNotify()) {
                    if (!anchored) {
                        lastRevision = header;
                        anchored = true;
                    }
                    created = true;
                    flushProgress();
                    return;
                }
                if (response.isProgressNotify()) {
                    if (anchored && header >= lastRevision) {
                        lastRevision = header;
                        deliverProgress(header);
                    }
                    return;
                }
                List<WatchEvent> events = store.convertEvents(response);
                List<WatchEvent> fresh = new ArrayList<>(events.size());
                for (WatchEvent e : events) {
                    // A resumed stream may replay what was delivered before it broke.
                    if (e.revision() > lastRevision) {
                        fresh.add(e);
                    }
                }
                if (!fresh.isEmpty()) {
                    lastRevision = fresh.get(fresh.size() - 1).revision();
                    try {
                        listener.onEvents(fresh);
                    } catch (RuntimeException e) {
                        LOG.warn("watch listener failed on {} events", fresh.size(), e);
                    }
                }
            }
        }

        private void deliverProgress(long revision) {
            try {
                listener.onProgress(revision);
            } catch (RuntimeException e) {
                LOG.warn("watch listener failed on progress {}", revision, e);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            broken(gen, throwable);
        }

        @Override
        public void onCompleted() {
            broken(gen, new StorageException.Unavailable("etcd ended the watch stream", null));
        }
    }
}
