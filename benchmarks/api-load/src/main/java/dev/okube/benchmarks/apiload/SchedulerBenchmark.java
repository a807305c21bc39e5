package dev.okube.benchmarks.apiload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * {@code benchmarks/run scheduler}: upstream scheduler_perf's SchedulingBasic (and a spreading
 * variant) through okube's real apiserver. For each workload a fresh okube is started from the
 * distribution, N hollow Nodes are created through the API (4 cpu, 32Gi, 110 pods, Ready, spread
 * over zones), then M pods are created with many requests in flight while a watch on the pods sees
 * each one get {@code spec.nodeName}.
 *
 * <p>Two modes per workload, each on its own fresh okube:
 * <ul>
 * <li><b>baseline</b> (always run; the "peer" figure): the okube scheduler is stopped if installed
 *     and the pods name {@code schedulerName: benchmark-self-bind}, which no scheduler profile
 *     serves; the benchmark itself POSTs each pod's {@code binding} (round-robin over the nodes) as
 *     soon as its create is acknowledged. That is what the apiserver can do for create + bind with
 *     the same concurrency: the ceiling for any scheduler.
 * <li><b>scheduler</b>: pods of the {@code default-scheduler}, bound by the okube scheduler (feature
 *     {@code okube-scheduler}, installed if the distribution has it but did not boot it). Without it,
 *     or when it binds nothing in {@code scheduler.timeoutSeconds}, the figures say unavailable.
 * </ul>
 *
 * <p>Figures: pods bound per second, from sending the first create to seeing the last pod bound on
 * the watch; and the p99 of each pod's scheduling latency, from its create's acknowledgement to its
 * binding seen on the watch.
 */
public final class SchedulerBenchmark {
    static final String SELF_BIND = "benchmark-self-bind";
    static final String DEFAULT_SCHEDULER = "default-scheduler";
    static final String FEATURE = "okube-scheduler";
    static final String SCHEDULER_BUNDLE = "dev.okube.scheduler";
    private static final String NAMESPACE = "sched-bench";
    private static final String WARMUP_NAMESPACE = "sched-warmup";
    /**
     * Pods created and self-bound before the measured pods, so the JVM's JIT has compiled the create
     * and binding paths: without it a fresh okube spends a third of its CPU compiling during the run.
     */
    private static final int WARMUP_PODS = Integer.getInteger("scheduler.warmupPods", 2000);
    private static final int IN_FLIGHT = Integer.getInteger("scheduler.inFlight", 256);
    private static final int NODE_IN_FLIGHT = Integer.getInteger("scheduler.nodeInFlight", 64);
    /** A run gives up when no pod got bound for this long. */
    private static final Duration STALL = Duration.ofSeconds(Long.getLong("scheduler.timeoutSeconds", 60));
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final double GOAL_PODS_PER_S = 1000;

    /** A scheduler_perf-like workload: how many nodes, how many pods, which pod template. */
    record Workload(String name, int nodes, int pods, boolean affinitySpread) {
        /** Zones the nodes are spread over: one per 100 nodes, at least 3, at most 10. */
        int zones() {
            return Math.max(3, Math.min(10, nodes / 100));
        }
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("basic_500n_1000p", 500, 1000, false),
            new Workload("basic_5000n_10000p", 5000, 10000, false),
            // Pod affinity and spreading cost the scheduler per node and per existing pod (upstream runs
            // them at 500-5000 nodes); 500 nodes and 1,000 pods keep a run under a minute on 2 cores.
            new Workload("affinity_spread_500n_1000p", 500, 1000, true));

    /** What one mode of one workload measured. */
    record Result(int created, int bound, double podsPerSecond, double p99Millis, double createP99Millis,
            double serverCpuMsPerPod, double clientCpuMsPerPod, int failedRequests, String failure) {
    }

