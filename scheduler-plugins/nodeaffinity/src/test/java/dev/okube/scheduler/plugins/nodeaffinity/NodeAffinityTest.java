package dev.okube.scheduler.plugins.nodeaffinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Upstream's TestNodeAffinity, TestNodeAffinityPriority and Test_isSchedulableAfterNodeChange (nodeaffinity). */
class NodeAffinityTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Status POD_MISMATCH = Status.unresolvable("node(s) didn't match Pod's node affinity/selector");
    private static final Status ENFORCED = Status.unresolvable("node(s) didn't match scheduler-enforced node affinity");

    // ---- builders

    static NodeSelectorRequirement req(String key, String op, String... values) {
        return new NodeSelectorRequirement(key, op, values.length == 0 ? null : List.of(values));
    }

    static NodeSelectorTerm exprs(NodeSelectorRequirement... r) {
        return new NodeSelectorTerm(List.of(r), null);
    }

    static NodeSelectorTerm fields(NodeSelectorRequirement... r) {
        return new NodeSelectorTerm(null, List.of(r));
    }

    static NodeSelectorTerm both(NodeSelectorRequirement expr, NodeSelectorRequirement field) {
        return new NodeSelectorTerm(List.of(expr), List.of(field));
    }

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Pod pod(Map<String, String> nodeSelector, Affinity affinity) {
        return new PodBuilder().withNewMetadata().withName("pod").withNamespace("ns").endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector).withAffinity(affinity).endSpec().build();
    }

    static Pod required(NodeSelectorTerm... terms) {
        return pod(null, requiredAffinity(terms));
    }

    static Affinity requiredAffinity(NodeSelectorTerm... terms) {
        Affinity a = new Affinity();
        a.setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinity(null,
                new NodeSelector(new ArrayList<>(List.of(terms)))));
        return a;
    }

    static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    static NodeAffinityArgs args(String json) {
        return NodeAffinityArgs.parse(JSON.readTree(json));
    }

    static final NodeAffinityArgs NO_ARGS = NodeAffinityArgs.parse(null);

    // ---- Filter and PreFilter

    static Arguments filterCase(String name, Pod pod, Node node, PreFilterResult wantPreFilter, Status wantFilter) {
        return Arguments.of(name, pod, node, NO_ARGS, wantPreFilter, wantFilter);
    }

    static Stream<Arguments> filterCases() {
        PreFilterResult ok = PreFilterResult.SUCCESS;
        PreFilterResult skip = PreFilterResult.SKIP;
        NodeAffinityArgs added = args("""
                {"addedAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"zone","operator":"In","values":["foo"]}]}]}}}""");
        return Stream.of(
                filterCase("missing labels", pod(labels("foo", "bar"), null), node("node1", null), ok, POD_MISMATCH),
                filterCase("same labels", pod(labels("foo", "bar"), null), node("node1", labels("foo", "bar")), ok, Status.SUCCESS),
                filterCase("node labels are superset", pod(labels("foo", "bar"), null),
                        node("node1", labels("foo", "bar", "baz", "blah")), ok, Status.SUCCESS),
                filterCase("node labels are subset", pod(labels("foo", "bar", "baz", "blah"), null),
                        node("node1", labels("foo", "bar")), ok, POD_MISMATCH),
                filterCase("Pod with matchExpressions using In operator that matches the existing node",
                        required(exprs(req("foo", "In", "bar", "value2"))), node("node1", labels("foo", "bar")), ok, Status.SUCCESS),
                filterCase("Pod with matchExpressions using Gt operator that matches the existing node",
                        required(exprs(req("kernel-version", "Gt", "0204"))), node("node1", labels("kernel-version", "0206")), ok,
                        Status.SUCCESS),
                filterCase("Pod with matchExpressions using NotIn operator that matches the existing node",
                        required(exprs(req("mem-type", "NotIn", "DDR", "DDR2"))), node("node1", labels("mem-type", "DDR3")), ok,
                        Status.SUCCESS),
                filterCase("Pod with matchExpressions using Exists operator that matches the existing node",
                        required(exprs(req("GPU", "Exists"))), node("node1", labels("GPU", "NVIDIA-GRID-K1")), ok, Status.SUCCESS),
                filterCase("Pod with affinity that don't match node's labels won't schedule onto the node",
                        required(exprs(req("foo", "In", "value1", "value2"))), node("node1", labels("foo", "bar")), ok, POD_MISMATCH),
                filterCase("Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
                        required(new NodeSelectorTerm(List.of(), null)), node("node1", labels("foo", "bar")), ok, POD_MISMATCH),
                filterCase("Pod with no Affinity will schedule onto a node", pod(null, null), node("node1", labels("foo", "bar")),
                        skip, Status.SUCCESS),
                filterCase("Pod with Affinity but nil NodeSelector will schedule onto a node",
                        pod(null, new Affinity(new io.fabric8.kubernetes.api.model.NodeAffinity(), null, null)),
                        node("node1", labels("foo", "bar")), skip, Status.SUCCESS),
                filterCase("Pod with multiple matchExpressions ANDed that matches the existing node",
                        required(exprs(req("GPU", "Exists"), req("GPU", "NotIn", "AMD", "INTER"))),
                        node("node1", labels("GPU", "NVIDIA-GRID-K1")), ok, Status.SUCCESS),
                filterCase("Pod with multiple matchExpressions ANDed that doesn't match the existing node",
                        required(exprs(req("GPU", "Exists"), req("GPU", "In", "AMD", "INTER"))),
                        node("node1", labels("GPU", "NVIDIA-GRID-K1")), ok, POD_MISMATCH),
                filterCase("Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
                        required(exprs(req("foo", "In", "bar", "value2")), exprs(req("diffkey", "In", "wrong", "value2"))),
                        node("node1", labels("foo", "bar")), ok, Status.SUCCESS),
                filterCase("Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node",
                        pod(labels("foo", "bar"), requiredAffinity(exprs(req("foo", "Exists")))),
                        node("node1", labels("foo", "bar")), ok, Status.SUCCESS),
                filterCase("Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
                        pod(labels("foo", "bar"), requiredAffinity(exprs(req("foo", "Exists")))),
                        node("node1", labels("foo", "barrrrrr")), ok, POD_MISMATCH),
                filterCase("Pod with matchFields using In operator that matches the existing node",
                        required(fields(req("metadata.name", "In", "node1"))), node("node1", null),
                        PreFilterResult.nodes(Set.of("node1")), Status.SUCCESS),
                filterCase("Pod with matchFields using In operator that does not match the existing node",
                        required(fields(req("metadata.name", "In", "node1"))), node("node2", null),
                        PreFilterResult.nodes(Set.of("node1")), POD_MISMATCH),
                filterCase("Pod with two terms: matchFields does not match, but matchExpressions matches",
                        required(fields(req("metadata.name", "In", "node1")), exprs(req("foo", "In", "bar"))),
                        node("node2", labels("foo", "bar")), ok, Status.SUCCESS),
                filterCase("Pod with one term: matchFields does not match, but matchExpressions matches",
                        required(both(req("foo", "In", "bar"), req("metadata.name", "In", "node1"))),
                        node("node2", labels("foo", "bar")), PreFilterResult.nodes(Set.of("node1")), POD_MISMATCH),
                filterCase("Pod with one term: both matchFields and matchExpressions match",
                        required(both(req("foo", "In", "bar"), req("metadata.name", "In", "node1"))),
                        node("node1", labels("foo", "bar")), PreFilterResult.nodes(Set.of("node1")), Status.SUCCESS),
                filterCase("Pod with two terms: both matchFields and matchExpressions do not match",
                        required(fields(req("metadata.name", "In", "node1")), exprs(req("foo", "In", "not-match-to-bar"))),
                        node("node2", labels("foo", "bar")), ok, POD_MISMATCH),
                filterCase("Pod with two terms of node.Name affinity",
                        required(fields(req("metadata.name", "In", "node1")), fields(req("metadata.name", "In", "node2"))),
                        node("node2", null), PreFilterResult.nodes(Set.of("node1", "node2")), Status.SUCCESS),
                Arguments.of("Matches added affinity and Pod's node affinity",
                        required(exprs(req("foo", "Exists"))), node("node1", labels("zone", "foo", "foo", "bar")), added,
                        ok, Status.SUCCESS),
                Arguments.of("Matches added affinity but not Pod's node affinity",
                        required(exprs(req("foo", "Exists"))), node("node1", labels("zone", "foo")), added, ok, POD_MISMATCH),
                Arguments.of("Doesn't match added affinity", pod(null, null), node("node1", labels("zone", "bar")), added,
                        ok, ENFORCED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod pod, Node node, NodeAffinityArgs args, PreFilterResult wantPreFilter, Status wantFilter) {
        NodeAffinity pl = new NodeAffinity(args);
        CycleState state = new CycleState();
        NodeInfo nodeInfo = new NodeInfo(node);
        PreFilterResult got = pl.preFilter(state, pod, List.of(nodeInfo));
        assertEquals(wantPreFilter, got);
        if (!got.status().isSkip()) {
            assertEquals(wantFilter, pl.filter(state, pod, nodeInfo));
        }
        // Filter without PreFilter (disabled in a profile, or skipped) decides the same.
        assertEquals(wantFilter, pl.filter(new CycleState(), pod, nodeInfo));
    }

    @Test
    void conflictingMatchFieldRequirements() {
        Pod pod = required(fields(req("metadata.name", "In", "node1"), req("metadata.name", "In", "node2")));
        PreFilterResult got = new NodeAffinity(NO_ARGS).preFilter(new CycleState(), pod, List.of());
        assertEquals(Status.unresolvable("pod affinity terms conflict"), got.status());
    }

    @Test
    void noTermsMatchNoNode() {
        Pod pod = required();
        NodeAffinity pl = new NodeAffinity(NO_ARGS);
        CycleState state = new CycleState();
        assertEquals(PreFilterResult.SUCCESS, pl.preFilter(state, pod, List.of()));
        assertEquals(POD_MISMATCH, pl.filter(state, pod, new NodeInfo(node("node1", labels("foo", "bar")))));
    }

    // ---- Score

    static Affinity preferred(PreferredSchedulingTerm... terms) {
        Affinity a = new Affinity();
        a.setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinity(List.of(terms), null));
        return a;
    }

    static PreferredSchedulingTerm weighted(int weight, NodeSelectorRequirement... reqs) {
        return new PreferredSchedulingTerm(exprs(reqs), weight);
    }

    static final Affinity AFFINITY1 = preferred(weighted(2, req("foo", "In", "bar")));
    static final Affinity AFFINITY2 = preferred(weighted(2, req("foo", "In", "bar")), weighted(4, req("key", "In", "value")),
            weighted(5, req("foo", "In", "bar"), req("key", "In", "value"), req("az", "In", "az1")));
    static final Map<String, String> LABEL1 = labels("foo", "bar");
    static final Map<String, String> LABEL2 = labels("key", "value");
    static final Map<String, String> LABEL3 = labels("az", "az1");
    static final Map<String, String> LABEL4 = labels("abc", "az11", "def", "az22");
    static final Map<String, String> LABEL5 = labels("foo", "bar", "key", "value", "az", "az1");

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                Arguments.of("all nodes are same priority as NodeAffinity is nil", pod(null, null), NO_ARGS,
                        List.of(LABEL1, LABEL2, LABEL3), Status.SKIP, new long[] {0, 0, 0}),
                Arguments.of("no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
                        pod(null, AFFINITY1), NO_ARGS, List.of(LABEL4, LABEL2, LABEL3), Status.SUCCESS, new long[] {0, 0, 0}),
                Arguments.of("only machine1 matches the preferred scheduling requirements of pod",
                        pod(null, AFFINITY1), NO_ARGS, List.of(LABEL1, LABEL2, LABEL3), Status.SUCCESS, new long[] {100, 0, 0}),
                Arguments.of("all machines matches the preferred scheduling requirements of pod but with different priorities",
                        pod(null, AFFINITY2), NO_ARGS, List.of(LABEL1, LABEL5, LABEL2), Status.SUCCESS, new long[] {18, 100, 36}),
                Arguments.of("added affinity", pod(null, null), args("""
                        {"addedAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                          {"weight":5,"preference":{"matchExpressions":[{"key":"key","operator":"In","values":["value"]}]}}]}}"""),
                        List.of(LABEL1, LABEL2), Status.SUCCESS, new long[] {0, 100}),
                Arguments.of("added affinity and pod has default affinity", pod(null, AFFINITY1), args("""
                        {"addedAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                          {"weight":3,"preference":{"matchExpressions":[{"key":"key","operator":"In","values":["value"]}]}}]}}"""),
                        List.of(LABEL1, LABEL2, LABEL5), Status.SUCCESS, new long[] {40, 60, 100}),
                Arguments.of("a preferred term of weight 0 counts nothing",
                        pod(null, preferred(weighted(0, req("foo", "In", "bar")), weighted(1, req("key", "In", "value")))),
                        NO_ARGS, List.of(LABEL1, LABEL2), Status.SUCCESS, new long[] {0, 100}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, Pod pod, NodeAffinityArgs args, List<Map<String, String>> nodeLabels, Status wantPreScore,
            long[] want) {
        NodeAffinity pl = new NodeAffinity(args);
        CycleState state = new CycleState();
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < nodeLabels.size(); i++) {
            nodes.add(new NodeInfo(node("machine" + (i + 1), nodeLabels.get(i))));
        }
        assertEquals(wantPreScore, pl.preScore(state, pod, nodes));
        String[] names = new String[nodes.size()];
        long[] scores = new long[nodes.size()];
        if (!wantPreScore.isSkip()) {
            for (int i = 0; i < nodes.size(); i++) {
                names[i] = nodes.get(i).name();
                scores[i] = pl.score(state, pod, nodes.get(i));
            }
            pl.scoreExtensions().normalizeScore(state, pod, new NodeScores(names, scores));
        }
        assertArrayEquals(want, scores);
    }

    // ---- Queueing hints

    static Stream<Arguments> hintCases() {
        Pod pod = required(exprs(req("foo", "In", "bar")));
        NodeAffinityArgs added = args("""
                {"addedAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"zone","operator":"In","values":["foo"]}]}]}}}""");
        return Stream.of(
                Arguments.of("backoff-wrong-new-object", pod, NO_ARGS, null, "not a node", QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-add", pod, NO_ARGS, null, node("n", labels("foo", "fuz")), QueueingHint.SKIP),
                Arguments.of("queue-on-add", pod, NO_ARGS, null, node("n", labels("foo", "bar")), QueueingHint.QUEUE),
                Arguments.of("skip-unrelated-changes", pod, NO_ARGS, node("n", labels("foo", "bar")),
                        node("n", labels("foo", "bar", "baz", "qux")), QueueingHint.SKIP),
                Arguments.of("queue-on-labels-change-that-makes-the-node-match", pod, NO_ARGS, node("n", labels("foo", "fuz")),
                        node("n", labels("foo", "bar")), QueueingHint.QUEUE),
                Arguments.of("skip-labels-changes-that-keep-the-node-unmatched", pod, NO_ARGS, node("n", labels("foo", "fuz")),
                        node("n", labels("foo", "fuz2")), QueueingHint.SKIP),
                Arguments.of("skip-queue-on-add-scheduler-enforced-node-affinity", pod, added, null,
                        node("n", labels("foo", "bar")), QueueingHint.SKIP),
                Arguments.of("queue-on-add-scheduler-enforced-node-affinity", pod, added, null,
                        node("n", labels("foo", "bar", "zone", "foo")), QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hintCases")
    void afterNodeChange(String name, Pod pod, NodeAffinityArgs args, Object oldObj, Object newObj, QueueingHint want) {
        assertEquals(want, new NodeAffinity(args).afterNodeChange(pod, oldObj, newObj));
    }

    // ---- Args

    @Test
    void emptyArgs() {
        assertEquals(null, args("{}").addedAffinity());
        assertEquals(null, NodeAffinityArgs.parse(JSON.readTree("null")).addedAffinity());
        assertEquals(null, args("{\"apiVersion\":\"kubescheduler.config.k8s.io/v1\",\"kind\":\"NodeAffinityArgs\"}").addedAffinity());
    }

    static Stream<Arguments> invalidArgs() {
        return Stream.of(
                Arguments.of("[]", "expected an object"),
                Arguments.of("{\"addedAfinity\":{}}", "unknown field \"addedAfinity\""),
                Arguments.of("""
                        {"addedAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                          {"matchExpressions":[{"key":"foo","operator":"Bad","values":["x"]}]}]}}}""",
                        "nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: \"Bad\": not a valid selector operator"),
                Arguments.of("""
                        {"addedAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                          {"matchFields":[{"key":"metadata.namespace","operator":"In","values":["x"]}]}]}}}""",
                        "not a valid field selector key"),
                Arguments.of("""
                        {"addedAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                          {"weight":1,"preference":{"matchExpressions":[{"key":"foo","operator":"In"}]}}]}}""",
                        "preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: Required value"),
                Arguments.of("""
                        {"addedAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                          {"weight":1,"preference":{"matchExpressions":[{"key":"foo","operator":"Gt","values":["a"]}]}}]}}""",
                        "must be an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidArgs")
    void invalidArgsThrow(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> args(json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void factoryParsesArgs() {
        NodeAffinityFactory factory = new NodeAffinityFactory();
        assertEquals("NodeAffinity", factory.name());
        JsonNode args = JSON.readTree("{\"addedAffinity\":{}}");
        assertEquals("NodeAffinity", factory.create(args, null).name());
        assertThrows(IllegalArgumentException.class, () -> factory.create(JSON.readTree("{\"x\":1}"), null));
    }
}
