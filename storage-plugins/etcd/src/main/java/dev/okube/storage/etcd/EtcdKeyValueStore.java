package dev.okube.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.RangeResult;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.api.storage.WriteResult;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KeyValueStore} on a real etcd (3.4 or newer) through jetcd. Every conditional write is one
 * etcd transaction whose Else branch reads the key, so a lost race reports the winner in the same
 * round trip.
 *
 * <p>Futures complete, and watch listeners are called, on the client's I/O threads: callers should
 * hand slow work to their own executor rather than block there.
 */
@Component(service = KeyValueStore.class, configurationPid = EtcdKeyValueStore.PID,
        property = EtcdKeyValueStore.BACKEND_PROPERTY + "=etcd")
@Designate(ocd = EtcdKeyValueStore.Config.class)
public final class EtcdKeyValueStore implements KeyValueStore, AutoCloseable {
    public static final String PID = "dev.okube.storage.etcd";
    /** Service property naming the backend, so the etcd health check binds to this store only. */
    public static final String BACKEND_PROPERTY = "okube.storage.backend";

    private static final Logger LOG = LoggerFactory.getLogger(EtcdKeyValueStore.class);
    private static final ByteSequence ZERO = ByteSequence.from(new byte[] {0});
    private static final GetOption COUNT_ONLY = GetOption.builder().withCountOnly(true).build();
    private static final PutOption PUT_PREV = PutOption.builder().withPrevKV().build();
    private static final DeleteOption DELETE_PREV = DeleteOption.builder().withPrevKV(true).build();
    /** How long deactivation waits for grpc, netty and Vert.x threads that still run our classes. */
    private static final long THREAD_DRAIN_MS = 5_000;

    @ObjectClassDefinition(id = PID, name = "okube etcd storage",
            description = "KeyValueStore on an external etcd cluster")
    public @interface Config {
        @AttributeDefinition(description = "etcd client URLs, http:// or https://, comma-separated in a .cfg file")
        String[] endpoints() default {"http://127.0.0.1:2379"};

        @AttributeDefinition(description = "PEM CA certificate that signed etcd's server certificate (enables TLS)")
        String tls_ca_file() default "";

        @AttributeDefinition(description = "PEM client certificate for mutual TLS")
        String tls_cert_file() default "";

        @AttributeDefinition(description = "PKCS#8 PEM key of the client certificate")
        String tls_key_file() default "";

        @AttributeDefinition(description = "TCP connect timeout in milliseconds")
        long connect_timeout_ms() default 5_000;

        @AttributeDefinition(description = "Deadline of every request in milliseconds")
        long request_timeout_ms() default 10_000;

        @AttributeDefinition(description = "Prefix added to every key (empty: none)")
        String namespace() default "";
    }

    private final EtcdSettings settings;
    private final String namespace;
    private final Client client;
    private final KV kv;
    private final long timeoutMs;
    private final ScheduledExecutorService scheduler;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InlineExecutor executor;
    private final ByteSequence revisionKey;

    @Activate
    public EtcdKeyValueStore(Config config) {
        this(EtcdSettings.from(config));
    }