    public static void main(String[] args) throws Exception {
        int code = 0;
        try {
            List<Workload> chosen = choose(args);
            new SchedulerBenchmark().run(chosen);
        } catch (IllegalArgumentException e) {
            System.err.println("scheduler: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** The workloads named on the command line ("all" or none: every one). */
    static List<Workload> choose(String[] args) {
        if (args.length == 0 || (args.length == 1 && args[0].equals("all"))) {
            return WORKLOADS;
        }
        List<Workload> chosen = new ArrayList<>();
        for (String arg : args) {
            Workload w = WORKLOADS.stream().filter(x -> x.name().equals(arg)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no workload '" + arg + "'; choose from all, "
                            + String.join(", ", WORKLOADS.stream().map(Workload::name).toList())));
            chosen.add(w);
        }
        return chosen;
    }

    private void run(List<Workload> workloads) throws Exception {
        Path dist = Path.of(System.getProperty("okube.dist", "karaf-distribution/target/okube")).toAbsolutePath();
        if (!Files.isExecutable(dist.resolve("bin/start"))) {
            throw new IllegalStateException(dist + " is missing; build it: mvn -o -pl karaf-distribution -am package");
        }
        List<String> modes = List.of(System.getProperty("scheduler.modes", "baseline,scheduler").split(","));
        Path work = Files.createTempDirectory("okube-schedbench-");
        try {
            OkubeInstance okube = new OkubeInstance(dist, work.resolve("okube"));
            for (Workload w : workloads) {
                if (modes.contains("baseline")) {
                    report(w, true, measure(okube, w, true));
                }
                if (modes.contains("scheduler")) {
                    report(w, false, measure(okube, w, false));
                }
            }
        } finally {
            OkubeInstance.deleteTree(work);
        }
    }

    private static void report(Workload w, boolean baseline, Result r) {
        String prefix = w.name() + (baseline ? ".apiserver_ceiling_" : ".");
        if (r.failure() != null) {
            unavailable(prefix + "pods_per_s", r.failure());
            unavailable(prefix + "p99_ms", r.failure());
            return;
        }
        String what = baseline
                ? "peer: the benchmark binds each pod itself (round-robin) right after its create, no scheduler"
                : "okube scheduler";
        String goal = w.name().equals("basic_5000n_10000p") ? "; goal >= " + (long) GOAL_PODS_PER_S : "";
        figure(prefix + "pods_per_s", r.podsPerSecond(), "pods/s", what + ", " + r.bound() + " pods, " + IN_FLIGHT
                + " in flight" + (r.failedRequests() > 0 ? ", " + r.failedRequests() + " pods failed (not counted)" : "")
                + ", load average " + OkubeInstance.loadAverage() + goal);
        figure(prefix + "p99_ms", r.p99Millis(), "ms", "create acknowledged -> bound seen on the watch; create p99 "
                + String.format(Locale.ROOT, "%.0f", r.createP99Millis()) + " ms");
        // CPU time per pod holds still when other work shares the machine; the rates above do not.
        figure(prefix + "cpu_ms_per_pod", r.serverCpuMsPerPod(), "ms", "okube process CPU (user+system) per pod, "
                + (baseline ? "apiserver" : "apiserver and scheduler") + "; the benchmark client used "
                + String.format(Locale.ROOT, "%.2f", r.clientCpuMsPerPod()) + " ms per pod");
    }

    // ---------------------------------------------------------------- one run

    private Result measure(OkubeInstance okube, Workload w, boolean baseline) throws Exception {
        String mode = baseline ? "baseline (self-bind)" : "scheduler";
        progress(w.name() + " " + mode + ": starting a fresh okube; load average " + OkubeInstance.loadAverage());
        try {
            okube.prepare(null);
            okube.start();
        } catch (Exception e) {
            okube.stop();
            return failed("okube did not start: " + e.getMessage());
        }
        try {
            String problem = prepareScheduler(okube, baseline);
            if (problem != null) {
                return failed(problem);
            }
            HttpClient http = HttpClient.newBuilder().sslContext(okube.adminTls()).version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            URI base = okube.baseUri();
            setUpNamespace(http, base, NAMESPACE);
            long t0 = System.nanoTime();
            createNodes(http, base, w);
            progress(String.format(Locale.ROOT, "%d nodes ready in %.1f s", w.nodes(), (System.nanoTime() - t0) / 1e9));
            if (WARMUP_PODS > 0) {
                setUpNamespace(http, base, WARMUP_NAMESPACE);
                t0 = System.nanoTime();
                int failed = warmUp(http, base, w);
                progress(String.format(Locale.ROOT, "warm-up: %d pods created and bound in %.1f s (%d failed)",
                        WARMUP_PODS, (System.nanoTime() - t0) / 1e9, failed));
            }
            Result r = schedulePods(okube, http, base, w, baseline);
            if (!baseline && r.bound() == 0) {
                diagnose(okube, http, base);
            }
            return r;
        } finally {
            okube.stop();
        }
    }

    /**
     * Baseline: stops the scheduler bundle if there is one. Scheduler mode: makes sure the
     * {@code okube-scheduler} feature is installed; returns why not when it cannot be.
     */
    private static String prepareScheduler(OkubeInstance okube, boolean baseline) throws Exception {
        try (KarafShell shell = new KarafShell(okube.home(), okube.sshPort())) {
            if (baseline) {
                for (String id : bundleIds(shell.run("bundle:list -s -t 0"), SCHEDULER_BUNDLE)) {
                    shell.run("bundle:stop " + id);
                    progress("stopped the scheduler bundle " + id + " for the baseline");
                }
                return null;
            }
            String state = featureState(shell.run("feature:list"), FEATURE);
            if (state == null) {
                return "the distribution has no " + FEATURE + " feature";
            }
            if (!state.equalsIgnoreCase("Started")) {
                progress(FEATURE + " is " + state + "; feature:install " + FEATURE);
                shell.run("feature:install " + FEATURE);
            }
            return null;
        }
    }

    /** Why the scheduler bound nothing, as far as the first pod's status and kube:scheduler tell. */
    private static void diagnose(OkubeInstance okube, HttpClient http, URI base) {
        try {
            HttpResponse<String> pod = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/" + NAMESPACE
                    + "/pods/" + podName(0))).build(), HttpResponse.BodyHandlers.ofString());
            int status = pod.body().indexOf("\"status\":");
            String text = status < 0 ? pod.body() : pod.body().substring(status);
            progress("the first pod's status: " + text.substring(0, Math.min(text.length(), 800)));
        } catch (Exception e) {
            progress("could not read the first pod: " + e);
        }
        try (KarafShell shell = new KarafShell(okube.home(), okube.sshPort())) {
            progress("kube:scheduler:\n" + shell.run("kube:scheduler"));
        } catch (Exception e) {
            progress("kube:scheduler: " + e.getMessage());
        }
    }

    private static void setUpNamespace(HttpClient http, URI base, String namespace) throws Exception {
        expect(http, post(base, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                + "{\"name\":\"" + namespace + "\"}}"), 201);
        // The ServiceAccount admission plugin wants the namespace's default service account.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (http.send(HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/" + namespace
                + "/serviceaccounts/default")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no default service account in " + namespace + " after 60 s");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Creates the hollow nodes with {@link #NODE_IN_FLIGHT} requests in flight. Plays the node
     * lifecycle controller okube does not have yet: the TaintNodesByCondition admission plugin taints
     * every new node not-ready, and the nodes are Ready, so the taint is removed.
     */
    private static void createNodes(HttpClient http, URI base, Workload w) throws Exception {
        Semaphore permits = new Semaphore(NODE_IN_FLIGHT);
        AtomicInteger failures = new AtomicInteger();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (int i = 0; i < w.nodes(); i++) {
            permits.acquire();
            String name = "node-" + i;
            String zone = "zone-" + (i % w.zones());
            http.sendAsync(post(base, "/api/v1/nodes", nodeJson(name, zone, now)), HttpResponse.BodyHandlers.ofString())
                    .thenCompose(r -> {
                        if (r.statusCode() != 201) {
                            return CompletableFuture.failedFuture(new IllegalStateException("create node " + name
                                    + ": " + r.statusCode() + " " + r.body()));
                        }
                        // An apiserver that drops a new node's status (okube did before it kept it, as
                        // upstream) gets it through the status subresource, as a kubelet would.
                        CompletableFuture<HttpResponse<String>> status = r.body().contains("\"allocatable\"")
                                ? CompletableFuture.completedFuture(r)
                                : http.sendAsync(mergePatch(base, "/api/v1/nodes/" + name + "/status",
                                        statusOnly(nodeJson(name, zone, now))), HttpResponse.BodyHandlers.ofString());
                        if (!r.body().contains("\"taints\"")) {
                            return status;
                        }
                        return status.thenCompose(st -> st.statusCode() >= 300 ? CompletableFuture.completedFuture(st)
                                : http.sendAsync(mergePatch(base, "/api/v1/nodes/" + name,
                                        "{\"spec\":{\"taints\":null}}"), HttpResponse.BodyHandlers.ofString()));
                    })
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() >= 300) {
                            failures.incrementAndGet();
                            if (errors.size() < 3) {
                                errors.add(e != null ? e.toString() : r.statusCode() + " " + r.body());
                            }
                        }
                        permits.release();
                    });
        }
        permits.acquire(NODE_IN_FLIGHT);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + w.nodes() + " nodes failed: " + errors);
        }
    }

    /**
     * Creates and binds {@link #WARMUP_PODS} pods (label color=warmup, which no workload's affinity
     * or spreading selects; schedulerName benchmark-self-bind in both modes) with the same
     * concurrency; returns how many failed.
     */
    private static int warmUp(HttpClient http, URI base, Workload w) throws Exception {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < WARMUP_PODS; i++) {
            permits.acquire();
            String name = "warm-" + i;
            String node = "node-" + (i % w.nodes());
            http.sendAsync(post(base, "/api/v1/namespaces/" + WARMUP_NAMESPACE + "/pods",
                    podJson(name, SELF_BIND, w.affinitySpread(), "warmup")), HttpResponse.BodyHandlers.discarding())
                    .thenCompose(r -> r.statusCode() != 201 ? CompletableFuture.completedFuture(r)
                            : http.sendAsync(post(base, "/api/v1/namespaces/" + WARMUP_NAMESPACE + "/pods/" + name
                                    + "/binding", bindingJson(name, node)), HttpResponse.BodyHandlers.discarding()))
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 201) {
                            failed.incrementAndGet();
                        }
                        permits.release();
                    });
        }
        permits.acquire(IN_FLIGHT);
        return failed.get();
    }

    private Result schedulePods(OkubeInstance okube, HttpClient http, URI base, Workload w, boolean baseline)
            throws Exception {
        int m = w.pods();
        AtomicLongArray acked = new AtomicLongArray(m);
        AtomicLongArray bound = new AtomicLongArray(m);
        AtomicInteger boundCount = new AtomicInteger();
        AtomicLong lastBound = new AtomicLong();
        PodWatch watch = PodWatch.start(http, base, NAMESPACE, event -> {
            if (event.nodeName() == null) {
                return;
            }
            int i = podIndex(event.name());
            if (i >= 0 && i < m && bound.compareAndSet(i, 0, System.nanoTime())) {
                lastBound.set(bound.get(i));
                boundCount.incrementAndGet();
            }
        });
        Semaphore permits = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        String schedulerName = baseline ? SELF_BIND : DEFAULT_SCHEDULER;
        long[] createLatency = new long[m];
        long serverCpu0 = okube.cpuNanos();
        long clientCpu0 = clientCpuNanos();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < m; i++) {
                permits.acquire();
                final int idx = i;
                String name = podName(i);
                long sent = System.nanoTime();
                CompletableFuture<HttpResponse<String>> create = http.sendAsync(post(base, "/api/v1/namespaces/"
                        + NAMESPACE + "/pods", podJson(name, schedulerName, w.affinitySpread())),
                        HttpResponse.BodyHandlers.ofString());
                CompletableFuture<?> done = create.thenCompose(r -> {
                    long now = System.nanoTime();
                    if (r.statusCode() != 201) {
                        return CompletableFuture.failedFuture(new IllegalStateException("create " + name + ": "
                                + r.statusCode() + " " + r.body()));
                    }
                    acked.set(idx, now);
                    createLatency[idx] = now - sent;
                    if (!baseline) {
                        return CompletableFuture.completedFuture(r);
                    }
                    return http.sendAsync(post(base, "/api/v1/namespaces/" + NAMESPACE + "/pods/" + name + "/binding",
                            bindingJson(name, "node-" + (idx % w.nodes()))), HttpResponse.BodyHandlers.ofString())
                            .thenCompose(b -> b.statusCode() == 201 ? CompletableFuture.completedFuture(b)
                                    : CompletableFuture.failedFuture(new IllegalStateException("bind " + name + ": "
                                            + b.statusCode() + " " + b.body())));
                });
                done.whenComplete((r, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        if (errors.size() < 5) {
                            errors.add(e.getCause() != null ? e.getCause().toString() : e.toString());
                            progress("request failed: " + errors.get(errors.size() - 1));
                        }
                    }
                    permits.release();
                });
            }
            permits.acquire(IN_FLIGHT);
            long createsDone = System.nanoTime();
            int ok = m - failed.get();
            progress(String.format(Locale.ROOT, "%d pods created%s in %.1f s (%d failed); %d bound so far", ok,
                    baseline ? " and bound" : "", (createsDone - start) / 1e9, failed.get(), boundCount.get()));
            // Wait for the watch to see every acknowledged pod bound, or for the binding to stall.
            int seen = -1;
            long lastProgress = System.nanoTime();
            while (boundCount.get() < ok) {
                if (boundCount.get() != seen) {
                    seen = boundCount.get();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    break;
                }
                if (watch.failure() != null) {
                    return failed("the pod watch failed: " + watch.failure());
                }
                Thread.sleep(20);
            }
        } finally {
            watch.close();
        }
        double serverCpuMs = (okube.cpuNanos() - serverCpu0) / 1e6;
        double clientCpuMs = (clientCpuNanos() - clientCpu0) / 1e6;
        int ok = m - failed.get();
        int b = boundCount.get();
        if (failed.get() > 0 && ok == 0) {
            return failed("every create failed, e.g. " + errors);
        }
        if (b == 0) {
            return failed("no pod was bound within " + STALL.toSeconds() + " s"
                    + (baseline ? "" : " (is the okube scheduler running and serving " + DEFAULT_SCHEDULER + "?)"));
        }
        if (b < ok) {
            return failed(b + " of " + ok + " pods bound; nothing more for " + STALL.toSeconds() + " s");
        }
        long[] latencies = new long[m];
        long[] creates = new long[m];
        int n = 0;
        for (int i = 0; i < m; i++) {
            if (acked.get(i) != 0 && bound.get(i) != 0) {
                // The watch can show a binding before the create's response is handled: that is 0.
                latencies[n] = Math.max(0, bound.get(i) - acked.get(i));
                creates[n++] = createLatency[i];
            }
        }
        double seconds = (lastBound.get() - start) / 1e9;
        return new Result(ok, b, b / seconds, percentile(java.util.Arrays.copyOf(latencies, n), 0.99) / 1e6,
                percentile(java.util.Arrays.copyOf(creates, n), 0.99) / 1e6, serverCpuMs / b, clientCpuMs / b,
                failed.get(), null);
    }

    // ---------------------------------------------------------------- objects

    static String podName(int i) {
        return "pod-" + i;
    }

    /** The index of a pod named by {@link #podName}, or -1. */
    static int podIndex(String name) {
        if (name == null || !name.startsWith("pod-")) {
            return -1;
        }
        try {
            return Integer.parseInt(name, 4, name.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A hollow node as a kubelet would register it: 4 cpu, 32Gi, 110 pods, Ready, host and zone labels. */
    static String nodeJson(String name, String zone, String now) {
        String resources = "{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"}";
        return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                + "\"kubernetes.io/hostname\":\"" + name + "\",\"topology.kubernetes.io/zone\":\"" + zone + "\","
                + "\"kubernetes.io/os\":\"linux\",\"kubernetes.io/arch\":\"amd64\"}},\"spec\":{},"
                + "\"status\":{\"capacity\":" + resources + ",\"allocatable\":" + resources + ","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
                + "\"message\":\"hollow node\",\"lastHeartbeatTime\":\"" + now + "\",\"lastTransitionTime\":\"" + now
                + "\"}],\"phase\":\"Running\"}}";
    }

    /** The status part of {@link #nodeJson}, as a merge patch body. */
    static String statusOnly(String nodeJson) {
        return "{" + nodeJson.substring(nodeJson.indexOf("\"status\":"));
    }

    /**
     * Upstream scheduler_perf's default pod (one pause container, port 80, 100m cpu and 500Mi memory
     * as requests and limits); with {@code affinitySpread}, also a preferred pod anti-affinity term
     * on the hostname (weight 1) and a hard spread constraint over zones (maxSkew 1, DoNotSchedule),
     * both selecting the workload's own pods, as upstream's anti-affinity and spreading templates.
     */
    static String podJson(String name, String schedulerName, boolean affinitySpread) {
        return podJson(name, schedulerName, affinitySpread, affinitySpread ? "yellow" : "blue");
    }

    /** The same pod with another color label (the affinity terms still select yellow). */
    static String podJson(String name, String schedulerName, boolean affinitySpread, String color) {
        StringBuilder s = new StringBuilder(640);
        s.append("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"").append(name)
                .append("\",\"labels\":{\"color\":\"").append(color).append("\"}},")
                .append("\"spec\":{\"schedulerName\":\"").append(schedulerName).append("\",");
        if (affinitySpread) {
            s.append("\"affinity\":{\"podAntiAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":[{")
                    .append("\"weight\":1,\"podAffinityTerm\":{\"labelSelector\":{\"matchLabels\":{\"color\":\"yellow\"}},")
                    .append("\"topologyKey\":\"kubernetes.io/hostname\"}}]}},")
                    .append("\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"topology.kubernetes.io/zone\",")
                    .append("\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"color\":\"yellow\"}}}],");
        }
        s.append("\"containers\":[{\"name\":\"pause\",\"image\":\"registry.k8s.io/pause:3.10\",")
                .append("\"ports\":[{\"containerPort\":80}],\"resources\":{")
                .append("\"limits\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"},")
                .append("\"requests\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"}}}]}}");
        return s.toString();
    }

    static String bindingJson(String pod, String node) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + pod + "\"},"
                + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"" + node + "\"}}";
    }

    // ---------------------------------------------------------------- shell output

    /** The IDs of the bundles with this symbolic name in {@code bundle:list -s} output. */
    static List<String> bundleIds(String bundleList, String symbolicName) {
        List<String> ids = new ArrayList<>();
        for (String line : bundleList.split("\n")) {
            String[] cells = cells(line);
            if (cells.length >= 2 && cells[0].matches("\\d+") && cells[cells.length - 1].equals(symbolicName)) {
                ids.add(cells[0]);
            }
        }
        return ids;
    }

    /** The State column of a feature in {@code feature:list} output (e.g. Started, Uninstalled), or null. */
    static String featureState(String featureList, String feature) {
        for (String line : featureList.split("\n")) {
            String[] cells = cells(line);
            if (cells.length >= 4 && cells[0].equals(feature)) {
                return cells[3];
            }
        }
        return null;
    }

    private static String[] cells(String line) {
        return line.trim().split("\\s*[|\u2502]\\s*", -1);
    }

    // ---------------------------------------------------------------- statistics

    /** The nearest-rank percentile (q in (0, 1]) of the values; NaN when there are none. */
    static double percentile(long[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** This JVM's CPU time so far. */
    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    // ---------------------------------------------------------------- HTTP

    private static HttpRequest post(URI base, String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest mergePatch(URI base, String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static void expect(HttpClient http, HttpRequest request, int status) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + r.statusCode() + " "
                    + r.body());
        }
    }

    private static Result failed(String why) {
        return new Result(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, why);
    }

    private static void figure(String metric, double v, String unit, String note) {
        String number = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        System.out.println("scheduler." + metric + " = " + number + " " + unit + " # " + note);
        System.out.flush();
    }

    private static void unavailable(String metric, String reason) {
        System.out.println("scheduler." + metric + " = unavailable # " + reason.replace('\n', ' '));
        System.out.flush();
    }

    static void progress(String what) {
        System.err.println("# " + java.time.LocalTime.now().withNano(0) + " " + what);
    }

    // ---------------------------------------------------------------- the pod watch

    /** One watch event, as much of it as the benchmark needs. */
    record WatchEvent(String type, String name, String nodeName, String resourceVersion) {
    }

    /**
     * The few fields of a JSON watch event line the benchmark needs, found by text search rather
     * than a JSON parse: the client shares the 2 cores with the server it measures. The object's
     * first {@code "name"} after {@code "metadata"} is its name (okube writes metadata's name first;
     * the container's name comes later, in spec); {@code "nodeName"} appears only in spec.
     */
    static WatchEvent parseEvent(String line) {
        String type = stringAfter(line, "\"type\":\"", 0);
        int metadata = line.indexOf("\"metadata\":");
        if (type == null || metadata < 0) {
            return null;
        }
        return new WatchEvent(type, stringAfter(line, "\"name\":\"", metadata), stringAfter(line, "\"nodeName\":\"", 0),
                stringAfter(line, "\"resourceVersion\":\"", metadata));
    }

    private static String stringAfter(String line, String key, int from) {
        int i = line.indexOf(key, from);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = line.indexOf('"', start);
        return end < 0 ? null : line.substring(start, end);
    }

    /** A streaming watch on the namespace's pods from the current resourceVersion; re-opened if the server ends it. */
    static final class PodWatch implements AutoCloseable {
        private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pod-watch");
            t.setDaemon(true);
            return t;
        });
        private volatile boolean closed;
        private volatile String failure;
        private volatile Stream<String> current;

        static PodWatch start(HttpClient http, URI base, String namespace,
                java.util.function.Consumer<WatchEvent> onEvent) throws Exception {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/"
                    + namespace + "/pods?limit=1")).build(), HttpResponse.BodyHandlers.ofString());
            String rv = stringAfter(list.body(), "\"resourceVersion\":\"", 0);
            PodWatch w = new PodWatch();
            java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
            w.reader.execute(() -> w.loop(http, base, namespace, rv, onEvent, open));
            if (!open.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pod watch did not open in 30 s");
            }
            return w;
        }

        private void loop(HttpClient http, URI base, String namespace, String fromRv,
                java.util.function.Consumer<WatchEvent> onEvent, java.util.concurrent.CountDownLatch open) {
            String rv = fromRv;
            while (!closed) {
                try {
                    HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/"
                            + namespace + "/pods?watch=true&timeoutSeconds=3600&resourceVersion=" + rv)).build(),
                            HttpResponse.BodyHandlers.ofLines());
                    if (r.statusCode() != 200) {
                        failure = "watch answered " + r.statusCode();
                        open.countDown();
                        return;
                    }
                    open.countDown();
                    current = r.body();
                    for (String line : (Iterable<String>) r.body()::iterator) {
                        WatchEvent e = parseEvent(line);
                        if (e == null) {
                            continue;
                        }
                        if (e.type().equals("ERROR")) {
                            failure = line;
                            return;
                        }
                        if (e.resourceVersion() != null) {
                            rv = e.resourceVersion();
                        }
                        onEvent.accept(e);
                    }
                } catch (Exception e) {
                    if (!closed) {
                        progress("pod watch ended (" + e + "); re-opening from resourceVersion " + rv);
                    }
                }
            }
        }

        String failure() {
            return failure;
        }

        @Override
        public void close() {
            closed = true;
            Stream<String> s = current;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    // Closing the stream cancels the request; nothing else to do.
                }
            }
            reader.shutdownNow();
        }
    }
}
