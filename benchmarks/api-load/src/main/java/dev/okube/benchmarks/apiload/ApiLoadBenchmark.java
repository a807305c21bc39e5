package dev.okube.benchmarks.apiload;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.okube.storage.tck.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Issue 4's apiserver benchmark, one run: raw jetcd puts on a fresh etcd (the ceiling the etcd
 * backend can reach), then the same REST workload against okube on the embedded store, okube on
 * that etcd, and fabric8's {@code KubernetesMockServer} in CRUD mode (an in-memory peer with no
 * storage, admission or watch cache). The workload is ConfigMap create, get and list at 1, 10 and
 * 50 concurrent clients, then watch fan-out: 1,000 streaming watches, 50 creates one per 100 ms,
 * delay from each create's acknowledgement to each watcher's event.
 *
 * <p>Prints {@code apiserver.<metric> = <value> <unit> # note}; unprefixed figures are okube on the
 * embedded store (the default), {@code etcd_*} okube on etcd, {@code mockserver_*} the peer.
 */
public final class ApiLoadBenchmark {
    private static final int[] CLIENTS = {1, 10, 50};
    private static final int CREATES = Integer.getInteger("apiserver.creates", 2_000);
    private static final int GETS = Integer.getInteger("apiserver.gets", 2_000);
    private static final int LISTS = Integer.getInteger("apiserver.lists", 100);
    private static final int LIST_SIZE = 500;
    /** Each level stops issuing requests after this long, so a slow server still ends the run in time. */
    private static final long LEVEL_CAP_NS = TimeUnit.SECONDS.toNanos(Long.getLong("apiserver.levelSeconds", 3));
    private static final int WATCHERS = Integer.getInteger("apiserver.watchers", 1_000);
    private static final int WATCH_EVENTS = 50;
    private static final int RAW_IN_FLIGHT = 64;
    private static final Duration RAW_DURATION = Duration.ofSeconds(3);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** About 512 bytes of data per ConfigMap and per raw etcd value. */
    private static final String VALUE = "x".repeat(512);
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"w-(\\d+)\"");
    private static final Pattern RV = Pattern.compile("\"resourceVersion\"\\s*:\\s*\"(\\d*)\"");

    /** Figures by metric name, so ratios can be computed after all parts ran. */
    private final Map<String, Double> figures = new LinkedHashMap<>();

    /** Held so the level set below is not lost when the logger is collected. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        // The mock server logs every request at INFO, and every WebSocket write still pending after its watcher left.
        MOCK_LOG.setLevel(java.util.logging.Level.SEVERE);
        int code = 0;
        try {
            new ApiLoadBenchmark().run();
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        // HttpClient and vert.x leave non-daemon threads behind; everything started is stopped by now.
        System.exit(code);
    }

    private void run() throws Exception {
        Path dist = Path.of(System.getProperty("okube.dist", "karaf-distribution/target/okube")).toAbsolutePath();
        if (!Files.isExecutable(dist.resolve("bin/start"))) {
            throw new IllegalStateException(dist + " is missing; build it: mvn -o -f karaf-distribution/pom.xml install");
        }
        // Other work on a shared machine moves every figure; say how busy it was.
        progress("starting etcd; raw jetcd puts; " + Runtime.getRuntime().availableProcessors()
                + " cores, load average " + loadAverage());
        // Each part that fails prints itself as unavailable; the others still run.
        EtcdProcess etcd = null;
        try {
            etcd = EtcdProcess.start();
            double raw = rawEtcdPuts(etcd.endpoint());
            figure("raw_etcd_puts_per_s_64", raw, "ops/s", "peer: jetcd put, 64 in flight, 512-byte values");
        } catch (Exception e) {
            unavailable("raw_etcd_puts_per_s_64", e.toString());
        }
        Path work = Files.createTempDirectory("okube-apibench-");
        try {
            Karaf karaf = new Karaf(dist, work.resolve("okube"));
            partOkube(karaf, "", null);
            if (etcd != null && etcd.isRunning()) {
                partOkube(karaf, "etcd_", etcd.endpoint());
            } else {
                unavailable("etcd_workload", "etcd did not start");
            }
        } finally {
            deleteTree(work);
            if (etcd != null) {
                etcd.close();
            }
        }
        try {
            partMockServer();
        } catch (Exception e) {
            unavailable("mockserver_workload", e.toString());
        }

        ratio("create_vs_raw_etcd_ratio", "etcd_create_per_s_50c", "raw_etcd_puts_per_s_64",
                "okube on etcd creates/s at 50 clients / raw jetcd puts/s at 64 in flight; goal >= 0.5");
        ratio("vs_mockserver_ratio", "create_per_s_50c", "mockserver_create_per_s_50c",
                "okube embedded creates/s / fabric8 mock server creates/s, both at 50 clients");
    }

    // ---------------------------------------------------------------- parts

    private void partOkube(Karaf karaf, String prefix, String etcdEndpoint) throws Exception {
        String label = etcdEndpoint == null ? "embedded store" : "etcd backend";
        progress("starting okube on the " + label);
        try {
            karaf.prepare(etcdEndpoint);
            long t0 = System.nanoTime();
            karaf.start();
            progress(String.format(Locale.ROOT, "okube ready after %.1f s", (System.nanoTime() - t0) / 1e9));
        } catch (Exception e) {
            karaf.stop();
            unavailable(prefix + "create_per_s_50c", "okube (" + label + ") did not start: " + e.getMessage());
            return;
        }
        try {
            workload(karaf.baseUri(), karaf.adminTls(), prefix, "okube, " + label, false);
        } finally {
            karaf.stop();
        }
    }

    private void partMockServer() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        progress("starting the fabric8 mock server");
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            workload(URI.create("http://127.0.0.1:" + server.getPort()), null, "mockserver_",
                    "peer: fabric8 KubernetesMockServer CRUD", true);
        } finally {
            // After a watch storm its vert.x loop can stay blocked and destroy() time out; it lives in
            // this JVM, which exits at the end, so wait a few seconds at most.
            Thread closer = new Thread(() -> {
                try {
                    server.destroy();
                } catch (RuntimeException e) {
                    progress("mock server did not close cleanly: " + e);
                }
            }, "mock-server-destroy");
            closer.setDaemon(true);
            closer.start();
            closer.join(5_000);
        }
    }

    // ---------------------------------------------------------------- raw etcd

    /** jetcd puts with 64 in flight for a few seconds after a one-second warm-up; puts per second. */
    private static double rawEtcdPuts(String endpoint) throws Exception {
        Client client = Client.builder().endpoints(endpoint).build();
        try {
            KV kv = client.getKVClient();
            ByteSequence value = ByteSequence.from(VALUE, UTF_8);
            timedPuts(kv, value, "/warm/", Duration.ofSeconds(1));
            return timedPuts(kv, value, "/raw/", RAW_DURATION);
        } finally {
            client.close();
        }
    }

    private static double timedPuts(KV kv, ByteSequence value, String prefix, Duration duration) throws Exception {
        Semaphore window = new Semaphore(RAW_IN_FLIGHT);
        AtomicReference<Throwable> error = new AtomicReference<>();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        int n = 0;
        while (System.nanoTime() < end && error.get() == null) {
            window.acquire();
            kv.put(ByteSequence.from(prefix + n++, UTF_8), value).whenComplete((r, t) -> {
                if (t != null) {
                    error.compareAndSet(null, t);
                }
                window.release();
            });
        }
        if (!window.tryAcquire(RAW_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("etcd puts did not finish within 30 s");
        }
        long elapsed = System.nanoTime() - t0;
        if (error.get() != null) {
            throw new IllegalStateException("an etcd put failed", error.get());
        }
        return n / (elapsed / 1e9);
    }

    // ---------------------------------------------------------------- the client workload

    /** The client workload against {@code base}; {@code tls} is the client's TLS context for https, else null. */
    private void workload(URI base, SSLContext tls, String prefix, String who, boolean webSocketWatch) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool(daemon("load"));
        HttpClient http = client(tls).version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try {
            for (String ns : List.of("bench", "bench-list")) {
                HttpResponse<String> r = send(http, post(base, "/api/v1/namespaces",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}"));
                if (r.statusCode() != 201 && r.statusCode() != 409) {
                    throw new IllegalStateException("creating namespace " + ns + ": " + r.statusCode() + " " + r.body());
                }
            }
            // Fills the list namespace at 50 clients; doubles as the JIT warm-up of the create path.
            // Not capped in time: the list figures need all 500 in place.
            load(http, 50, LIST_SIZE, i -> post(base, "/api/v1/namespaces/bench-list/configmaps", configMap("l-" + i)), 201,
                    Long.MAX_VALUE);
            load(http, 10, 500, i -> get(base, "/api/v1/namespaces/bench-list/configmaps/l-" + (i % LIST_SIZE)), 200,
                    LEVEL_CAP_NS);
            load(http, 10, 20, i -> get(base, "/api/v1/namespaces/bench-list/configmaps?limit=" + LIST_SIZE), 200,
                    LEVEL_CAP_NS);

            AtomicInteger names = new AtomicInteger();
            for (int c : CLIENTS) {
                Result r = load(http, c, CREATES, i -> post(base, "/api/v1/namespaces/bench/configmaps",
                        configMap("c-" + names.getAndIncrement())), 201, LEVEL_CAP_NS);
                report(prefix, "create", c, r, who);
            }
            int created = names.get();
            for (int c : CLIENTS) {
                Result r = load(http, c, GETS, i -> get(base, "/api/v1/namespaces/bench/configmaps/c-"
                        + ThreadLocalRandom.current().nextInt(created)), 200, LEVEL_CAP_NS);
                report(prefix, "get", c, r, who);
            }
            for (int c : CLIENTS) {
                Result r = load(http, c, LISTS, i -> get(base, "/api/v1/namespaces/bench-list/configmaps?limit=" + LIST_SIZE),
                        200, LEVEL_CAP_NS);
                report(prefix, "list", c, r, who + "; " + LIST_SIZE + " ConfigMaps per list");
            }
            watchFanout(http, tls, base, prefix, who, webSocketWatch);
        } catch (Exception e) {
            unavailable(prefix + "workload", who + ": " + e);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Result(int count, double perSecond, double p50Ms, double p99Ms) {
    }

    /**
     * Sends {@code n} requests from {@code clients} threads, each waiting for its answer before the next;
     * no new request starts {@code capNs} after the first.
     */
    private static Result load(HttpClient http, int clients, int n, java.util.function.IntFunction<HttpRequest> request,
            int expected, long capNs) throws Exception {
        long[] latency = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> error = new AtomicReference<>();
        Thread[] threads = new Thread[clients];
        long t0 = System.nanoTime();
        long cap = capNs == Long.MAX_VALUE ? Long.MAX_VALUE : t0 + capNs;
        for (int t = 0; t < clients; t++) {
            threads[t] = new Thread(() -> {
                int i;
                while (error.get() == null && System.nanoTime() < cap && (i = next.getAndIncrement()) < n) {
                    HttpRequest req = request.apply(i);
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        latency[i] = System.nanoTime() - s;
                        if (r.statusCode() != expected) {
                            error.compareAndSet(null, req.method() + " " + req.uri().getPath() + " answered "
                                    + r.statusCode() + ": " + new String(r.body(), UTF_8));
                        }
                    } catch (Exception e) {
                        error.compareAndSet(null, req.method() + " " + req.uri().getPath() + ": " + e);
                    }
                }
            }, "client-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        if (error.get() != null) {
            throw new IllegalStateException(error.get());
        }
        // Requests are taken in index order and each taken one completes, so the first `done` slots are filled.
        int done = Math.min(next.get(), n);
        long[] sorted = Arrays.copyOf(latency, done);
        Arrays.sort(sorted);
        return new Result(done, done / (elapsed / 1e9), percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    }

    private void report(String prefix, String op, int clients, Result r, String who) {
        String goal = prefix.isEmpty() && op.equals("create") && clients == 50 ? "; goal <= 50 ms" : "";
        figure(prefix + op + "_per_s_" + clients + "c", r.perSecond(), "req/s", who + "; " + r.count() + " requests");
        figure(prefix + op + "_p50_ms_" + clients + "c", r.p50Ms(), "ms", who);
        figure(prefix + op + "_p99_ms_" + clients + "c", r.p99Ms(), "ms", who + goal);
    }

    // ---------------------------------------------------------------- watch fan-out

    /**
     * Opens {@link #WATCHERS} watches from the namespace's current resourceVersion, each its own HTTP/1.1
     * connection read asynchronously (no thread per watch), then creates {@link #WATCH_EVENTS} ConfigMaps
     * one per 100 ms and, per event and watcher, takes arrival minus the create's acknowledgement.
     */
    private void watchFanout(HttpClient http, SSLContext tls, URI base, String prefix, String who, boolean webSocket)
            throws Exception {
        String metric = prefix + "watch_fanout_p99_ms";
        HttpResponse<String> list = send(http, get(base, "/api/v1/namespaces/bench/configmaps?limit=1"));
        Matcher m = RV.matcher(list.body());
        String rv = m.find() ? m.group(1) : "";
        ExecutorService watchPool = Executors.newFixedThreadPool(4, daemon("watch"));
        HttpClient watchHttp = client(tls).version(HttpClient.Version.HTTP_1_1).executor(watchPool)
                .connectTimeout(Duration.ofSeconds(10)).build();
        // arrival[event * WATCHERS + watcher], written by the client's threads, read here.
        AtomicLongArray arrival = new AtomicLongArray(WATCH_EVENTS * WATCHERS);
        long[] acked = new long[WATCH_EVENTS];
        CountDownLatch open = new CountDownLatch(WATCHERS);
        // At most 50 watches connecting at once: Jetty's accept backlog is 50, and a connection storm
        // past it costs SYN retransmits of seconds, which is not what this measures.
        Semaphore connecting = new Semaphore(50);
        AtomicReference<String> failure = new AtomicReference<>();
        List<Runnable> closers = new ArrayList<>();
        URI uri = base.resolve("/api/v1/namespaces/bench/configmaps?watch=true&resourceVersion=" + rv);
        if (webSocket) {
            uri = URI.create(uri.toString().replaceFirst("^http", "ws"));
        }
        try {
            long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int w = 0; w < WATCHERS; w++) {
                int watcher = w;
                if (!connecting.tryAcquire(Math.max(1, openDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                java.util.function.Consumer<CharSequence> onLine = line -> {
                    long now = System.nanoTime();
                    Matcher n = NAME.matcher(line);
                    if (n.find()) {
                        int event = Integer.parseInt(n.group(1));
                        if (event < WATCH_EVENTS) {
                            arrival.set(event * WATCHERS + watcher, now);
                        }
                    }
                };
                if (webSocket) {
                    openWebSocketWatch(watchHttp, uri, onLine, open, failure, closers, connecting);
                } else {
                    openHttpWatch(watchHttp, uri, onLine, open, failure, closers, connecting);
                }
            }
            progress(who + ": " + WATCHERS + " watches opening");
            if (!open.await(Math.max(1, openDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                unavailable(metric, who + ": only " + (WATCHERS - open.getCount()) + " of " + WATCHERS
                        + " watches were open after 20 s, at most 50 connecting at a time");
                return;
            }
            if (failure.get() != null) {
                unavailable(metric, who + ": " + failure.get());
                return;
            }
            // Headers precede the server's registration of the watch by a moment; let every watch settle.
            Thread.sleep(1_000);
            for (int i = 0; i < WATCH_EVENTS; i++) {
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                HttpResponse<String> r = send(http, post(base, "/api/v1/namespaces/bench/configmaps", configMap("w-" + i)));
                acked[i] = System.nanoTime();
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("watch create answered " + r.statusCode() + ": " + r.body());
                }
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            // Events still in flight get up to 10 s more after the last create.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (missing(arrival) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            {
                List<Long> delays = new ArrayList<>();
                int early = 0;
                for (int e = 0; e < WATCH_EVENTS; e++) {
                    for (int w = 0; w < WATCHERS; w++) {
                        long a = arrival.get(e * WATCHERS + w);
                        if (a != 0) {
                            long d = a - acked[e];
                            // An event may overtake the create's own response; that counts as no delay.
                            if (d < 0) {
                                early++;
                                d = 0;
                            }
                            delays.add(d);
                        }
                    }
                }
                long missing = (long) WATCH_EVENTS * WATCHERS - delays.size();
                if (delays.isEmpty()) {
                    unavailable(metric, who + ": no watcher received any event");
                    return;
                }
                long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
                String note = who + "; " + WATCHERS + " watchers x " + WATCH_EVENTS + " events";
                figure(prefix + "watch_fanout_p50_ms", percentile(sorted, 0.50) / 1e6, "ms", note);
                figure(metric, percentile(sorted, 0.99) / 1e6, "ms", note + (prefix.isEmpty() ? "; goal <= 100 ms" : ""));
                figure(prefix + "watch_fanout_max_ms", sorted[sorted.length - 1] / 1e6, "ms", note);
                figure(prefix + "watch_fanout_missing_events", missing, "events",
                        note + "; not delivered within 10 s of the last create" + (early > 0 ? "; " + early
                                + " arrived before the create's response" : ""));
            }
        } finally {
            synchronized (closers) {
                closers.forEach(Runnable::run);
            }
            watchPool.shutdownNow();
        }
    }

    /** A streaming HTTP watch whose lines are read asynchronously: no thread per watch. */
    private static void openHttpWatch(HttpClient client, URI uri, java.util.function.Consumer<CharSequence> onLine,
            CountDownLatch open, AtomicReference<String> failure, List<Runnable> closers, Semaphore connecting) {
        Runnable settled = settledOnce(open, connecting);
        client.sendAsync(HttpRequest.newBuilder(uri).GET().build(), info -> {
            if (info.statusCode() != 200) {
                failure.compareAndSet(null, "a watch answered " + info.statusCode());
            }
            settled.run();
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    synchronized (closers) {
                        closers.add(s::cancel);
                    }
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    onLine.accept(line);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
        }).whenComplete((r, t) -> {
            // Also completes exceptionally when the watch is cancelled at the end; settled only counts the first.
            if (t != null) {
                failure.compareAndSet(null, "a watch failed: " + t);
                settled.run();
            }
        });
    }

    /** The mock server answers plain HTTP watches with 400 and serves them over WebSocket, one message per event. */
    private static void openWebSocketWatch(HttpClient client, URI uri, java.util.function.Consumer<CharSequence> onLine,
            CountDownLatch open, AtomicReference<String> failure, List<Runnable> closers, Semaphore connecting) {
        Runnable settled = settledOnce(open, connecting);
        client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public void onOpen(WebSocket ws) {
                synchronized (closers) {
                    closers.add(ws::abort);
                }
                settled.run();
                ws.request(1);
            }

            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    onLine.accept(message);
                    message.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).whenComplete((ws, t) -> {
            if (t != null) {
                failure.compareAndSet(null, "a WebSocket watch failed: " + t);
                settled.run();
            }
        });
    }

    /** Counts a watch as open (or failed) once, and frees its connecting slot once. */
    private static Runnable settledOnce(CountDownLatch open, Semaphore connecting) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                connecting.release();
                open.countDown();
            }
        };
    }

    private static long missing(AtomicLongArray arrival) {
        long n = 0;
        for (int i = 0; i < arrival.length(); i++) {
            if (arrival.get(i) == 0) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- okube distribution

    /** A private copy of the distribution on free ports; started with bin/start, stopped by PID. */
    private static final class Karaf {
        private final Path dist;
        private final Path home;
        private int apiPort;
        private long pid = -1;
        private final Thread reaper = new Thread(this::kill, "karaf-reaper");

        Karaf(Path dist, Path home) throws IOException {
            this.dist = dist;
            this.home = home;
            copyTree(dist, home, Set.of("data", "lock", "karaf.pid", "instances"));
            Runtime.getRuntime().addShutdownHook(reaper);
        }

        URI baseUri() {
            return URI.create("https://127.0.0.1:" + apiPort);
        }

        /** TLS as the admin of the generated kubeconfig: trusts data/okube/pki/ca.crt, presents admin.crt. */
        SSLContext adminTls() throws Exception {
            return AdminTls.sslContext(home.resolve("data/okube/pki"));
        }

        /** Fresh data/, new free ports, and the etcd backend when an endpoint is given (else the embedded store). */
        void prepare(String etcdEndpoint) throws IOException {
            deleteTree(home.resolve("data"));
            Files.deleteIfExists(home.resolve("karaf.pid"));
            apiPort = freePort();
            setProperty("etc/dev.okube.apiserver.cfg", "port", String.valueOf(apiPort));
            setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort()));
            Path features = home.resolve("etc/org.apache.karaf.features.cfg");
            Files.copy(dist.resolve("etc/org.apache.karaf.features.cfg"), features, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(home.resolve("etc/dev.okube.storage.etcd.cfg"));
            if (etcdEndpoint != null) {
                Files.writeString(home.resolve("etc/dev.okube.storage.etcd.cfg"), "endpoints = " + etcdEndpoint + "\n");
                setProperty("etc/org.apache.karaf.features.cfg", "featuresBoot",
                        "eventadmin,feature,shell,ssh,jaas,deployer,bundle,config,log,package,service,system,diagnostic,"
                                + "kar,scr,okube-storage-etcd,okube-all-in-one");
            }
        }

        void start() throws Exception {
            Process p = new ProcessBuilder(home.resolve("bin/start").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bin/start exited with " + p.exitValue());
            }
            HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve("/readyz")).timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                readPid();
                try {
                    // The first boot writes the PKI before the API listens.
                    HttpClient http = HttpClient.newBuilder().sslContext(adminTls())
                            .connectTimeout(Duration.ofSeconds(1)).build();
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // Not listening yet, or the PKI not written yet.
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("/readyz did not answer 200 within " + READY_TIMEOUT.toSeconds() + " s");
        }

        /** bin/stop, then up to 30 s for the process to go, then SIGKILL to that PID. */
        void stop() {
            readPid();
            if (pid < 0) {
                return;
            }
            try {
                new ProcessBuilder(home.resolve("bin/stop").toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
                ProcessHandle.of(pid).ifPresent(h -> {
                    try {
                        h.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            } catch (Exception e) {
                kill();
            }
            kill();
            pid = -1;
        }

        private void readPid() {
            Path file = home.resolve("karaf.pid");
            try {
                String s = pid < 0 && Files.exists(file) ? Files.readString(file).trim() : "";
                if (!s.isEmpty()) {
                    pid = Long.parseLong(s);
                }
            } catch (IOException | NumberFormatException e) {
                // Not written completely yet; the next look finds it.
            }
        }

        private void kill() {
            if (pid >= 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        /** Replaces {@code key = ...} (with its backslash-continued lines) by {@code key = value}. */
        private void setProperty(String file, String key, String value) throws IOException {
            Path f = home.resolve(file);
            List<String> out = new ArrayList<>();
            boolean found = false;
            boolean skipping = false;
            for (String line : Files.readAllLines(f)) {
                if (skipping) {
                    skipping = line.endsWith("\\");
                    continue;
                }
                if (line.matches("^\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                    out.add(key + " = " + value);
                    found = true;
                    skipping = line.endsWith("\\");
                    continue;
                }
                out.add(line);
            }
            if (!found) {
                out.add(key + " = " + value);
            }
            Files.write(f, out);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"data\":{\"value\":\"" + VALUE + "\"}}";
    }

    private static HttpRequest post(URI base, String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest get(URI base, String path) {
        // Plain JSON, not the Table kubectl asks for.
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .GET().build();
    }

    private static HttpClient.Builder client(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder();
        return tls == null ? b : b.sslContext(tls);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest req) throws Exception {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static double percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private void figure(String metric, double v, String unit, String note) {
        figures.put(metric, v);
        String number = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
        System.out.println("apiserver." + metric + " = " + number + " " + unit + (note == null ? "" : " # " + note));
        System.out.flush();
    }

    private void ratio(String metric, String numerator, String denominator, String note) {
        Double a = figures.get(numerator);
        Double b = figures.get(denominator);
        if (a == null || b == null || b == 0) {
            unavailable(metric, "needs " + numerator + " and " + denominator);
        } else {
            figure(metric, a / b, "x", note);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Where the run is, on stderr, so the figures on stdout stay one per line. */
    private static void progress(String what) {
        System.err.println("# " + java.time.LocalTime.now().withNano(0) + " " + what);
    }

    private static void unavailable(String metric, String reason) {
        System.out.println("apiserver." + metric + " = unavailable # " + reason.replace('\n', ' '));
        System.out.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to, Set<String> skipTopLevel) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(p);
                if (rel.getNameCount() > 0 && skipTopLevel.contains(rel.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
