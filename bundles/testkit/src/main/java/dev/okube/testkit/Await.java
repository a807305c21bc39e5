package dev.okube.testkit;

import java.util.function.BooleanSupplier;

/**
 * Waits for what a controller's worker thread does: polls every 5 ms for up to 5 s and fails the
 * test (an AssertionError, as JUnit's fail) when the condition does not come true.
 */
public final class Await {
    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
        }
    }
}
