package dev.okube.storage.etcd;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executor handed to jetcd. jetcd passes every request through Failsafe on this executor only
 * to start an asynchronous grpc call, so undelayed tasks run inline in the caller: a thread hop per
 * request cost about a third of the write throughput on two cores shared with etcd. Being a
 * {@link ScheduledExecutorService} also keeps Failsafe from starting its own static delay thread
 * for retries, which would outlive the bundle; delayed retries run on the store's timer instead.
 */
final class InlineExecutor extends AbstractExecutorService implements ScheduledExecutorService {
    private final ScheduledExecutorService timer;
    private volatile boolean shutdown;

    InlineExecutor(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    @Override
    public void execute(Runnable command) {
        checkOpen();
        command.run();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command, null), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        checkOpen();
        if (delay > 0) {
            return timer.schedule(callable, delay, unit);
        }
        Done<V> task = new Done<>(callable);
        task.run();
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        checkOpen();
        return timer.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        checkOpen();
        return timer.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    private void checkOpen() {
        if (shutdown) {
            throw new RejectedExecutionException("etcd client is closed");
        }
    }

    /** Shuts down only this facade; the timer belongs to the store. */
    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    /** A task already run in the caller, as a ScheduledFuture with no delay left. */
    private static final class Done<V> extends FutureTask<V> implements ScheduledFuture<V> {
        Done(Callable<V> callable) {
            super(callable);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
