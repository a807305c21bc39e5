package dev.okube.storage.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.RangeOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write acknowledged before a kill -9 is there after reopening. */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // The pipe breaks when the child dies; what was read is what counts.
            }
        });
        reader.start();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(30);
        try {
            // Enough writes that MVStore has already reused freed file space when the kill comes.
            while (acks(lines) < 10_000 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(acks(lines) > 0, "the child acknowledged no write");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            reader.join(10_000);
        }

        Map<String, Long> acked = new HashMap<>();
        synchronized (lines) {
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length == 4 && f[0].equals("ACK") && f[3].equals("END")) {
                    acked.put(f[1], Long.parseLong(f[2]));
                }
            }
        }
        long maxRev = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            long revision = store.currentRevision().get(10, TimeUnit.SECONDS);
            assertTrue(revision >= maxRev, "revision " + revision + " is behind acknowledged " + maxRev);
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                KeyValue kv = store.get(e.getKey()).get(10, TimeUnit.SECONDS);
                assertNotNull(kv, "acknowledged write lost: " + e.getKey());
                assertEquals(e.getValue(), kv.modRevision());
            }
            long total = store.range("/crash/", RangeOptions.builder().withPrefix(true).withCountOnly(true).build())
                    .get(10, TimeUnit.SECONDS).count();
            assertTrue(total >= acked.size());
            // Every revision up to the current one is one write: no torn batch.
            assertEquals(revision - 1, total, "each revision is exactly one durable key");
            System.out.printf("crash test: %d writes acknowledged before kill -9 (after %d ms), %d found after reopen%n",
                    acked.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), total);
        }
    }

    private static int acks(List<String> lines) {
        synchronized (lines) {
            return (int) lines.stream().filter(l -> l.startsWith("ACK")).count();
        }
    }
}
