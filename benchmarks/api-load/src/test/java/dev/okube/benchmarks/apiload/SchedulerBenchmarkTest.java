package dev.okube.benchmarks.apiload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler benchmark's parsing and statistics, without a cluster. */
class SchedulerBenchmarkTest {
    @Test
    void aWatchLineGivesTypeNameNodeNameAndResourceVersion() {
        String bound = "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
                + "\"name\":\"pod-42\",\"namespace\":\"sched-bench\",\"resourceVersion\":\"977\",\"labels\":{\"color\":\"blue\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"pause\"}],\"nodeName\":\"node-7\"}}}";
        SchedulerBenchmark.WatchEvent e = SchedulerBenchmark.parseEvent(bound);
        assertEquals(new SchedulerBenchmark.WatchEvent("MODIFIED", "pod-42", "node-7", "977"), e);

        String pending = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"x-\","
                + "\"name\":\"pod-3\",\"resourceVersion\":\"12\"},\"spec\":{\"containers\":[{\"name\":\"pause\"}]}}}";
        e = SchedulerBenchmark.parseEvent(pending);
        assertEquals("pod-3", e.name());
        assertNull(e.nodeName());
        assertNull(SchedulerBenchmark.parseEvent(""));
    }

    @Test
    void podIndexReadsOnlyTheBenchmarksNames() {
        assertEquals(0, SchedulerBenchmark.podIndex(SchedulerBenchmark.podName(0)));
        assertEquals(9999, SchedulerBenchmark.podIndex("pod-9999"));
        assertEquals(-1, SchedulerBenchmark.podIndex("pod-x"));
        assertEquals(-1, SchedulerBenchmark.podIndex("other-1"));
        assertEquals(-1, SchedulerBenchmark.podIndex(null));
    }

    @Test
    void percentileIsNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 100 - i; // unsorted on purpose
        }
        assertEquals(99, SchedulerBenchmark.percentile(hundred, 0.99));
        assertEquals(50, SchedulerBenchmark.percentile(hundred, 0.5));
        assertEquals(100, SchedulerBenchmark.percentile(hundred, 1.0));
        assertEquals(7, SchedulerBenchmark.percentile(new long[] {7}, 0.99));
        assertTrue(Double.isNaN(SchedulerBenchmark.percentile(new long[0], 0.99)));
    }

    @Test
    void shellTablesGiveBundleIdsAndFeatureStates() {
        String bundles = """
                 ID | State    | Lvl | Version        | Symbolic name
                ----+----------+-----+----------------+----------------------------
                101 | Active   |  80 | 0.1.0.SNAPSHOT | dev.okube.apiserver
                117 | Active   |  80 | 0.1.0.SNAPSHOT | dev.okube.scheduler
                118 | Active   |  80 | 0.1.0.SNAPSHOT | dev.okube.scheduler.plugins
                """;
        assertEquals(List.of("117"), SchedulerBenchmark.bundleIds(bundles, "dev.okube.scheduler"));
        assertEquals(List.of(), SchedulerBenchmark.bundleIds(bundles, "dev.okube.kubelet"));

        String features = """
                Name              \u2502 Version        \u2502 Required \u2502 State       \u2502 Repository  \u2502 Description
                \u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u253c\u2500\u2500\u2500
                okube-apiserver   \u2502 0.1.0.SNAPSHOT \u2502          \u2502 Started     \u2502 okube-0.1.0 \u2502 the apiserver
                okube-scheduler   \u2502 0.1.0.SNAPSHOT \u2502          \u2502 Uninstalled \u2502 okube-0.1.0 \u2502 the scheduler
                """;
        assertEquals("Uninstalled", SchedulerBenchmark.featureState(features, "okube-scheduler"));
        assertEquals("Started", SchedulerBenchmark.featureState(features.replace('\u2502', '|'), "okube-apiserver"));
        assertNull(SchedulerBenchmark.featureState(features, "okube-kubelet"));
    }

    @Test
    void workloadsAreChosenByName() {
        assertEquals(SchedulerBenchmark.WORKLOADS, SchedulerBenchmark.choose(new String[0]));
        assertEquals(SchedulerBenchmark.WORKLOADS, SchedulerBenchmark.choose(new String[] {"all"}));
        assertEquals(List.of(SchedulerBenchmark.WORKLOADS.get(1)),
                SchedulerBenchmark.choose(new String[] {"basic_5000n_10000p"}));
        assertThrows(IllegalArgumentException.class, () -> SchedulerBenchmark.choose(new String[] {"nope"}));
        assertEquals(5, SchedulerBenchmark.WORKLOADS.get(0).zones());
        assertEquals(10, SchedulerBenchmark.WORKLOADS.get(1).zones());
    }

    @Test
    void podTemplatesCarryUpstreamsRequestsAndTheSchedulerName() {
        String basic = SchedulerBenchmark.podJson("pod-1", SchedulerBenchmark.SELF_BIND, false);
        assertTrue(basic.contains("\"schedulerName\":\"benchmark-self-bind\""));
        assertTrue(basic.contains("\"requests\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"}"));
        String spread = SchedulerBenchmark.podJson("pod-1", SchedulerBenchmark.DEFAULT_SCHEDULER, true);
        assertTrue(spread.contains("\"podAntiAffinity\""));
        assertTrue(spread.contains("\"whenUnsatisfiable\":\"DoNotSchedule\""));
    }

    @Test
    void theNodeStatusPatchIsTheStatusOfTheNode() {
        String node = SchedulerBenchmark.nodeJson("node-1", "zone-0", "2026-01-01T00:00:00Z");
        String patch = SchedulerBenchmark.statusOnly(node);
        assertTrue(patch.startsWith("{\"status\":{\"capacity\":{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"}"));
        assertTrue(patch.endsWith("\"phase\":\"Running\"}}"));
        assertTrue(node.contains("\"topology.kubernetes.io/zone\":\"zone-0\""));
    }

    @Test
    void procStatGivesUserPlusSystemTime() {
        String stat = "1234 (java (karaf)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 80 0 12345 0 0";
        assertEquals(300 * 10_000_000L, OkubeInstance.cpuNanosFromStat(stat));
    }
}
