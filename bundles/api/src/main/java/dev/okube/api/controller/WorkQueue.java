package dev.okube.api.controller;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rate-limited work queue okube's in-process controllers use (the serviceaccounts
 * controller, the root CA publisher, the storage protection controller, ...), in the shape of
 * client-go's rate-limited queue with one worker: keys are
 * deduplicated while they wait, a key is never processed twice at once, a key added while it is
 * being processed is processed again afterwards, and a failed key comes back after a per-key
 * exponential backoff (5 ms doubling up to a minute) until it succeeds.
 */
public final class WorkQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    private static final long BASE_DELAY_MILLIS = 5;
    private static final long MAX_DELAY_MILLIS = 60_000;

    private final String name;
    private final Consumer<String> sync;
    private final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final Thread worker;
    private volatile boolean closed;
    /** Keys queued or being processed. */
    private final AtomicInteger outstanding = new AtomicInteger();

    /** Starts the worker; {@code sync} throws to have the key retried. */
    public WorkQueue(String name, Consumer<String> sync) {
        this.name = Objects.requireNonNull(name, "name should not be null");
        this.sync = Objects.requireNonNull(sync, "sync should not be null");
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "okube-" + name + "-retry"));
        this.worker = daemon(this::work, "okube-" + name);
        worker.start();
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    /** Queues {@code key} unless it already waits (or the queue is closed). */
    public void add(String key) {
        if (!closed && waiting.add(key)) {
            outstanding.incrementAndGet();
            pending.add(key);
        }
    }

    /** Whether nothing waits and nothing is being processed (retries scheduled for later do not count). */
    public boolean idle() {
        return outstanding.get() == 0;
    }

    private void work() {
        while (!closed) {
            String key;
            try {
                key = pending.take();
            } catch (InterruptedException e) {
                return;
            }
            waiting.remove(key);
            try {
                sync.accept(key);
                failures.remove(key);
            } catch (RuntimeException e) {
                int n = failures.merge(key, 1, Integer::sum);
                long delay = Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(n - 1, 20));
                LOG.warn("{}: syncing {} failed (attempt {}), retrying in {} ms: {}", name, key, n, delay, e.toString());
                if (!closed) {
                    retries.schedule(() -> add(key), delay, TimeUnit.MILLISECONDS);
                }
            } finally {
                outstanding.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
