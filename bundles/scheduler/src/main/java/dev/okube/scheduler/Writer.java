package dev.okube.scheduler;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the apiserver off the scheduling path (Events, pod status patches): a bounded queue and a few
 * threads. When the queue is full the write is dropped with a log line, so writing never slows scheduling
 * or binding.
 */
final class Writer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    private final String what;
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();

    Writer(String what, int threads, int capacity) {
        this.what = what;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, "scheduler-" + what + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (r, e) -> {
            long d = dropped.incrementAndGet();
            if (d == 1 || d % 1000 == 0) {
                LOG.warn("Scheduler {} queue full: dropped {} writes so far", what, d);
            }
        });
        this.executor.allowCoreThreadTimeOut(true);
    }

    void submit(String description, Runnable write) {
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(() -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                LOG.warn("Scheduler could not write {}: {}", description, e.getMessage());
            }
        });
    }

    long dropped() {
        return dropped.get();
    }

    /** Waits until every queued write is done (tests). */
    boolean drain(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (executor.getQueue().isEmpty() && executor.getActiveCount() == 0) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
