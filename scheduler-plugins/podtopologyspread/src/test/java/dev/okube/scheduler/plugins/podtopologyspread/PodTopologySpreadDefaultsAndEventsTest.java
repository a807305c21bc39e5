package dev.okube.scheduler.plugins.podtopologyspread;

import dev.okube.api.scheduler.testing.SnapshotHandle;

import static dev.okube.scheduler.plugins.podtopologyspread.Objs.exists;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.node;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.pod;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.tainted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.EnqueueExtensions.EventWithHint;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Selector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Args validation, upstream's DefaultSelector (helper/spread_test.go) and the queueing hints (plugin_test.go). */
class PodTopologySpreadDefaultsAndEventsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static PodTopologySpread plugin(String args, HasMetadata... objs) {
        SnapshotHandle h = new SnapshotHandle(List.of(), List.of(), objs);
        return new PodTopologySpread(PodTopologySpreadArgs.parse(args == null ? null : JSON.readTree(args)), h);
    }

    // ---------------------------------------------------------------- args

    @Test
    void argsDefaultToSystem() {
        PodTopologySpreadArgs a = PodTopologySpreadArgs.parse(JSON.readTree("{}"));
        assertTrue(a.systemDefaulted());
        assertEquals(2, a.defaultConstraints().size());
        assertEquals("kubernetes.io/hostname", a.defaultConstraints().get(0).getTopologyKey());
        assertEquals(3, a.defaultConstraints().get(0).getMaxSkew());
        assertEquals("topology.kubernetes.io/zone", a.defaultConstraints().get(1).getTopologyKey());
        assertEquals(5, a.defaultConstraints().get(1).getMaxSkew());
    }

    @Test
    void listArgsAreParsed() {
        PodTopologySpreadArgs a = PodTopologySpreadArgs.parse(JSON.readTree("{\"defaultingType\":\"List\",\"defaultConstraints\":"
                + "[{\"maxSkew\":1,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"DoNotSchedule\"}]}"));
        assertEquals(false, a.systemDefaulted());
        assertEquals(1, a.defaultConstraints().size());
        assertEquals("DoNotSchedule", a.defaultConstraints().get(0).getWhenUnsatisfiable());
        assertTrue(PodTopologySpreadArgs.parse(JSON.readTree("{\"defaultingType\":\"List\"}")).defaultConstraints().isEmpty());
    }

    static Stream<Arguments> invalidArgs() {
        return Stream.of(
                Arguments.of("{\"defaultingType\":\"Foo\"}", "defaultingType: Unsupported value: \"Foo\""),
                Arguments.of("{\"defaultingType\":\"System\",\"defaultConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\","
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\"}]}", "when .defaultConstraints are not empty"),
                Arguments.of("{\"defaultingType\":\"List\",\"defaultConstraints\":[{\"maxSkew\":0,\"topologyKey\":\"zone\","
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\"}]}", "maxSkew: Invalid value: 0: must be greater than zero"),
                Arguments.of("{\"defaultingType\":\"List\",\"defaultConstraints\":[{\"maxSkew\":1,"
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\"}]}", "topologyKey: Required value"),
                Arguments.of("{\"defaultingType\":\"List\",\"defaultConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\","
                        + "\"whenUnsatisfiable\":\"Sometimes\"}]}", "whenUnsatisfiable: Unsupported value: \"Sometimes\""),
                Arguments.of("{\"defaultingType\":\"List\",\"defaultConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\","
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{}}]}",
                        "constraint must not define a selector"),
                Arguments.of("{\"defaultingType\":\"List\",\"defaultConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\","
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\"},{\"maxSkew\":2,\"topologyKey\":\"zone\","
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\"}]}", "Duplicate value"),
                Arguments.of("[]", "must be an object"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidArgs")
    void invalidArgsAreRefused(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PodTopologySpreadFactory().create(JSON.readTree(args), new SnapshotHandle(List.of(), List.of())));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    // ---------------------------------------------------------------- default selector

    static Stream<Arguments> defaultSelectors() {
        Pod plain = pod("p").label("foo", "bar").label("baz", "blah").obj();
        return Stream.of(
                Arguments.of("no owners, no services", plain, new HasMetadata[0], Map.of("foo", "bar"), true),
                Arguments.of("a service selecting the pod", plain,
                        new HasMetadata[] {new ServiceBuilder().withNewMetadata().withName("s").withNamespace("default")
                                .endMetadata().withNewSpec().withSelector(Map.of("foo", "bar")).endSpec().build()},
                        Map.of("foo", "bar", "baz", "x"), false),
                Arguments.of("a service of another namespace is ignored", plain,
                        new HasMetadata[] {new ServiceBuilder().withNewMetadata().withName("s").withNamespace("other")
                                .endMetadata().withNewSpec().withSelector(Map.of("foo", "bar")).endSpec().build()},
                        Map.of("foo", "bar"), true),
                Arguments.of("a service not selecting the pod is ignored", plain,
                        new HasMetadata[] {new ServiceBuilder().withNewMetadata().withName("s").withNamespace("default")
                                .endMetadata().withNewSpec().withSelector(Map.of("foo", "other")).endSpec().build()},
                        Map.of("foo", "bar"), true),
                Arguments.of("the controlling ReplicationController",
                        pod("p").label("foo", "bar").owner("v1", "ReplicationController", "rc").obj(),
                        new HasMetadata[] {new ReplicationControllerBuilder().withNewMetadata().withName("rc")
                                .withNamespace("default").endMetadata().withNewSpec().withSelector(Map.of("foo", "bar"))
                                .endSpec().build()},
                        Map.of("foo", "bar"), false),
                Arguments.of("the controlling ReplicaSet",
                        pod("p").label("foo", "bar").owner("apps/v1", "ReplicaSet", "rs").obj(),
                        new HasMetadata[] {new ReplicaSetBuilder().withNewMetadata().withName("rs").withNamespace("default")
                                .endMetadata().withNewSpec().withSelector(exists("foo")).endSpec().build()},
                        Map.of("foo", "anything"), false),
                Arguments.of("the controlling StatefulSet",
                        pod("p").label("foo", "bar").owner("apps/v1", "StatefulSet", "ss").obj(),
                        new HasMetadata[] {new StatefulSetBuilder().withNewMetadata().withName("ss").withNamespace("default")
                                .endMetadata().withNewSpec().withSelector(Objs.matchLabels("foo", "bar")).endSpec().build()},
                        Map.of("foo", "bar"), false),
                Arguments.of("an owner of an unknown kind adds nothing",
                        pod("p").label("foo", "bar").owner("batch/v1", "Job", "j").obj(), new HasMetadata[0],
                        Map.of("foo", "bar"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultSelectors")
    void defaultSelector(String name, Pod pod, HasMetadata[] objs, Map<String, String> matching, boolean everything) {
        PodTopologySpread pl = plugin(null, objs);
        Selector s = pl.defaultSelector(pod);
        assertEquals(everything, s.isEverything(), s.toString());
        if (!everything) {
            assertTrue(s.matches(matching), s + " should match " + matching);
            assertTrue(!s.matches(Map.of("unrelated", "x")), s + " should not match an unrelated pod");
        }
        // Default constraints apply only when the selector selects something.
        assertEquals(everything ? 0 : 2, pl.constraints(pod, "ScheduleAnyway").length);
        assertEquals(0, pl.constraints(pod, "DoNotSchedule").length);
    }

    @Test
    void ownConstraintsReplaceTheDefaults() {
        PodTopologySpread pl = plugin(null, new ServiceBuilder().withNewMetadata().withName("s").withNamespace("default")
                .endMetadata().withNewSpec().withSelector(Map.of("foo", "")).endSpec().build());
        Pod p = pod("p").label("foo", "").spread(1, "zone", "DoNotSchedule", exists("foo")).obj();
        assertEquals(0, pl.constraints(p, "ScheduleAnyway").length);
        assertEquals(1, pl.constraints(p, "DoNotSchedule").length);
    }

    // ---------------------------------------------------------------- events and hints

    @Test
    void eventsToRegister() {
        List<EventWithHint> events = plugin("{\"defaultingType\":\"List\"}").eventsToRegister();
        assertEquals(new ClusterEvent("Pod", ClusterEvent.ADD | ClusterEvent.UPDATE_POD_LABEL
                | ClusterEvent.UPDATE_POD_TOLERATION | ClusterEvent.DELETE), events.get(0).event());
        assertEquals(new ClusterEvent("Node", ClusterEvent.ADD | ClusterEvent.DELETE | ClusterEvent.UPDATE_NODE_LABEL
                | ClusterEvent.UPDATE_NODE_TAINT), events.get(1).event());
    }

    static final Pod TARGET = pod("p").label("foo", "").spread(1, "zone", "DoNotSchedule", exists("foo"))
            .spread(1, "node", "DoNotSchedule", exists("foo")).obj();
    static final Pod TARGET_HONOR_TAINTS = pod("p").label("foo", "").spread(new TopologySpreadConstraintBuilder()
            .withMaxSkew(1).withTopologyKey("zone").withWhenUnsatisfiable("DoNotSchedule").withLabelSelector(exists("foo"))
            .withNodeTaintsPolicy("Honor")).obj();

    static Stream<Arguments> podHints() {
        return Stream.of(
                Arguments.of("add a pod which matches the selector", TARGET, null,
                        pod("p2").node("node-a").label("foo", "").obj(), QueueingHint.QUEUE),
                Arguments.of("add an unscheduled pod", TARGET, null, pod("p2").label("foo", "").obj(), QueueingHint.SKIP),
                Arguments.of("add a pod of another namespace", TARGET, null,
                        pod("p2").ns("ns2").node("node-a").label("foo", "").obj(), QueueingHint.SKIP),
                Arguments.of("add a pod which doesn't match the selector", TARGET, null,
                        pod("p2").node("node-a").label("bar", "").obj(), QueueingHint.SKIP),
                Arguments.of("delete a pod which matches the selector", TARGET,
                        pod("p2").node("node-a").label("foo", "").obj(), null, QueueingHint.QUEUE),
                Arguments.of("delete a pod which doesn't match the selector", TARGET,
                        pod("p2").node("node-a").label("bar", "").obj(), null, QueueingHint.SKIP),
                Arguments.of("update a pod's unrelated label", TARGET,
                        pod("p2").node("node-a").label("foo", "").obj(),
                        pod("p2").node("node-a").label("foo", "").label("bar", "").obj(), QueueingHint.SKIP),
                Arguments.of("update a pod's label so that it matches", TARGET,
                        pod("p2").node("node-a").label("bar", "").obj(), pod("p2").node("node-a").label("foo", "").obj(),
                        QueueingHint.QUEUE),
                Arguments.of("update a pod's label so that it no longer matches", TARGET,
                        pod("p2").node("node-a").label("foo", "").obj(), pod("p2").node("node-a").label("bar", "").obj(),
                        QueueingHint.QUEUE),
                Arguments.of("the pod gets a toleration, and a constraint honors taints", TARGET_HONOR_TAINTS,
                        pod("p").label("foo", "").obj(), pod("p").label("foo", "").toleration("k", "NoSchedule").obj(),
                        QueueingHint.QUEUE),
                Arguments.of("the pod gets a toleration, but no constraint honors taints", TARGET,
                        pod("p").label("foo", "").obj(), pod("p").label("foo", "").toleration("k", "NoSchedule").obj(),
                        QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podHints")
    void podHint(String name, Pod target, Pod oldPod, Pod newPod, QueueingHint want) {
        PodTopologySpread pl = plugin("{\"defaultingType\":\"List\"}");
        assertEquals(want, pl.eventsToRegister().get(0).hint().hint(target, oldPod, newPod));
    }

    static Stream<Arguments> nodeHints() {
        Node zoneNode = node("node-a", "zone", "zone1", "node", "node-a");
        return Stream.of(
                Arguments.of("add a node with all topology keys", null, zoneNode, QueueingHint.QUEUE),
                Arguments.of("add a node without a topology key", null, node("node-a", "zone", "zone1"), QueueingHint.SKIP),
                Arguments.of("delete a node with all topology keys", zoneNode, null, QueueingHint.QUEUE),
                Arguments.of("delete a node without a topology key", node("node-a", "node", "node-a"), null, QueueingHint.SKIP),
                Arguments.of("update a node's topology value", zoneNode, node("node-a", "zone", "zone2", "node", "node-a"),
                        QueueingHint.QUEUE),
                Arguments.of("update a node's unrelated label", zoneNode,
                        node("node-a", "zone", "zone1", "node", "node-a", "x", "y"), QueueingHint.SKIP),
                Arguments.of("update a node to gain a topology key", node("node-a", "zone", "zone1"), zoneNode,
                        QueueingHint.QUEUE),
                Arguments.of("update a node's taints", zoneNode, tainted(zoneNode, "k", "NoSchedule"), QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeHints")
    void nodeHint(String name, Node oldNode, Node newNode, QueueingHint want) {
        PodTopologySpread pl = plugin("{\"defaultingType\":\"List\"}");
        assertEquals(want, pl.eventsToRegister().get(1).hint().hint(TARGET, oldNode, newNode));
    }

    @Test
    void factoryNameIsUpstreams() {
        assertEquals("PodTopologySpread", new PodTopologySpreadFactory().name());
        assertEquals("PodTopologySpread", plugin(null).name());
    }
}
