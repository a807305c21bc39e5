package dev.okube.benchmarks.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import dev.okube.storage.etcd.EtcdKeyValueStore;
import dev.okube.storage.etcd.EtcdSettings;
import dev.okube.storage.tck.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * One run, one fresh etcd: raw jetcd puts as the peer, the etcd backend through the storage SPI,
 * and the embedded backend, each sequential and with 64 writes in flight (256-byte values); then
 * read latency and watch delivery latency (put acknowledged → event delivered). Prints
 * {@code storage.<metric> = <value> <unit>} lines; a {@code # ...} tail gives the goal.
 *
 * <p>Throughput runs interleave raw put, raw txn and SPI in short rounds and keep each kind's best,
 * because on a shared 2-core machine a single long pass mostly measures the neighbours.
 */
public final class StorageBenchmark {
    private static final int VALUE_SIZE = 256;
    private static final int IN_FLIGHT = 64;
    private static final int SEQUENTIAL_OPS = Integer.getInteger("storage.sequentialOps", 1_500);
    private static final int PARALLEL_OPS = Integer.getInteger("storage.parallelOps", 6_000);
    /** Short interleaved rounds, best of each kind: a neighbour's burst then spoils one round, not a figure. */
    private static final int ROUNDS = Integer.getInteger("storage.rounds", 5);
    private static final int READS = Integer.getInteger("storage.reads", 2_000);
    private static final int WATCH_EVENTS = Integer.getInteger("storage.watchEvents", 1_000);
    private static final long OP_TIMEOUT_S = 30;

    private final byte[] value = new byte[VALUE_SIZE];
    private int runId;

    private StorageBenchmark() {
        new Random(1).nextBytes(value);
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        new StorageBenchmark().run();
        System.out.printf(Locale.ROOT, "storage.run_seconds = %.1f s%n", (System.nanoTime() - t0) / 1e9);
        // grpc, Vert.x and H2 leave non-daemon helpers around; the figures are out, so end here.
        System.exit(0);
    }

    private void run() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            Client raw = Client.builder().endpoints(etcd.endpoint()).build();
            EtcdKeyValueStore spi = new EtcdKeyValueStore(EtcdSettings.of(etcd.endpoint()));
            try {
                etcdFigures(raw, spi);
            } finally {
                spi.close();
                raw.close();
            }
        }
        embeddedFigures();
    }

    // ---------------------------------------------------------------- etcd: raw jetcd and SPI

    private double raw64;

    private void etcdFigures(Client raw, EtcdKeyValueStore spi) throws Exception {
        KV kv = raw.getKVClient();
        IntFunction<CompletableFuture<?>> rawPut = i -> kv.put(key("raw", i), ByteSequence.from(value));
        IntFunction<CompletableFuture<?>> spiCreate = i -> spi.create(name("spi", i), value, 0);
        // The request an SPI create sends: a plain put cannot refuse to overwrite, so every
        // conditional write (the apiserver's every write) is an etcd txn, which etcd runs slower.
        IntFunction<CompletableFuture<?>> rawTxn = i -> {
            ByteSequence k = key("txn", i);
            return kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
                    .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                    .Else(Op.get(k, GetOption.DEFAULT))
                    .commit();
        };

        // Warm up both paths (class loading, JIT, connection) before anything is timed.
        throughput(rawPut, 2_000, IN_FLIGHT);
        throughput(spiCreate, 2_000, IN_FLIGHT);
        throughput(rawTxn, 2_000, IN_FLIGHT);

        double rawSeq = Math.max(throughput(rawPut, SEQUENTIAL_OPS, 1), throughput(rawPut, SEQUENTIAL_OPS, 1));
        double spiSeq = Math.max(throughput(spiCreate, SEQUENTIAL_OPS, 1), throughput(spiCreate, SEQUENTIAL_OPS, 1));
        double rawPar = 0;
        double spiPar = 0;
        double txnPar = 0;
        for (int round = 0; round < ROUNDS; round++) {
            rawPar = Math.max(rawPar, throughput(rawPut, PARALLEL_OPS, IN_FLIGHT));
            txnPar = Math.max(txnPar, throughput(rawTxn, PARALLEL_OPS, IN_FLIGHT));
            spiPar = Math.max(spiPar, throughput(spiCreate, PARALLEL_OPS, IN_FLIGHT));
        }
        raw64 = rawPar;
        figure("raw_etcd_puts_per_s_sequential", rawSeq, "ops/s", "jetcd put, peer");
        figure("raw_etcd_puts_per_s_64", rawPar, "ops/s", "jetcd put, peer");
        figure("etcd_spi_puts_per_s_sequential", spiSeq, "ops/s", "SPI create = etcd txn");
        figure("etcd_spi_puts_per_s_64", spiPar, "ops/s", "SPI create = etcd txn");
        figure("raw_etcd_create_txn_per_s_64", txnPar, "ops/s", "jetcd create-if-absent txn, peer");
        figure("etcd_spi_vs_raw_ratio", spiPar / rawPar, "x", "SPI create vs raw put; goal >= 0.9");
        figure("etcd_spi_vs_raw_txn_ratio", spiPar / txnPar, "x", "SPI create vs the same txn sent raw");

        // Reads: one key, and a 100-key prefix list, at the current revision.
        String listPrefix = "/bench/list-" + (++runId) + "/";
        for (int i = 0; i < 100; i++) {
            spi.create(listPrefix + i, value, 0).get(OP_TIMEOUT_S, TimeUnit.SECONDS);
        }
        ByteSequence rawKey = key("raw", 7);
        double[] rawGet = latencies(READS, i -> kv.get(rawKey));
        String spiKey = name("spi", 7);
        double[] spiGet = latencies(READS, i -> spi.get(spiKey));
        RangeOptions prefix = RangeOptions.builder().withPrefix(true).build();
        double[] spiList = latencies(READS / 4, i -> spi.range(listPrefix, prefix));
        ByteSequence rawPrefix = ByteSequence.from(listPrefix, UTF_8);
        double[] rawList = latencies(READS / 4, i -> kv.get(rawPrefix, GetOption.builder().isPrefix(true).build()));
        figure("raw_etcd_get_p50_ms", pct(rawGet, 50), "ms", "peer");
        figure("etcd_spi_get_p50_ms", pct(spiGet, 50), "ms", null);
        figure("etcd_spi_get_p99_ms", pct(spiGet, 99), "ms", null);
        figure("raw_etcd_list100_p50_ms", pct(rawList, 50), "ms", "peer");
        figure("etcd_spi_list100_p50_ms", pct(spiList, 50), "ms", null);

        // Watch delivery: sequential writes, event time minus acknowledgement time.
        double[] rawWatch = rawWatchLatency(raw);
        double[] spiWatch = watchLatency(spi, "etcd");
        figure("raw_etcd_watch_p50_ms", pct(rawWatch, 50), "ms", "peer");
        figure("raw_etcd_watch_p99_ms", pct(rawWatch, 99), "ms", "peer");
        figure("watch_p50_ms", pct(spiWatch, 50), "ms", "etcd backend through the SPI");
        figure("watch_p99_ms", pct(spiWatch, 99), "ms", "etcd backend through the SPI; goal <= 10");
    }

    // ---------------------------------------------------------------- embedded

    private void embeddedFigures() throws Exception {
        Path dir = Files.createTempDirectory("okube-bench-embedded-");
        try {
            KeyValueStore emb;
            try {
                emb = new EmbeddedKeyValueStore(embeddedConfig(dir));
            } catch (Exception | LinkageError e) {
                System.out.println("storage.embedded_puts_per_s_64 = unavailable # " + e);
                System.out.println("storage.embedded_vs_raw_etcd_ratio = unavailable");
                return;
            }
            IntFunction<CompletableFuture<?>> create = i -> emb.create(name("emb", i), value, 0);
            throughput(create, 2_000, IN_FLIGHT);
            double seq = Math.max(throughput(create, SEQUENTIAL_OPS, 1), throughput(create, SEQUENTIAL_OPS, 1));
            double par = 0;
            for (int round = 0; round < ROUNDS; round++) {
                par = Math.max(par, throughput(create, PARALLEL_OPS, IN_FLIGHT));
            }
            figure("embedded_puts_per_s_sequential", seq, "ops/s", "fsync on");
            figure("embedded_puts_per_s_64", par, "ops/s", "fsync on");
            figure("embedded_vs_raw_etcd_ratio", par / raw64, "x", "goal >= 1.0");

            String listPrefix = "/bench/list-emb/";
            for (int i = 0; i < 100; i++) {
                emb.create(listPrefix + i, value, 0).get(OP_TIMEOUT_S, TimeUnit.SECONDS);
            }
            String k = name("emb", 7);
            double[] get = latencies(READS, i -> emb.get(k));
            RangeOptions prefix = RangeOptions.builder().withPrefix(true).build();
            double[] list = latencies(READS / 4, i -> emb.range(listPrefix, prefix));
            figure("embedded_get_p50_ms", pct(get, 50), "ms", null);
            figure("embedded_list100_p50_ms", pct(list, 50), "ms", null);
            double[] watch = watchLatency(emb, "emb");
            figure("embedded_watch_p50_ms", pct(watch, 50), "ms", null);
            figure("embedded_watch_p99_ms", pct(watch, 99), "ms", "goal <= 10");
            // The embedded store has no public close; its files go with the directory below.
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("cannot delete " + dir + ": " + e);
            }
        }
    }

    /** The embedded store's own DS configuration type, filled in for a temporary directory. */
    private static EmbeddedKeyValueStore.Config embeddedConfig(Path dir) {
        return EmbeddedKeyValueStore.config(dir, true);
    }

    // ---------------------------------------------------------------- measurement

    /** Runs {@code count} operations with at most {@code inFlight} outstanding; returns operations per second. */
    private static double throughput(IntFunction<CompletableFuture<?>> op, int count, int inFlight) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<Throwable> error = new AtomicReference<>();
        int base = nextBase();
        long t0 = System.nanoTime();
        for (int i = 0; i < count && error.get() == null; i++) {
            if (!window.tryAcquire(OP_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no free slot within " + OP_TIMEOUT_S + " s");
            }
            op.apply(base + i).whenComplete((v, t) -> {
                if (t != null) {
                    error.compareAndSet(null, t);
                }
                window.release();
            });
        }
        if (!window.tryAcquire(inFlight, OP_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writes did not finish within " + OP_TIMEOUT_S + " s");
        }
        long elapsed = System.nanoTime() - t0;
        if (error.get() != null) {
            throw new IllegalStateException("a write failed", error.get());
        }
        return count / (elapsed / 1e9);
    }

    private static int keyBase;

    /** Every throughput run writes fresh keys, so SPI creates never conflict. */
    private static synchronized int nextBase() {
        keyBase += 1_000_000;
        return keyBase;
    }

    private static double[] latencies(int count, Function<Integer, CompletableFuture<?>> op) throws Exception {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            op.apply(i).get(OP_TIMEOUT_S, TimeUnit.SECONDS);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    /**
     * Writes {@link #WATCH_EVENTS} keys one after another under a watched prefix and records, per
     * revision, when the write was acknowledged and when its event arrived. An event that beats the
     * acknowledgement counts as 0.
     */
    private double[] watchLatency(KeyValueStore store, String label) throws Exception {
        String prefix = "/bench/watch-" + label + "-" + (++runId) + "/";
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        Watch watch = store.watch(prefix, WatchOptions.DEFAULT, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                long now = System.nanoTime();
                for (WatchEvent e : events) {
                    arrived.put(e.revision(), now);
                }
            }

            @Override
            public void onError(StorageException error) {
                failed.completeExceptionally(error);
            }
        });
        try {
            long[] acked = new long[WATCH_EVENTS];
            long[] revs = new long[WATCH_EVENTS];
            for (int i = 0; i < WATCH_EVENTS; i++) {
                revs[i] = store.create(prefix + i, value, 0).get(OP_TIMEOUT_S, TimeUnit.SECONDS).revision();
                acked[i] = System.nanoTime();
            }
            return delays(revs, acked, arrived, failed);
        } finally {
            watch.close();
        }
    }

    private double[] rawWatchLatency(Client raw) throws Exception {
        String prefix = "/bench/watch-raw-" + (++runId) + "/";
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        ByteSequence p = ByteSequence.from(prefix, UTF_8);
        long start = raw.getKVClient().get(p).get(OP_TIMEOUT_S, TimeUnit.SECONDS).getHeader().getRevision();
        try (io.etcd.jetcd.Watch.Watcher w = raw.getWatchClient().watch(p,
                WatchOption.builder().isPrefix(true).withRevision(start + 1).build(),
                new io.etcd.jetcd.Watch.Listener() {
                    @Override
                    public void onNext(WatchResponse response) {
                        long now = System.nanoTime();
                        response.getEvents().forEach(e -> arrived.put(e.getKeyValue().getModRevision(), now));
                    }

                    @Override
                    public void onError(Throwable t) {
                        failed.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                })) {
            long[] acked = new long[WATCH_EVENTS];
            long[] revs = new long[WATCH_EVENTS];
            for (int i = 0; i < WATCH_EVENTS; i++) {
                revs[i] = raw.getKVClient().put(ByteSequence.from(prefix + i, UTF_8), ByteSequence.from(value))
                        .get(OP_TIMEOUT_S, TimeUnit.SECONDS).getHeader().getRevision();
                acked[i] = System.nanoTime();
            }
            return delays(revs, acked, arrived, failed);
        }
    }

    private static double[] delays(long[] revs, long[] acked, Map<Long, Long> arrived, CompletableFuture<Void> failed)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OP_TIMEOUT_S);
        while (!arrived.containsKey(revs[revs.length - 1])) {
            if (failed.isCompletedExceptionally()) {
                failed.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("watch events missing after " + OP_TIMEOUT_S + " s");
            }
            Thread.sleep(1);
        }
        double[] ms = new double[revs.length];
        for (int i = 0; i < revs.length; i++) {
            Long at = arrived.get(revs[i]);
            if (at == null) {
                throw new IllegalStateException("no event for revision " + revs[i]);
            }
            ms[i] = Math.max(0, (at - acked[i]) / 1e6);
        }
        return ms;
    }

    private static double pct(double[] samples, double p) {
        double[] s = samples.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    private static ByteSequence key(String kind, int i) {
        return ByteSequence.from(name(kind, i), UTF_8);
    }

    private static String name(String kind, int i) {
        return "/bench/" + kind + "/" + i;
    }

    private static void figure(String metric, double v, String unit, String note) {
        String number = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
        StringBuilder line = new StringBuilder("storage.").append(metric).append(" = ").append(number);
        if (!unit.isEmpty()) {
            line.append(' ').append(unit);
        }
        if (note != null) {
            line.append(" # ").append(note);
        }
        System.out.println(line);
    }
}
