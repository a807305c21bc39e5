package dev.okube.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigWatcherTest {
    @TempDir
    Path dir;

    private final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();

    @Test
    void aFileThatExistsIsDeliveredAtOnce() throws Exception {
        Path file = dir.resolve("admin.kubeconfig");
        Files.writeString(file, "one");
        try (KubeconfigWatcher watcher = new KubeconfigWatcher(file, delivered::add)) {
            assertEquals("one", delivered.poll());
        }
    }

    @Test
    void aFileWrittenLaterIsDeliveredAndEachChangeAgain() throws Exception {
        // The directory does not exist yet either, as data/okube before the apiserver's first start.
        Path file = dir.resolve("okube").resolve("admin.kubeconfig");
        try (KubeconfigWatcher watcher = new KubeconfigWatcher(file, delivered::add)) {
            assertNull(delivered.poll());
            writeAtomically(file, "one");
            assertEquals("one", delivered.poll(10, TimeUnit.SECONDS));

            // The apiserver restarted on the same address: the same content is not delivered again.
            writeAtomically(file, "one");
            writeAtomically(file, "two");
            assertEquals("two", delivered.poll(10, TimeUnit.SECONDS));
            Files.writeString(dir.resolve("okube").resolve("other-file"), "x");
            assertNull(delivered.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void nothingIsDeliveredAfterClose() throws Exception {
        Path file = dir.resolve("admin.kubeconfig");
        new KubeconfigWatcher(file, delivered::add).close();
        writeAtomically(file, "one");
        assertNull(delivered.poll(300, TimeUnit.MILLISECONDS));
    }

    /** As the apiserver writes it: a temporary file moved into place. */
    private static void writeAtomically(Path file, String content) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), "kubeconfig", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
