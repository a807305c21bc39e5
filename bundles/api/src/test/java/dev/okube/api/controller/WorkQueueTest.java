package dev.okube.api.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    @Test
    void keysWaitingAreDeduplicated() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (WorkQueue queue = new WorkQueue("test", key -> {
            if (key.equals("block")) {
                await(release);
            }
            seen.add(key);
        })) {
            queue.add("block");
            awaitUntil("the worker is busy", () -> !queue.idle());
            queue.add("a");
            queue.add("a");
            queue.add("a");
            release.countDown();
            awaitUntil("idle", queue::idle);
            assertEquals(List.of("block", "a"), seen);
        }
    }

    @Test
    void aKeyAddedWhileProcessedIsProcessedAgain() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (WorkQueue queue = new WorkQueue("test", key -> {
            if (runs.incrementAndGet() == 1) {
                inside.countDown();
                await(release);
            }
        })) {
            queue.add("k");
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            queue.add("k");
            release.countDown();
            awaitUntil("processed twice", () -> runs.get() == 2 && queue.idle());
        }
    }

    @Test
    void failuresAreRetriedWithGrowingDelays() throws InterruptedException {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        try (WorkQueue queue = new WorkQueue("test", key -> {
            attempts.add(System.nanoTime());
            if (attempts.size() < 4) {
                throw new IllegalStateException("not yet");
            }
        })) {
            queue.add("k");
            awaitUntil("succeeded on the fourth attempt", () -> attempts.size() == 4 && queue.idle());
            // Each retry waits at least its backoff (5, 10, 20 ms); a loaded machine only lengthens the
            // gaps, so lower bounds are what can be checked without flaking.
            for (int i = 1; i < 4; i++) {
                long gap = attempts.get(i) - attempts.get(i - 1);
                long backoff = TimeUnit.MILLISECONDS.toNanos(5L << (i - 1));
                assertTrue(gap >= backoff, "retry " + i + " after " + gap + " ns, backoff " + backoff + " ns");
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls (the testkit's Await cannot be used here: testkit depends on this bundle). */
    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
