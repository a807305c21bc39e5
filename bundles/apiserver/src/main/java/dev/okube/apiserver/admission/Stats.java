package dev.okube.apiserver.admission;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Call statistics of one admission plugin: counters, and the latencies of the last calls in a ring
 * for the 99th percentile. Writes race benignly (a latency may be overwritten before it is read).
 */
final class Stats {
    private static final int WINDOW = 1024;
    private final LongAdder calls = new LongAdder();
    private final LongAdder denials = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final long[] recent = new long[WINDOW];
    private final AtomicInteger next = new AtomicInteger();

    void record(long nanos) {
        calls.increment();
        totalNanos.add(nanos);
        recent[Math.floorMod(next.getAndIncrement(), WINDOW)] = nanos;
    }

    void deny() {
        denials.increment();
    }

    void error() {
        errors.increment();
    }

    long calls() {
        return calls.sum();
    }

    long denials() {
        return denials.sum();
    }

    long errors() {
        return errors.sum();
    }

    long meanMicros() {
        long n = calls.sum();
        return n == 0 ? 0 : totalNanos.sum() / n / 1000;
    }

    long p99Micros() {
        int n = (int) Math.min(calls.sum(), WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(recent, n);
        Arrays.sort(sorted);
        return sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1000;
    }
}