    public EtcdKeyValueStore(EtcdSettings settings) {
        this.settings = requireNonNull(settings, "settings should not be null");
        this.namespace = settings.namespace();
        this.timeoutMs = settings.requestTimeout().toMillis();
        // Bad TLS files or endpoints fail here, before any thread exists.
        io.netty.handler.ssl.SslContext ssl = settings.tls() ? sslContext(settings) : null;
        ClientBuilder builder = Client.builder()
                .endpoints(settings.endpoints().toArray(String[]::new))
                .connectTimeout(settings.connectTimeout())
                // Fail fast with UNAVAILABLE while etcd is down instead of queueing every call until
                // its deadline; reads are still retried by jetcd within the request timeout.
                .waitForReady(false)
                // A list of a large resource type easily passes grpc's 4 MiB default; etcd itself
                // sends up to 2 GiB, as the upstream apiserver's client accepts.
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .retryMaxDuration(settings.requestTimeout())
                // etcd refuses pings more often than every 5 s (too_many_pings); 10 s still notices a
                // dead peer well before the request timeouts pile up.
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        // Resumes broken watches and times jetcd's retries; one daemon thread, ended by close().
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okube-etcd-timer");
            t.setDaemon(true);
            return t;
        });
        this.executor = new InlineExecutor(scheduler);
        try {
            this.client = builder.executorService(executor).build();
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        this.kv = client.getKVClient();
        this.revisionKey = namespace.isEmpty() ? ZERO : key("");
        LOG.info("etcd storage on {} (namespace '{}', TLS {})", settings.endpoints(), namespace, settings.tls());
    }

    private static io.netty.handler.ssl.SslContext sslContext(EtcdSettings s) {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (s.caFile().isPresent()) {
                b.trustManager(s.caFile().get().toFile());
            }
            if (s.certFile().isPresent()) {
                b.keyManager(s.certFile().get().toFile(), s.keyFile().orElseThrow().toFile());
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load etcd TLS material", e);
        }
    }

    @Override
    public String name() {
        return "etcd";
    }

    public EtcdSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public CompletableFuture<RangeResult> range(String key, RangeOptions options) {
        requireNonNull(key, "key should not be null");
        requireNonNull(options, "options should not be null");
        GetOption.Builder b = GetOption.builder()
                .withLimit(options.limit())
                .withRevision(options.revision())
                .withCountOnly(options.isCountOnly())
                .withKeysOnly(options.isKeysOnly());
        ByteSequence start;
        if (options.isPrefix()) {
            byte[] p = (namespace + key).getBytes(UTF_8);
            start = p.length == 0 ? ZERO : ByteSequence.from(p);
            b.withRange(ByteSequence.from(prefixEnd(p)));
        } else {
            start = key(key);
            options.end().ifPresent(end -> b.withRange(rangeEnd(end)));
        }
        GetOption get = b.build();
        return call(key, options.revision(), () -> kv.get(start, get).thenApply(r -> new RangeResult(
                convert(r.getKvs()), r.isMore(), r.getCount(), r.getHeader().getRevision())));
    }

    /** Any read carries the store revision; this one touches only a key inside the namespace (etcd RBAC). */
    @Override
    public CompletableFuture<Long> currentRevision() {
        return call("", 0, () -> kv.get(revisionKey, COUNT_ONLY).thenApply(r -> r.getHeader().getRevision()));
    }

    @Override
    public CompletableFuture<Void> health() {
        return currentRevision().handle((rev, t) -> {
            if (t == null) {
                return null;
            }
            Throwable cause = EtcdErrors.unwrap(t);
            throw cause instanceof StorageException.Unavailable u ? u
                    : new StorageException.Unavailable("etcd is not healthy: " + cause.getMessage(), cause);
        });
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CompletableFuture<WriteResult> create(String key, byte[] value, long lease) {
        requireNonNull(key, "key should not be null");
        byte[] v = requireNonNull(value, "value should not be null").clone();
        ByteSequence k = key(key);
        return call(key, 0, () -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(k, ByteSequence.from(v), putOption(lease)))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit()
                .thenApply(r -> {
                    if (!r.isSucceeded()) {
                        throw conflictOrNotFound(key, r);
                    }
                    long rev = r.getHeader().getRevision();
                    return new WriteResult(rev, new KeyValue(key, v, rev, rev, 1, lease));
                }));
    }

    @Override
    public CompletableFuture<WriteResult> update(String key, byte[] value, long expectedModRevision, long lease) {
        requireNonNull(key, "key should not be null");
        byte[] v = requireNonNull(value, "value should not be null").clone();
        ByteSequence k = key(key);
        PutOption put = lease == 0 ? PUT_PREV : PutOption.builder().withPrevKV().withLeaseId(lease).build();
        return call(key, 0, () -> kv.txn()
                // version > 0 keeps an update from ever creating the key (mod_revision of an absent key is 0).
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)),
                        new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0)))
                .Then(Op.put(k, ByteSequence.from(v), put))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit()
                .thenApply(r -> {
                    if (!r.isSucceeded()) {
                        throw conflictOrNotFound(key, r);
                    }
                    long rev = r.getHeader().getRevision();
                    io.etcd.jetcd.KeyValue prev = r.getPutResponses().get(0).getPrevKv();
                    return new WriteResult(rev,
                            new KeyValue(key, v, prev.getCreateRevision(), rev, prev.getVersion() + 1, lease));
                }));
    }

    @Override
    public CompletableFuture<WriteResult> delete(String key, long expectedModRevision) {
        requireNonNull(key, "key should not be null");
        ByteSequence k = key(key);
        if (expectedModRevision == 0) {
            return call(key, 0, () -> kv.delete(k, DELETE_PREV).thenApply(r -> deleted(key, r)));
        }
        return call(key, 0, () -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.delete(k, DELETE_PREV))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit()
                .thenApply(r -> {
                    if (!r.isSucceeded()) {
                        throw conflictOrNotFound(key, r);
                    }
                    return deleted(key, r.getDeleteResponses().get(0));
                }));
    }

    private WriteResult deleted(String key, DeleteResponse r) {
        if (r.getDeleted() == 0 || r.getPrevKvs().isEmpty()) {
            throw new StorageException.NotFound(key);
        }
        return new WriteResult(r.getHeader().getRevision(), convert(r.getPrevKvs().get(0)));
    }

    private StorageException conflictOrNotFound(String key, TxnResponse r) {
        GetResponse get = r.getGetResponses().get(0);
        if (get.getKvs().isEmpty()) {
            return new StorageException.NotFound(key);
        }
        return new StorageException.Conflict(key, convert(get.getKvs().get(0)));
    }

    private static PutOption putOption(long lease) {
        return lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
    }

    // ---------------------------------------------------------------- leases, compaction

    @Override
    public CompletableFuture<Long> grantLease(long ttlSeconds) {
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("lease TTL must be positive: " + ttlSeconds);
        }
        return call("lease", 0, () -> client.getLeaseClient().grant(ttlSeconds).thenApply(r -> r.getID()));
    }

    @Override
    public CompletableFuture<Void> revokeLease(long lease) {
        return call("lease/" + lease, 0, () -> client.getLeaseClient().revoke(lease).thenApply(r -> null));
    }

    @Override
    public CompletableFuture<Void> compact(long revision) {
        return call("", revision, () -> kv.compact(revision, CompactOption.DEFAULT).thenApply(r -> null));
    }

    // ---------------------------------------------------------------- watch

    @Override
    public Watch watch(String prefix, WatchOptions options, WatchListener listener) {
        requireNonNull(prefix, "prefix should not be null");
        requireNonNull(options, "options should not be null");
        requireNonNull(listener, "listener should not be null");
        byte[] p = (namespace + prefix).getBytes(UTF_8);
        ByteSequence start = p.length == 0 ? ZERO : ByteSequence.from(p);
        ByteSequence end = ByteSequence.from(prefixEnd(p));
        if (closed.get()) {
            EtcdWatch w = new EtcdWatch(this, start, end, options, listener);
            w.fail(new StorageException.Unavailable("etcd store is closed", null));
            return w;
        }
        WatchOptions effective = options;
        if (options.afterRevision() == 0 && !Context.isOnVertxThread()
                && !Thread.currentThread().getName().startsWith("grpc-")) {
            // etcd's "from now" is when its server handles the create request, which may be after a
            // write the caller makes once watch() returned; pinning "now" here closes that gap.
            // (On jetcd's own threads blocking could starve the answer; there etcd's "now" stands.)
            try {
                long now = currentRevision().get(timeoutMs, TimeUnit.MILLISECONDS);
                effective = WatchOptions.builder().withAfterRevision(now)
                        .withProgressNotify(options.isProgressNotify()).build();
            } catch (ExecutionException | TimeoutException e) {
                EtcdWatch w = new EtcdWatch(this, start, end, options, listener);
                RuntimeException mapped = EtcdErrors.map(e, prefix);
                w.fail(mapped instanceof StorageException se ? se
                        : new StorageException.Unavailable("cannot start etcd watch", mapped));
                return w;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                EtcdWatch w = new EtcdWatch(this, start, end, options, listener);
                w.fail(new StorageException.Unavailable("interrupted while starting a watch", e));
                return w;
            }
        }
        EtcdWatch w = new EtcdWatch(this, start, end, effective, listener);
        watches.add(w);
        w.start();
        return w;
    }

    io.etcd.jetcd.Watch.Watcher openWatcher(ByteSequence start, ByteSequence end, long fromRevision,
                                           boolean progressNotify, io.etcd.jetcd.Watch.Listener l) {
        WatchOption option = WatchOption.builder()
                .withRange(end)
                .withRevision(fromRevision)
                .withPrevKV(true)
                .withProgressNotify(progressNotify)
                .withCreateNotify(true)
                .build();
        return client.getWatchClient().watch(start, option, l);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    boolean isClosed() {
        return closed.get();
    }

    void forget(EtcdWatch w) {
        watches.remove(w);
    }

    List<dev.okube.api.storage.WatchEvent> convertEvents(WatchResponse response) {
        List<dev.okube.api.storage.WatchEvent> out = new ArrayList<>(response.getEvents().size());
        for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
            io.etcd.jetcd.KeyValue prev = e.getPrevKV();
            KeyValue kv = convert(e.getKeyValue());
            KeyValue prevKv = prev == null || prev.getKey().isEmpty() ? null : convert(prev);
            switch (e.getEventType()) {
                case PUT -> out.add(new dev.okube.api.storage.WatchEvent(
                        dev.okube.api.storage.WatchEvent.Type.PUT, kv, prevKv));
                case DELETE -> out.add(new dev.okube.api.storage.WatchEvent(
                        dev.okube.api.storage.WatchEvent.Type.DELETE, kv, prevKv));
                default -> LOG.warn("ignoring unknown etcd event type at revision {}", kv.modRevision());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs one jetcd call under the request deadline and turns its failure into a typed error.
     * OUT_OF_RANGE needs a second look: etcd names neither the compaction point nor the current
     * revision in the error, so they are fetched before failing.
     */
    private <T> CompletableFuture<T> call(String key, long revision, Supplier<CompletableFuture<T>> op) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new StorageException.Unavailable("etcd store is closed", null));
        }
        CompletableFuture<T> f;
        try {
            f = op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(EtcdErrors.map(e, key));
        }
        return f.orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(t -> switch (EtcdErrors.revisionError(t)) {
                    case COMPACTED -> compactRevision(revision).thenCompose(c -> CompletableFuture
                            .<T>failedFuture(new StorageException.Compacted(revision, c)));
                    case FUTURE -> currentRevision().thenCompose(cur -> CompletableFuture
                            .<T>failedFuture(new StorageException.FutureRevision(revision, cur)));
                    case NONE -> CompletableFuture.<T>failedFuture(EtcdErrors.map(t, key));
                });
    }

    /**
     * The oldest revision still readable. etcd reports it only to a watch that starts before it,
     * so a throw-away watch from revision 1 asks; if that does not answer promptly, the revision
     * after the one that failed is the best guess.
     */
    private CompletableFuture<Long> compactRevision(long failedRevision) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        io.etcd.jetcd.Watch.Watcher w;
        try {
            w = openWatcher(key("\0compaction-probe"), key("\0compaction-probe\0"), 1, false,
                    new io.etcd.jetcd.Watch.Listener() {
                        @Override
                        public void onNext(WatchResponse response) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            if (EtcdErrors.unwrap(t) instanceof CompactedException ce) {
                                result.complete(ce.getCompactedRevision());
                            }
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failedRevision + 1);
        }
        return result.completeOnTimeout(failedRevision + 1, 2, TimeUnit.SECONDS)
                .whenComplete((c, t) -> w.close());
    }

    ByteSequence key(String key) {
        return ByteSequence.from((namespace + key).getBytes(UTF_8));
    }

    private ByteSequence rangeEnd(String end) {
        // "\0" is etcd's "to the end of the key space", which within a namespace ends at its prefix end.
        if (end.equals("\0")) {
            return namespace.isEmpty() ? ZERO : ByteSequence.from(prefixEnd(namespace.getBytes(UTF_8)));
        }
        return key(end);
    }

    /** The smallest key greater than every key starting with {@code prefix}; "\0" (no end) when there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0};
    }

    private List<KeyValue> convert(List<io.etcd.jetcd.KeyValue> kvs) {
        List<KeyValue> out = new ArrayList<>(kvs.size());
        for (io.etcd.jetcd.KeyValue k : kvs) {
            out.add(convert(k));
        }
        return out;
    }

    KeyValue convert(io.etcd.jetcd.KeyValue k) {
        String full = k.getKey().toString(UTF_8);
        return new KeyValue(full.substring(Math.min(namespace.length(), full.length())), k.getValue().getBytes(),
                k.getCreateRevision(), k.getModRevision(), k.getVersion(), k.getLease());
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closes every watch (their listeners hear Unavailable) and the client. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (EtcdWatch w : List.copyOf(watches)) {
            w.fail(new StorageException.Unavailable("etcd store is closed", null));
        }
        client.close();
        executor.shutdown();
        scheduler.shutdownNow();
    }

    /**
     * Besides closing, waits until the threads that run this bundle's classes are gone: grpc frees its
     * shared event loop about a second after the last channel closes, and a bundle uninstalled before
     * then logs ClassNotFoundExceptions from a dead wiring.
     */
    @Deactivate
    void deactivate() {
        close();
        long deadline = System.currentTimeMillis() + THREAD_DRAIN_MS;
        ClassLoader ours = EtcdKeyValueStore.class.getClassLoader();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread() && ownedThread(t, ours)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        try {
            GlobalEventExecutor.INSTANCE.awaitInactivity(Math.max(1, deadline - System.currentTimeMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            // Thrown when called from the global executor's own thread; nothing to wait for then.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean ownedThread(Thread t, ClassLoader ours) {
        String n = t.getName();
        return t.getClass().getClassLoader() == ours || n.startsWith("jetcd-") || n.startsWith("okube-etcd-")
                || n.startsWith("grpc-shared-destroyer") || n.startsWith("grpc-nio-worker")
                || n.startsWith("vert.x-");
    }
}
