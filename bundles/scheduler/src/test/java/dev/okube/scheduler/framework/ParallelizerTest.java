package dev.okube.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class ParallelizerTest {
    @Test
    void everyPieceRunsOnce() {
        try (Parallelizer p = new Parallelizer(4)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(5000);
            p.until(5000, seen::incrementAndGet);
            for (int i = 0; i < 5000; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }

    @Test
    void chunkSizesAsUpstream() {
        assertEquals(70, Parallelizer.chunkSize(5000, 16));
        assertEquals(1, Parallelizer.chunkSize(3, 16));
        assertEquals(3, Parallelizer.chunkSize(10, 4));
    }

    @Test
    void stopEndsEarlyAndNestedCallsDoNotDeadlock() {
        try (Parallelizer p = new Parallelizer(2)) {
            AtomicInteger ran = new AtomicInteger();
            Parallelizer.Stop stop = new Parallelizer.Stop();
            p.until(10_000, i -> {
                if (ran.incrementAndGet() == 10) {
                    stop.stop();
                }
            }, stop);
            assertTrue(ran.get() < 10_000);
            AtomicInteger inner = new AtomicInteger();
            p.until(8, i -> p.until(8, j -> inner.incrementAndGet()));
            assertEquals(64, inner.get());
        }
    }
}
