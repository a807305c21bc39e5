package dev.okube.scheduler.framework;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import io.fabric8.kubernetes.api.model.Pod;

/** The pods held in the permit phase, by uid, as upstream's waitingPodsMap. */
public final class WaitingPods {
    /** Upstream's maxTimeout for a permit wait. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

    private final Map<String, Entry> pods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;

    public WaitingPods(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /** Holds {@code pod} until every plugin of {@code waits} allows it, one rejects it, or its timeout passes. */
    public Entry add(Pod pod, String nodeName, Map<String, Duration> waits) {
        Entry e = new Entry(pod, nodeName, waits.keySet());
        pods.put(pod.getMetadata().getUid(), e);
        for (Map.Entry<String, Duration> w : waits.entrySet()) {
            String plugin = w.getKey();
            Duration d = w.getValue();
            e.timers.add(timers.schedule(() -> e.reject(plugin,
                    "rejected due to timeout after waiting " + goDuration(d) + " at plugin " + plugin),
                    d.toNanos(), TimeUnit.NANOSECONDS));
        }
        return e;
    }

    public WaitingPod get(String uid) {
        return pods.get(uid);
    }

    public Entry entry(String uid) {
        return pods.get(uid);
    }

    public void remove(String uid) {
        Entry e = pods.remove(uid);
        if (e != null) {
            e.cancelTimers();
        }
    }

    public void forEach(Consumer<WaitingPod> action) {
        pods.values().forEach(action);
    }

    public int size() {
        return pods.size();
    }

    /** A Go time.Duration String() for whole seconds or milliseconds, as upstream's messages print them. */
    static String goDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long h = ms / 3_600_000;
        long m = (ms / 60_000) % 60;
        long s = (ms / 1000) % 60;
        long frac = ms % 1000;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            b.append(m).append('m');
        }
        b.append(s);
        if (frac > 0) {
            String f = String.format("%03d", frac).replaceAll("0+$", "");
            b.append('.').append(f);
        }
        return b.append('s').toString();
    }

    /** A waiting pod: completes with Success once no plugin is pending, or with the first rejection. */
    public static final class Entry implements WaitingPod {
        private final Pod pod;
        private final String nodeName;
        private final Set<String> pending;
        private final CompletableFuture<Status> result = new CompletableFuture<>();
        private final java.util.List<ScheduledFuture<?>> timers = new java.util.concurrent.CopyOnWriteArrayList<>();

        Entry(Pod pod, String nodeName, Set<String> plugins) {
            this.pod = pod;
            this.nodeName = nodeName;
            this.pending = new HashSet<>(plugins);
        }

        @Override
        public Pod pod() {
            return pod;
        }

        @Override
        public String nodeName() {
            return nodeName;
        }

        @Override
        public synchronized Set<String> pendingPlugins() {
            return Set.copyOf(pending);
        }

        @Override
        public void allow(String pluginName) {
            boolean done;
            synchronized (this) {
                pending.remove(pluginName);
                done = pending.isEmpty();
            }
            if (done) {
                cancelTimers();
                result.complete(Status.SUCCESS);
            }
        }

        @Override
        public void reject(String pluginName, String message) {
            cancelTimers();
            result.complete(Status.unschedulable(message).withPlugin(pluginName));
        }

        /** Completes with the outcome. */
        public CompletableFuture<Status> result() {
            return result;
        }

        void cancelTimers() {
            for (ScheduledFuture<?> f : timers) {
                f.cancel(false);
            }
        }
    }
}
