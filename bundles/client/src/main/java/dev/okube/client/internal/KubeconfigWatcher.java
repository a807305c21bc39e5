package dev.okube.client.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a file's content to a consumer when the file exists and whenever its content changes, watching its
 * directory (no polling). The apiserver writes the admin kubeconfig at every start, atomically, possibly after
 * the client bundle has started, and with a new address when its port is reconfigured.
 */
final class KubeconfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeconfigWatcher.class);

    private final Path file;
    private final Consumer<String> onContent;
    private final WatchService watchService;
    private final Thread thread;
    private String delivered;

    /** Delivers the current content, if the file exists, before returning; later changes on a daemon thread. */
    KubeconfigWatcher(Path file, Consumer<String> onContent) throws IOException {
        this.file = file.toAbsolutePath();
        this.onContent = onContent;
        // A directory can only be watched once it exists; the apiserver creates the same directory.
        Files.createDirectories(this.file.getParent());
        watchService = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watchService, ENTRY_CREATE, ENTRY_MODIFY);
        // Registered before this first read, so a file written in between is not missed.
        read();
        thread = new Thread(this::watch, "okube-client-kubeconfig");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                boolean changed = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    changed |= event.kind() == OVERFLOW || file.getFileName().equals(event.context());
                }
                key.reset();
                if (changed) {
                    read();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    private synchronized void read() {
        String content;
        try {
            content = Files.readString(file);
        } catch (NoSuchFileException e) {
            LOG.info("waiting for {} to be written", file);
            return;
        } catch (IOException e) {
            LOG.warn("cannot read {}", file, e);
            return;
        }
        // Same content again (the apiserver restarted on the same address, or a write in several steps
        // reported twice): nothing to do.
        if (!content.equals(delivered)) {
            delivered = content;
            onContent.accept(content);
        }
    }

    /** Stops watching; returns after the last delivery has ended. */
    @Override
    public void close() throws IOException {
        watchService.close();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
