package dev.okube.scheduler.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.scheduler.TestObjects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

class SchedulerCacheTest {
    private static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final MutableClock clock = new MutableClock();
    private final SchedulerCache cache = new SchedulerCache(Duration.ofSeconds(30), clock);

    private Snapshot snapshot() {
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        return s;
    }

    @Test
    void assumeThenConfirmKeepsOnePodOnTheNode() {
        cache.addNode(TestObjects.node("n1", null));
        Pod pod = TestObjects.bound(TestObjects.pod("p"), "n1");
        cache.assumePod(pod);
        assertTrue(cache.isAssumedPod(pod.getMetadata().getUid()));
        assertEquals(100, snapshot().get("n1").requested().milliCpu());
        cache.finishBinding(pod);
        cache.addPod(pod);
        assertFalse(cache.isAssumedPod(pod.getMetadata().getUid()));
        Snapshot s = snapshot();
        assertEquals(1, s.get("n1").pods().size());
        assertEquals(100, s.get("n1").requested().milliCpu());
    }

    @Test
    void assumingTwiceFails() {
        Pod pod = TestObjects.bound(TestObjects.pod("p"), "n1");
        cache.assumePod(pod);
        assertThrows(IllegalStateException.class, () -> cache.assumePod(pod));
    }

    @Test
    void forgetRemovesTheAssumedPod() {
        cache.addNode(TestObjects.node("n1", null));
        Pod pod = TestObjects.bound(TestObjects.pod("p"), "n1");
        cache.assumePod(pod);
        cache.forgetPod(pod);
        assertFalse(cache.isAssumedPod(pod.getMetadata().getUid()));
        assertEquals(0, snapshot().get("n1").pods().size());
    }

    @Test
    void confirmationOnAnotherNodeMovesThePod() {
        cache.addNode(TestObjects.node("n1", null));
        cache.addNode(TestObjects.node("n2", null));
        Pod pod = TestObjects.pod("p");
        cache.assumePod(TestObjects.bound(pod, "n1"));
        cache.addPod(TestObjects.bound(pod, "n2"));
        Snapshot s = snapshot();
        assertEquals(0, s.get("n1").pods().size());
        assertEquals(1, s.get("n2").pods().size());
    }

    @Test
    void assumedPodsExpireOnlyAfterBindingFinishedAndTheTtl() {
        cache.addNode(TestObjects.node("n1", null));
        Pod pod = TestObjects.bound(TestObjects.pod("p"), "n1");
        cache.assumePod(pod);
        clock.millis += 60_000;
        assertTrue(cache.cleanupExpiredAssumedPods().isEmpty(), "binding still running: never expires");
        cache.finishBinding(pod);
        clock.millis += 29_000;
        assertTrue(cache.cleanupExpiredAssumedPods().isEmpty());
        clock.millis += 2_000;
        assertEquals(1, cache.cleanupExpiredAssumedPods().size());
        assertFalse(cache.isAssumedPod(pod.getMetadata().getUid()));
        assertEquals(0, snapshot().get("n1").pods().size());
    }

    @Test
    void removeAndUpdateBoundPods() {
        cache.addNode(TestObjects.node("n1", null));
        Pod pod = TestObjects.bound(TestObjects.pod("p"), "n1");
        cache.addPod(pod);
        Pod bigger = new io.fabric8.kubernetes.api.model.PodBuilder(pod).editSpec().editFirstContainer().editResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1")).endResources().endContainer()
                .endSpec().build();
        cache.updatePod(pod, bigger);
        assertEquals(1000, snapshot().get("n1").requested().milliCpu());
        cache.removePod(bigger);
        assertEquals(0, snapshot().get("n1").requested().milliCpu());
    }

    @Test
    void snapshotCopiesOnlyChangedNodes() {
        for (int i = 0; i < 50; i++) {
            cache.addNode(TestObjects.node("n" + i, "z" + (i % 3)));
        }
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        assertEquals(50, s.numNodes());
        List<NodeInfo> before = new ArrayList<>(s.list());
        cache.addPod(TestObjects.bound(TestObjects.pod("p"), "n7"));
        cache.updateSnapshot(s);
        int changed = 0;
        for (int i = 0; i < 50; i++) {
            if (before.get(i) != s.list().get(i)) {
                changed++;
                assertEquals("n7", s.list().get(i).name());
            }
        }
        assertEquals(1, changed);
        assertSame(s.get("n7"), s.list().get(before.indexOf(findByName(before, "n7"))));
        assertEquals(1, s.get("n7").pods().size());
        assertEquals(0, findByName(before, "n7").pods().size(), "the old copy is unchanged");
    }

    private static NodeInfo findByName(List<NodeInfo> l, String name) {
        for (NodeInfo n : l) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void snapshotDropsDeletedNodesAndAddsNewOnes() {
        cache.addNode(TestObjects.node("a", null));
        Node b = TestObjects.node("b", null);
        cache.addNode(b);
        Snapshot s = snapshot();
        assertEquals(2, s.numNodes());
        cache.removeNode(b);
        cache.addNode(TestObjects.node("c", null));
        cache.updateSnapshot(s);
        assertEquals(List.of("a", "c"), names(s.list()));
        assertEquals(null, s.get("b"));
    }

    @Test
    void aDeletedNodeWithAssumedPodsStaysOutOfTheList() {
        Node n = TestObjects.node("a", null);
        cache.addNode(n);
        cache.addNode(TestObjects.node("b", null));
        cache.assumePod(TestObjects.bound(TestObjects.pod("p"), "a"));
        Snapshot s = snapshot();
        cache.removeNode(n);
        cache.updateSnapshot(s);
        assertEquals(List.of("b"), names(s.list()));
    }

    @Test
    void affinityListsFollowThePods() {
        cache.addNode(TestObjects.node("a", null));
        cache.addNode(TestObjects.node("b", null));
        Snapshot s = snapshot();
        assertTrue(s.havePodsWithAffinity().isEmpty());
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder(TestObjects.bound(TestObjects.pod("p"), "b")).editSpec()
                .withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", "x")
                .endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity()
                .endSpec().build();
        cache.addPod(pod);
        cache.updateSnapshot(s);
        assertEquals(List.of("b"), names(s.havePodsWithAffinity()));
        assertEquals(List.of("b"), names(s.havePodsWithRequiredAntiAffinity()));
        assertSame(s.get("b"), s.havePodsWithAffinity().get(0));
        cache.removePod(pod);
        cache.updateSnapshot(s);
        assertTrue(s.havePodsWithAffinity().isEmpty());
    }

    @Test
    void imageStatesCountTheNodesHavingAnImage() {
        Node n1 = new io.fabric8.kubernetes.api.model.NodeBuilder(TestObjects.node("a", null)).editStatus().addNewImage()
                .withNames("busybox:1").withSizeBytes(1000L).endImage().endStatus().build();
        Node n2 = new io.fabric8.kubernetes.api.model.NodeBuilder(TestObjects.node("b", null)).editStatus().addNewImage()
                .withNames("busybox:1").withSizeBytes(1000L).endImage().endStatus().build();
        cache.addNode(n1);
        cache.addNode(n2);
        Snapshot s = snapshot();
        assertEquals(new NodeInfo.ImageState(1000, 2), s.get("b").imageStates().get("busybox:1"));
        assertNotSame(s.get("a"), s.get("b"));
    }

    static List<String> names(List<NodeInfo> l) {
        List<String> out = new ArrayList<>();
        l.forEach(n -> out.add(n.name()));
        return out;
    }
}
