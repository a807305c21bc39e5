package dev.okube.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PluginFactory;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.framework.ProfileConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * An in-process microbenchmark of the scheduling loop (not a test): 5,000 nodes in 3 zones, 10,000 pods,
 * a resource-fit filter and a least-allocated score, a binder that shows the binding to the informer at
 * once. Prints pods/s. Run: mvn -o -pl bundles/scheduler test-compile exec... or from an IDE; profile with
 * {@code -XX:StartFlightRecording}.
 */
public final class SchedulerBench {
    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        TestObjects.FakeCluster cluster = new TestObjects.FakeCluster();
        Scheduler s = new Scheduler(cluster, new Scheduler.Settings(parallelism, Duration.ofSeconds(1), Duration.ofSeconds(10),
                0, 32, Duration.ofSeconds(30)), Clock.systemUTC());
        PluginFactory fit = TestObjects.factory("Fit", (a, h) -> new TestPlugins.FilterFn("Fit", (p, n) -> {
            return fits(n) ? Status.SUCCESS : Status.unschedulable("Insufficient cpu");
        }));
        PluginFactory least = TestObjects.factory("Least", (a, h) -> new TestPlugins.ScoreFn("Least", (p, n) -> {
            long alloc = n.allocatable().milliCpu();
            return alloc == 0 ? 0 : (alloc - n.requested().milliCpu()) * 100 / alloc;
        }, false));
        List<PluginFactory> fs = new ArrayList<>(List.of(TestObjects.factory("PrioritySort", (a, h) -> new TestPlugins.Sort()),
                TestObjects.factory("TestBinder", (a, h) -> new TestPlugins.Binder(null, null)), fit, least));
        s.setRegistry(TestObjects.registry(fs.toArray(PluginFactory[]::new)));
        s.setProfiles(List.of(ProfileConfig.parse(Map.of("disabled", "*", "multiPoint", "PrioritySort,Fit,Least:1,TestBinder"))));
        s.startInformers();
        for (int i = 0; i < nodes; i++) {
            Node n = TestObjects.node("node-" + i, "zone-" + (i % 3));
            cluster.add(Node.class, n);
        }
        List<Pod> all = new ArrayList<>(pods);
        for (int i = 0; i < pods; i++) {
            all.add(TestObjects.pod("pod-" + i));
        }
        Cluster.Handler<Pod> podHandler = cluster.of(Pod.class).get(0);
        // Warm up, then measure.
        long t0 = System.nanoTime();
        for (Pod p : all) {
            podHandler.onAdd(p);
        }
        long added = System.nanoTime();
        int done = 0;
        while (s.scheduleOne(Duration.ofMillis(100))) {
            done++;
        }
        s.awaitBindings(60_000);
        long end = System.nanoTime();
        System.out.printf("queued %d pods in %.0f ms; scheduled %d pods on %d nodes in %.0f ms: %.0f pods/s%n", pods,
                (added - t0) / 1e6, done, nodes, (end - added) / 1e6, done / ((end - added) / 1e9));
        System.out.println(s.profiles().get(0));
        s.close();
    }

    static boolean fits(NodeInfo n) {
        return n.requested().milliCpu() + 100 <= n.allocatable().milliCpu();
    }
}
