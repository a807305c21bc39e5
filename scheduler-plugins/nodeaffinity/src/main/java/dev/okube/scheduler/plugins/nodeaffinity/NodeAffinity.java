package dev.okube.scheduler.plugins.nodeaffinity;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.NodeSelectors;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node selection by labels and names, as upstream's NodeAffinity: Filter requires the pod's
 * {@code spec.nodeSelector}, its required node affinity and the profile's added affinity; PreFilter
 * narrows the cycle to the nodes named by {@code matchFields metadata.name In}; Score sums the weights
 * of the preferred terms a node matches, normalized to [0, 100].
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
        ScorePlugin.ScoreExtensions, EnqueueExtensions {
    public static final String NAME = "NodeAffinity";
    static final String PRE_FILTER_STATE_KEY = "PreFilter" + NAME;
    static final String PRE_SCORE_STATE_KEY = "PreScore" + NAME;
    /** Upstream's ErrReasonPod. */
    public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
    /** Upstream's errReasonEnforced. */
    public static final String ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
    /** Upstream's errReasonConflict. */
    public static final String ERR_REASON_CONFLICT = "pod affinity terms conflict";

    private static final Status POD_MISMATCH = Status.unresolvable(ERR_REASON_POD);
    private static final Status ENFORCED_MISMATCH = Status.unresolvable(ERR_REASON_ENFORCED);

    /**
     * The pod's required node selection, compiled: the nodeSelector as parallel key/value arrays and the
     * required terms (null when the pod has no required node affinity).
     */
    record RequiredNodeAffinity(String[] keys, String[] values, List<NodeSelectorTerm> terms)
            implements CycleState.StateData {
        static RequiredNodeAffinity of(Pod pod) {
            Map<String, String> selector = pod.getSpec().getNodeSelector();
            int n = selector == null ? 0 : selector.size();
            String[] keys = new String[n];
            String[] values = new String[n];
            if (n > 0) {
                int i = 0;
                for (Map.Entry<String, String> e : selector.entrySet()) {
                    keys[i] = e.getKey();
                    values[i++] = e.getValue();
                }
            }
            NodeSelector required = requiredOf(pod);
            List<NodeSelectorTerm> terms = null;
            if (required != null) {
                terms = required.getNodeSelectorTerms() == null ? List.of() : required.getNodeSelectorTerms();
            }
            return new RequiredNodeAffinity(keys, values, terms);
        }

        boolean matches(Node node) {
            if (keys.length > 0) {
                Map<String, String> labels = node.getMetadata().getLabels();
                if (labels == null) {
                    return false;
                }
                for (int i = 0; i < keys.length; i++) {
                    if (!values[i].equals(labels.get(keys[i]))) {
                        return false;
                    }
                }
            }
            return terms == null || NodeSelectors.matchesAnyTerm(terms, node);
        }

        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    /** Preferred terms with a non-zero weight. */
    record PreferredTerms(NodeSelectorTerm[] terms, int[] weights) implements CycleState.StateData {
        static PreferredTerms of(List<PreferredSchedulingTerm> preferred) {
            List<NodeSelectorTerm> terms = new ArrayList<>();
            List<Integer> weights = new ArrayList<>();
            for (PreferredSchedulingTerm t : preferred) {
                // A weight of 0 adds nothing, as upstream's NewPreferredSchedulingTerms skips such terms.
                if (t.getWeight() == null || t.getWeight() == 0 || t.getPreference() == null) {
                    continue;
                }
                terms.add(t.getPreference());
                weights.add(t.getWeight());
            }
            int[] w = new int[weights.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights.get(i);
            }
            return new PreferredTerms(terms.toArray(new NodeSelectorTerm[0]), w);
        }

        long score(Node node) {
            long count = 0;
            for (int i = 0; i < terms.length; i++) {
                if (NodeSelectors.matches(terms[i], node)) {
                    count += weights[i];
                }
            }
            return count;
        }

        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    private final NodeSelector addedNodeSelector;
    private final PreferredTerms addedPreferredTerms;

    public NodeAffinity(NodeAffinityArgs args) {
        io.fabric8.kubernetes.api.model.NodeAffinity added = args.addedAffinity();
        this.addedNodeSelector = added == null ? null : added.getRequiredDuringSchedulingIgnoredDuringExecution();
        List<PreferredSchedulingTerm> preferred = added == null ? null
                : added.getPreferredDuringSchedulingIgnoredDuringExecution();
        this.addedPreferredTerms = preferred == null || preferred.isEmpty() ? null : PreferredTerms.of(preferred);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        NodeSelector required = requiredOf(pod);
        Map<String, String> nodeSelector = pod.getSpec().getNodeSelector();
        if (required == null && addedNodeSelector == null && (nodeSelector == null || nodeSelector.isEmpty())) {
            return PreFilterResult.SKIP; // nothing for Filter to check
        }
        state.write(PRE_FILTER_STATE_KEY, RequiredNodeAffinity.of(pod));
        if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
            return PreFilterResult.SUCCESS;
        }
        // Terms are ORed: the cycle narrows to named nodes only when every term names its nodes.
        Set<String> nodeNames = new HashSet<>();
        for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
            Set<String> termNodeNames = null;
            if (term.getMatchFields() != null) {
                for (NodeSelectorRequirement r : term.getMatchFields()) {
                    if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator())) {
                        List<String> s = r.getValues() == null ? List.of() : r.getValues();
                        if (termNodeNames == null) {
                            termNodeNames = new HashSet<>(s);
                        } else {
                            termNodeNames.retainAll(s); // requirements within a term are ANDed
                        }
                    }
                }
            }
            if (termNodeNames == null) {
                return PreFilterResult.SUCCESS;
            }
            nodeNames.addAll(termNodeNames);
        }
        if (nodeNames.isEmpty()) {
            return PreFilterResult.of(Status.unresolvable(ERR_REASON_CONFLICT));
        }
        return PreFilterResult.nodes(nodeNames);
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        if (node == null) {
            return Status.error("node not found");
        }
        if (addedNodeSelector != null && !NodeSelectors.matches(addedNodeSelector, node)) {
            return ENFORCED_MISMATCH;
        }
        RequiredNodeAffinity s = state.read(PRE_FILTER_STATE_KEY, RequiredNodeAffinity.class);
        if (s == null) {
            s = RequiredNodeAffinity.of(pod); // PreFilter disabled in the profile
        }
        return s.matches(node) ? Status.SUCCESS : POD_MISMATCH;
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        PreferredTerms preferred = preferredOf(pod);
        if (preferred == null && addedPreferredTerms == null) {
            return Status.SKIP;
        }
        if (preferred != null) {
            state.write(PRE_SCORE_STATE_KEY, preferred);
        } else {
            state.delete(PRE_SCORE_STATE_KEY);
        }
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        long count = 0;
        if (addedPreferredTerms != null) {
            count += addedPreferredTerms.score(node);
        }
        PreferredTerms s = state.read(PRE_SCORE_STATE_KEY, PreferredTerms.class);
        if (s == null) {
            s = preferredOf(pod); // PreScore disabled, or the pod has no preferred terms
        }
        if (s != null) {
            count += s.score(node);
        }
        return count;
    }

    @Override
    public ScoreExtensions scoreExtensions() {
        return this;
    }

    @Override
    public Status normalizeScore(CycleState state, Pod pod, NodeScores scores) {
        long maxCount = scores.max();
        if (maxCount <= 0) {
            return Status.SUCCESS;
        }
        for (int i = 0; i < scores.size(); i++) {
            scores.setScore(i, MAX_NODE_SCORE * scores.score(i) / maxCount);
        }
        return Status.SUCCESS;
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL,
                this::afterNodeChange));
    }

    /** Queue when a node that matches the pod was added, or an update made a node match it. */
    QueueingHint afterNodeChange(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Node modified)) {
            return QueueingHint.QUEUE;
        }
        if (addedNodeSelector != null && !NodeSelectors.matches(addedNodeSelector, modified)) {
            return QueueingHint.SKIP;
        }
        RequiredNodeAffinity required = RequiredNodeAffinity.of(pod);
        if (!required.matches(modified)) {
            return QueueingHint.SKIP;
        }
        if (!(oldObject instanceof Node original)) {
            return QueueingHint.QUEUE;
        }
        return required.matches(original) ? QueueingHint.SKIP : QueueingHint.QUEUE;
    }

    private static NodeSelector requiredOf(Pod pod) {
        Affinity affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return null;
        }
        return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    private static PreferredTerms preferredOf(Pod pod) {
        Affinity affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        return PreferredTerms.of(affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
    }
}
