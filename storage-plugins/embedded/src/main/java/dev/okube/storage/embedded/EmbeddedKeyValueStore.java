package dev.okube.storage.embedded;

import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.RangeResult;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.api.storage.WriteResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default storage backend as an OSGi service: a persistent, in-process store with etcd's semantics.
 * Installing this bundle (instead of the etcd one) is what selects it.
 */
// Immediate: open the file at start, so a locked or damaged store shows in the log and /readyz at once.
@Component(name = EmbeddedKeyValueStore.PID, configurationPid = EmbeddedKeyValueStore.PID, service = KeyValueStore.class,
        immediate = true)
@Designate(ocd = EmbeddedKeyValueStore.Config.class)
public final class EmbeddedKeyValueStore implements KeyValueStore {
    static final String PID = "dev.okube.storage.embedded";

    @ObjectClassDefinition(name = "okube embedded storage",
            description = "The in-process, persistent key-value store of the apiserver (etcd semantics).")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the store file. ${karaf.data} stands for the karaf.data "
                + "system property (./data when it is unset).")
        String dataDirectory() default "${karaf.data}/okube/storage";

        @AttributeDefinition(description = "fsync every commit; without it a power loss (not a process crash) "
                + "can lose acknowledged writes.")
        boolean fsync() default true;

        @AttributeDefinition(description = "Most writes committed together by one fsync.")
        int maxBatch() default 1024;

        @AttributeDefinition(description = "Page cache of the store, in MB.")
        int cacheSizeMb() default 32;

        @AttributeDefinition(description = "Idle watches that asked for progress notifications get one this often "
                + "(seconds; 0 disables).")
        int progressNotifyIntervalSeconds() default 5;
    }

    private final MvccStore store;

    /**
     * The component's configuration for a store run outside OSGi (tests, benchmarks): the given
     * directory and fsync setting, the metatype defaults otherwise.
     */
    public static Config config(Path directory, boolean fsync) {
        return new Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return Config.class;
            }

            @Override
            public String dataDirectory() {
                return directory.toString();
            }

            @Override
            public boolean fsync() {
                return fsync;
            }

            @Override
            public int maxBatch() {
                return 1024;
            }

            @Override
            public int cacheSizeMb() {
                return 32;
            }

            @Override
            public int progressNotifyIntervalSeconds() {
                return 5;
            }
        };
    }

    @Activate
    public EmbeddedKeyValueStore(Config config) throws IOException {
        MvccStore.Options options = new MvccStore.Options(config.fsync(), Math.max(1, config.maxBatch()),
                Math.max(1, config.cacheSizeMb()), config.progressNotifyIntervalSeconds() * 1000L,
                MvccStore.Options.DEFAULTS.watchMaxLag());
        this.store = new MvccStore(dataDirectory(config.dataDirectory()), options);
    }

    /** Annotation defaults are not interpolated by ConfigAdmin, so expand ${karaf.data} here. */
    static Path dataDirectory(String configured) {
        String karafData = System.getProperty("karaf.data", "./data");
        return Path.of(configured.replace("${karaf.data}", karafData));
    }

    @Deactivate
    public void deactivate() {
        store.close();
    }

    @Override
    public CompletableFuture<RangeResult> range(String key, RangeOptions options) {
        return store.range(key, options);
    }

    @Override
    public CompletableFuture<WriteResult> create(String key, byte[] value, long lease) {
        return store.create(key, value, lease);
    }

    @Override
    public CompletableFuture<WriteResult> update(String key, byte[] value, long expectedModRevision, long lease) {
        return store.update(key, value, expectedModRevision, lease);
    }

    @Override
    public CompletableFuture<WriteResult> delete(String key, long expectedModRevision) {
        return store.delete(key, expectedModRevision);
    }

    @Override
    public CompletableFuture<Long> grantLease(long ttlSeconds) {
        return store.grantLease(ttlSeconds);
    }

    @Override
    public CompletableFuture<Void> revokeLease(long lease) {
        return store.revokeLease(lease);
    }

    @Override
    public Watch watch(String prefix, WatchOptions options, WatchListener listener) {
        return store.watch(prefix, options, listener);
    }

    @Override
    public CompletableFuture<Void> compact(long revision) {
        return store.compact(revision);
    }

    @Override
    public CompletableFuture<Long> currentRevision() {
        return store.currentRevision();
    }

    @Override
    public CompletableFuture<Void> health() {
        return store.health();
    }

    @Override
    public String name() {
        return store.name();
    }
}
