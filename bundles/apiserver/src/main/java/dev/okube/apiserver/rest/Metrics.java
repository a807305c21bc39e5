package dev.okube.apiserver.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The apiserver's Prometheus metrics, with upstream's names: request counts by verb, resource and
 * code, request latency histograms by verb and resource, and in-flight requests.
 */
public final class Metrics {
    /** Upstream's apiserver_request_duration_seconds buckets (trimmed above a minute). */
    static final double[] BUCKETS = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8,
        10, 15, 20, 30, 45, 60};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Long>> gauges = new ConcurrentHashMap<>();

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final AtomicLong sumNanos = new AtomicLong();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                }
            }
            count.increment();
            sumNanos.addAndGet(nanos);
        }
    }

    /** Records one finished request. */
    public void request(String verb, String group, String version, String resource, String subresource, String scope,
            int code, long nanos) {
        String labels = "verb=\"" + verb + "\",group=\"" + group + "\",version=\"" + version + "\",resource=\""
                + resource + "\",subresource=\"" + subresource + "\",scope=\"" + scope + "\",component=\"apiserver\"";
        requests.computeIfAbsent(labels + ",code=\"" + code + "\"", k -> new LongAdder()).increment();
        if (!verb.equals("WATCH")) {
            durations.computeIfAbsent(labels, k -> new Histogram()).observe(nanos);
        }
    }

    /** A gauge read when metrics are scraped. */
    public void gauge(String nameAndLabels, Supplier<Long> value) {
        gauges.put(nameAndLabels, value);
    }

    /** The Prometheus text exposition format, version 0.0.4. */
    public String scrape() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, dry run "
                + "value, group, version, resource, scope, component, and HTTP response code.\n");
        b.append("# TYPE apiserver_request_total counter\n");
        requests.forEach((labels, n) -> b.append("apiserver_request_total{").append(labels).append("} ")
                .append(n.sum()).append('\n'));
        b.append("# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, "
                + "dry run value, group, version, resource, subresource, scope and component.\n");
        b.append("# TYPE apiserver_request_duration_seconds histogram\n");
        durations.forEach((labels, h) -> {
            for (int i = 0; i < BUCKETS.length; i++) {
                b.append("apiserver_request_duration_seconds_bucket{").append(labels).append(",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(h.counts[i].sum()).append('\n');
            }
            b.append("apiserver_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                    .append(h.count.sum()).append('\n');
            b.append("apiserver_request_duration_seconds_sum{").append(labels).append("} ")
                    .append(h.sumNanos.get() / 1e9).append('\n');
            b.append("apiserver_request_duration_seconds_count{").append(labels).append("} ")
                    .append(h.count.sum()).append('\n');
        });
        gauges.forEach((name, value) -> b.append(name).append(' ').append(value.get()).append('\n'));
        return b.toString();
    }
}
