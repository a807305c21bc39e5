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
            long first = attempts.get(1) - attempts.get(0);
            long third = attempts.get(3) - attempts.get(2);
            assertTrue(third >= first, "delays " + first + " then " + third + " ns");
            assertTrue(third >= TimeUnit.MILLISECONDS.toNanos(15), "third delay " + third + " ns");
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
