package dev.okube.scheduler.framework;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs work over many pieces on a fixed set of workers, as upstream's framework/parallelize: pieces are
 * handed out in chunks of about sqrt(n) (at most n/parallelism + 1), the calling thread works too, and the
 * call returns when every piece is done. A piece may call {@link Stop#stop()} to skip the pieces not started.
 */
public final class Parallelizer implements AutoCloseable {
    private final int parallelism;
    private final ExecutorService workers;

    /** Lets a piece end the loop early (upstream cancels the context). */
    public static final class Stop {
        volatile boolean stopped;

        public void stop() {
            stopped = true;
        }

        public boolean stopped() {
            return stopped;
        }
    }

    public Parallelizer(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "scheduler-parallel-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = this.parallelism > 1 ? Executors.newFixedThreadPool(this.parallelism - 1, tf) : null;
    }

    public int parallelism() {
        return parallelism;
    }

    /** Upstream's chunkSizeFor. */
    static int chunkSize(int n, int parallelism) {
        int s = (int) Math.sqrt(n);
        int r = n / parallelism + 1;
        if (s > r) {
            s = r;
        }
        return Math.max(1, s);
    }

    public void until(int pieces, IntConsumer work) {
        until(pieces, work, null);
    }

    /** Runs {@code work} for 0..pieces-1; returns when all started pieces are done. */
    public void until(int pieces, IntConsumer work, Stop stop) {
        if (pieces <= 0) {
            return;
        }
        int chunk = chunkSize(pieces, parallelism);
        int chunks = (pieces + chunk - 1) / chunk;
        if (workers == null || chunks == 1) {
            for (int i = 0; i < pieces && (stop == null || !stop.stopped); i++) {
                work.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int helpers = Math.min(parallelism - 1, chunks - 1);
        Job job = new Job(pieces, chunk, next, work, stop, helpers);
        for (int h = 0; h < helpers; h++) {
            workers.execute(job);
        }
        job.drain();
        job.awaitHelpers();
        if (job.failure != null) {
            if (job.failure instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(job.failure);
        }
    }

    private static final class Job implements Runnable {
        final int pieces;
        final int chunk;
        final AtomicInteger next;
        final IntConsumer work;
        final Stop stop;
        final AtomicInteger active = new AtomicInteger();
        volatile boolean closed;
        volatile Throwable failure;

        Job(int pieces, int chunk, AtomicInteger next, IntConsumer work, Stop stop, int helpers) {
            this.pieces = pieces;
            this.chunk = chunk;
            this.next = next;
            this.work = work;
            this.stop = stop;
        }

        @Override
        public void run() {
            active.incrementAndGet();
            try {
                // A helper that starts after the caller finished has nothing to do; never waiting for
                // helpers that did not start keeps nested calls (preemption inside a piece) deadlock-free.
                if (!closed) {
                    drain();
                }
            } finally {
                if (active.decrementAndGet() == 0 && closed) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
        }

        void drain() {
            try {
                while (stop == null || !stop.stopped) {
                    int start = next.getAndAdd(chunk);
                    if (start >= pieces) {
                        return;
                    }
                    int end = Math.min(pieces, start + chunk);
                    for (int i = start; i < end; i++) {
                        work.accept(i);
                    }
                }
            } catch (Throwable t) {
                failure = t;
                next.set(pieces);
            }
        }

        void awaitHelpers() {
            closed = true;
            for (int i = 0; i < 1000 && active.get() > 0; i++) {
                Thread.onSpinWait();
            }
            if (active.get() > 0) {
                synchronized (this) {
                    while (active.get() > 0) {
                        try {
                            wait(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
