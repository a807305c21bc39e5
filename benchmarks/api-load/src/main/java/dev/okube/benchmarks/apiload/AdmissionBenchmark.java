package dev.okube.benchmarks.apiload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code benchmarks/run admission}: pod creates at a steady 200 per second against okube while the
 * PodPreset admission plugin is updated, uninstalled and reinstalled five times in the running
 * cluster; and the latency the default admission chain adds to a create.
 *
 * <p>Prints {@code admission.<metric> = <value> <unit> # note}:
 * <ul>
 * <li>{@code hotswap_failed_requests}: creates answered other than 201 during the swaps (goal 0);
 * <li>{@code hotswap_effect_ms}: the longest time, over every swap, from sending the shell command
 *     until every create sent from then on shows the new state (injected or not; goal ≤ 1000);
 * <li>{@code chain_p99_ms}: create p99 with the default chain minus create p99 with every plugin
 *     disabled (the chain's configuration changes live), at the same 200 creates per second.
 * </ul>
 */
public final class AdmissionBenchmark {
    private static final int RATE = Integer.getInteger("admission.rate", 200);
    private static final int CYCLES = Integer.getInteger("admission.cycles", 5);
    private static final Duration LATENCY_PHASE = Duration.ofSeconds(Long.getLong("admission.latencySeconds", 10));
    private static final Duration SETTLE = Duration.ofMillis(Long.getLong("admission.settleMillis", 2500));
    private static final String NAMESPACE = "admission-bench";
    private static final AtomicInteger FAILURES_SHOWN = new AtomicInteger();
    private static final String FEATURE = "okube-admission-podpreset";
    private static final String BUNDLE = "dev.okube.admission.podpreset";

    /** One create: when it was sent, how long it took, its HTTP status, and whether the preset was injected. */
    private record Outcome(long sentNanos, long latencyNanos, int status, boolean injected) {
    }

    public static void main(String[] args) throws Exception {
        int code = 0;
        try {
            new AdmissionBenchmark().run();
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private void run() throws Exception {
        Path dist = Path.of(System.getProperty("okube.dist", "karaf-distribution/target/okube")).toAbsolutePath();
        Path work = Files.createTempDirectory("okube-admbench-");
        OkubeInstance okube = new OkubeInstance(dist, work.resolve("okube"));
        try {
            okube.prepare(null);
            okube.start();
            progress("okube ready; " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                    + OkubeInstance.loadAverage());
            HttpClient http = okube.http();
            URI base = okube.baseUri();
            setUp(http, base);
            try (KarafShell shell = new KarafShell(okube.home(), okube.sshPort())) {
                progress("admission chain:\n" + shell.run("kube:admission"));
                chainLatency(http, base, shell);
                hotSwaps(http, base, shell);
            }
        } finally {
            okube.stop();
            OkubeInstance.deleteTree(work);
        }
    }

    /** A namespace with its default service account, and a PodPreset selecting the benchmark's pods. */
    private static void setUp(HttpClient http, URI base) throws Exception {
        expect(http, post(base, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                + "{\"name\":\"" + NAMESPACE + "\"}}"), 201);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (http.send(HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/" + NAMESPACE
                + "/serviceaccounts/default")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no default service account in " + NAMESPACE + " after 60 s");
            }
            Thread.sleep(100);
        }
        expect(http, post(base, "/apis/settings.k8s.io/v1alpha1/namespaces/" + NAMESPACE + "/podpresets",
                "{\"apiVersion\":\"settings.k8s.io/v1alpha1\",\"kind\":\"PodPreset\",\"metadata\":{\"name\":\"bench\"},"
                        + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"bench\"}},"
                        + "\"env\":[{\"name\":\"BENCH_PRESET\",\"value\":\"on\"}]}}"), 201);
        // The plugin learns of the preset from its watch: wait until a pod shows it.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!create(http, base).injected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the PodPreset was not applied within 30 s");
            }
            Thread.sleep(50);
        }
    }

    // ---------------------------------------------------------------- chain latency

    private void chainLatency(HttpClient http, URI base, KarafShell shell) throws Exception {
        // A fresh JVM runs every plugin interpreted at first: warm the whole path before measuring.
        progress("warm-up: creates at " + RATE + "/s for " + LATENCY_PHASE.toSeconds() + " s");
        paced(http, base, LATENCY_PHASE);
        progress("creates at " + RATE + "/s for " + LATENCY_PHASE.toSeconds() + " s with the default chain");
        List<Outcome> withChain = paced(http, base, LATENCY_PHASE);
        List<String> plugins = pluginNames(shell.run("kube:admission"));
        shell.run("config:property-set -p dev.okube.apiserver.admission disabled \"" + String.join(",", plugins) + "\"");
        awaitChain(shell, true);
        progress("creates at " + RATE + "/s for " + LATENCY_PHASE.toSeconds() + " s with every plugin disabled "
                + plugins);
        List<Outcome> without = paced(http, base, LATENCY_PHASE);
        shell.run("config:property-delete -p dev.okube.apiserver.admission disabled");
        awaitChain(shell, false);
        double p99With = p99Millis(withChain);
        double p99Without = p99Millis(without);
        figure("create_p99_ms_default_chain", p99With, "ms", withChain.size() + " creates at " + RATE + "/s, "
                + failures(withChain) + " failed");
        figure("create_p99_ms_no_plugins", p99Without, "ms", without.size() + " creates at " + RATE + "/s, "
                + failures(without) + " failed");
        figure("chain_p99_ms", p99With - p99Without, "ms", "added p99 of the default chain (" + plugins.size()
                + " plugin phases)");
        progress("per plugin, from kube:admission:\n" + shell.run("kube:admission"));
    }

    /** The plugin names in kube:admission's table (third column). */
    static List<String> pluginNames(String table) {
        List<String> names = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] cells = line.split("\\s*\\|\\s*");
            if (cells.length > 3 && cells[0].trim().matches("\\d+") && !names.contains(cells[2].trim())) {
                names.add(cells[2].trim());
            }
        }
        return names;
    }

    private static void awaitChain(KarafShell shell, boolean empty) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pluginNames(shell.run("kube:admission")).isEmpty() != empty) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the admission configuration did not take effect in 30 s");
            }
            Thread.sleep(100);
        }
    }

    // ---------------------------------------------------------------- hot swaps

    private void hotSwaps(HttpClient http, URI base, KarafShell shell) throws Exception {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger inFlight = new AtomicInteger();
        ScheduledFuture<?> load = pacer.scheduleAtFixedRate(() -> send(http, base, outcomes, inFlight), 0,
                1_000_000_000L / RATE, TimeUnit.NANOSECONDS);
        List<Double> effects = new ArrayList<>();
        long start = System.nanoTime();
        try {
            Thread.sleep(SETTLE.toMillis());
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                effects.add(swap(shell, outcomes, "bundle:update " + BUNDLE, true, cycle));
                effects.add(swap(shell, outcomes, "feature:uninstall " + FEATURE, false, cycle));
                effects.add(swap(shell, outcomes, "feature:install " + FEATURE, true, cycle));
            }
        } finally {
            load.cancel(false);
            pacer.shutdown();
            pacer.awaitTermination(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        List<Outcome> all = new ArrayList<>(outcomes);
        double seconds = (System.nanoTime() - start) / 1e9;
        figure("hotswap_creates", all.size(), "creates", String.format(Locale.ROOT, "%.0f s at %d/s", seconds, RATE));
        figure("hotswap_failed_requests", failures(all), "requests", "answered other than 201 during " + CYCLES
                + " x (bundle:update, feature:uninstall, feature:install); goal 0");
        double max = effects.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double[] sorted = effects.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        figure("hotswap_effect_ms", max, "ms", "worst of " + effects.size() + " swaps (median "
                + String.format(Locale.ROOT, "%.0f", sorted[sorted.length / 2]) + " ms), from sending the command; goal <= 1000");
        figure("hotswap_create_p99_ms", p99Millis(all), "ms", "creates during the swaps");
    }

    /**
     * Runs one swap and returns its effect time: from sending the command until the first create
     * after which every create (sent in the settle window) shows the expected state.
     */
    private static double swap(KarafShell shell, ConcurrentLinkedQueue<Outcome> outcomes, String command,
            boolean injectedAfter, int cycle) throws Exception {
        shell.run(command);
        long done = System.nanoTime();
        long issued = shell.lastSentNanos();
        Thread.sleep(SETTLE.toMillis());
        long windowEnd = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(200);
        List<Outcome> window = outcomes.stream().filter(o -> o.sentNanos() >= issued && o.sentNanos() <= windowEnd)
                .sorted((a, b) -> Long.compare(a.sentNanos(), b.sentNanos())).toList();
        long settledAt = -1;
        for (int i = window.size() - 1; i >= 0; i--) {
            Outcome o = window.get(i);
            if (o.status() != 201 || o.injected() != injectedAfter) {
                break;
            }
            settledAt = o.sentNanos();
        }
        double effectMs = settledAt < 0 ? Double.POSITIVE_INFINITY : Math.max(0, (settledAt - issued) / 1e6);
        progress(String.format(Locale.ROOT, "cycle %d: %-45s command took %5.0f ms, in effect after %5.0f ms "
                + "(%d creates in the window)", cycle, command, (done - issued) / 1e6, effectMs, window.size()));
        return effectMs;
    }

    // ---------------------------------------------------------------- load

    private static List<Outcome> paced(HttpClient http, URI base, Duration duration) throws Exception {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<?> load = pacer.scheduleAtFixedRate(() -> send(http, base, outcomes, inFlight), 0,
                1_000_000_000L / RATE, TimeUnit.NANOSECONDS);
        Thread.sleep(duration.toMillis());
        load.cancel(false);
        pacer.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return new ArrayList<>(outcomes);
    }

    private static void send(HttpClient http, URI base, ConcurrentLinkedQueue<Outcome> outcomes, AtomicInteger inFlight) {
        long sent = System.nanoTime();
        inFlight.incrementAndGet();
        http.sendAsync(podRequest(base), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            long latency = System.nanoTime() - sent;
            outcomes.add(e != null ? new Outcome(sent, latency, 0, false)
                    : new Outcome(sent, latency, r.statusCode(), r.body().contains("BENCH_PRESET")));
            if ((e != null || r.statusCode() != 201) && FAILURES_SHOWN.incrementAndGet() <= 10) {
                progress("create failed: " + (e != null ? e.toString() : r.statusCode() + " " + r.body()));
            }
            inFlight.decrementAndGet();
        });
    }

    private static Outcome create(HttpClient http, URI base) throws Exception {
        long sent = System.nanoTime();
        HttpResponse<String> r = http.send(podRequest(base), HttpResponse.BodyHandlers.ofString());
        return new Outcome(sent, System.nanoTime() - sent, r.statusCode(), r.body().contains("BENCH_PRESET"));
    }

    private static HttpRequest podRequest(URI base) {
        return post(base, "/api/v1/namespaces/" + NAMESPACE + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"generateName\":\"bench-\",\"labels\":{\"app\":\"bench\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}");
    }

    private static HttpRequest post(URI base, String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static void expect(HttpClient http, HttpRequest request, int status) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static long failures(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.status() != 201).count();
    }

    private static double p99Millis(List<Outcome> outcomes) {
        long[] sorted = outcomes.stream().mapToLong(Outcome::latencyNanos).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
    }

    private static void figure(String metric, double value, String unit, String note) {
        System.out.println(String.format(Locale.ROOT, "admission.%s = %s %s # %s", metric,
                value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                        : String.format(Locale.ROOT, "%.2f", value), unit, note));
        System.out.flush();
    }

    private static void progress(String what) {
        System.err.println("[admission] " + what);
    }

}
