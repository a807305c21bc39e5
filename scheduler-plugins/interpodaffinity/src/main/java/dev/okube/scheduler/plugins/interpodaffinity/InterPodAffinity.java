package dev.okube.scheduler.plugins.interpodaffinity;

import dev.okube.api.scheduler.AffinityTerm;
import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Selector;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Upstream's InterPodAffinity: the incoming pod's required pod affinity (a node's domain must hold a pod
 * matching all its terms) and anti-affinity (no matching pod in the domain), the required anti-affinity of
 * the pods already placed, and scoring by preferred terms of both sides and by existing pods' required
 * affinity ({@code hardPodAffinityWeight}).
 *
 * <p>PreFilter counts matching pods per topology pair once per cycle, visiting existing pods' anti-affinity
 * only on the nodes that have such pods; Filter and Score then look up the node's pairs. Preemption works
 * on a {@link CycleState#copy()} per candidate node, so the add/remove extensions change only that copy.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
        EnqueueExtensions, PreFilterPlugin.PreFilterExtensions, ScorePlugin.ScoreExtensions {
    public static final String NAME = "InterPodAffinity";
    public static final String ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
            "node(s) didn't satisfy existing pods anti-affinity rules";
    public static final String ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
    public static final String ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

    static final String PRE_FILTER_KEY = "PreFilter" + NAME;
    static final String PRE_SCORE_KEY = "PreScore" + NAME;

    private static final Status AFFINITY_NOT_MATCH = Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    private static final Status ANTI_AFFINITY_NOT_MATCH = Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    private static final Status EXISTING_ANTI_AFFINITY_NOT_MATCH =
            Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

    private final InterPodAffinityArgs args;
    private final FrameworkHandle handle;
    private final Lister<Namespace> namespaces;

    public InterPodAffinity(InterPodAffinityArgs args, FrameworkHandle handle) {
        this.args = Objects.requireNonNull(args, "args");
        this.handle = Objects.requireNonNull(handle, "handle");
        this.namespaces = handle.lister(Namespace.class);
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---------------------------------------------------------------- terms

    /** Whether {@code pod} matches every term; false when there are none (upstream's podMatchesAllAffinityTerms). */
    static boolean matchesAll(List<AffinityTerm> terms, Pod pod) {
        if (terms.isEmpty()) {
            return false;
        }
        for (int i = 0, n = terms.size(); i < n; i++) {
            if (!terms.get(i).matches(pod, null)) {
                return false;
            }
        }
        return true;
    }

    static List<AffinityTerm> requiredTerms(Pod pod, boolean anti) {
        Affinity a = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        List<PodAffinityTerm> terms = null;
        if (a != null && !anti && a.getPodAffinity() != null) {
            terms = a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        } else if (a != null && anti && a.getPodAntiAffinity() != null) {
            terms = a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        }
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (PodAffinityTerm t : terms) {
            out.add(AffinityTerm.of(pod.getMetadata().getNamespace(), t));
        }
        return out;
    }

    static List<AffinityTerm.Weighted> preferredTerms(Pod pod, boolean anti) {
        Affinity a = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        List<WeightedPodAffinityTerm> terms = null;
        if (a != null && !anti && a.getPodAffinity() != null) {
            terms = a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        } else if (a != null && anti && a.getPodAntiAffinity() != null) {
            terms = a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        }
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
        for (WeightedPodAffinityTerm t : terms) {
            out.add(new AffinityTerm.Weighted(AffinityTerm.of(pod.getMetadata().getNamespace(), t.getPodAffinityTerm()),
                    t.getWeight() == null ? 0 : t.getWeight()));
        }
        return out;
    }

    /**
     * Upstream's mergeAffinityTermNamespacesIfNotEmpty: the incoming pod's namespace selector becomes the
     * namespaces it selects now, so matching existing pods needs no namespace lookups. An empty selector
     * (all namespaces) stays.
     */
    AffinityTerm mergeNamespaces(AffinityTerm t) {
        Selector nsSelector = t.namespaceSelector();
        if (nsSelector.isEverything()) {
            return t;
        }
        Set<String> names = new HashSet<>(t.namespaces());
        if (!nsSelector.isNothing()) {
            for (Namespace n : namespaces.list()) {
                if (nsSelector.matches(n.getMetadata().getLabels())) {
                    names.add(n.getMetadata().getName());
                }
            }
        }
        return new AffinityTerm(Set.copyOf(names), t.selector(), t.topologyKey(), Selector.NOTHING);
    }

    private List<AffinityTerm> mergeNamespaces(List<AffinityTerm> terms) {
        if (terms.isEmpty()) {
            return terms;
        }
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (AffinityTerm t : terms) {
            out.add(mergeNamespaces(t));
        }
        return List.copyOf(out);
    }

    private List<AffinityTerm.Weighted> mergeNamespacesWeighted(List<AffinityTerm.Weighted> terms) {
        if (terms.isEmpty()) {
            return terms;
        }
        List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
        for (AffinityTerm.Weighted t : terms) {
            out.add(new AffinityTerm.Weighted(mergeNamespaces(t.term()), t.weight()));
        }
        return List.copyOf(out);
    }

    /** The labels of the pod's namespace (empty when it is not cached), as upstream's GetNamespaceLabelsSnapshot. */
    Map<String, String> namespaceLabels(String ns) {
        Namespace n = namespaces.get(null, ns);
        Map<String, String> labels = n == null ? null : n.getMetadata().getLabels();
        return labels == null ? Map.of() : Map.copyOf(labels);
    }

    private static Map<String, String> labels(Node node) {
        Map<String, String> l = node.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    // ---------------------------------------------------------------- PreFilter / Filter

    /** What PreFilter computed for Filter. */
    static final class PreFilterState implements CycleState.StateData {
        /** Pairs where existing pods have required anti-affinity terms the incoming pod matches. */
        final TopologyCounts existingAntiAffinityCounts;
        /** Pairs where existing pods match all the incoming pod's required affinity terms. */
        final TopologyCounts affinityCounts;
        /** Pairs where existing pods match the incoming pod's required anti-affinity terms. */
        final TopologyCounts antiAffinityCounts;
        final Pod pod;
        final List<AffinityTerm> affinityTerms;
        final List<AffinityTerm> antiAffinityTerms;
        final Map<String, String> namespaceLabels;
        /** Whether the pod matches all its own affinity terms (the first pod of a group may then go anywhere). */
        final boolean matchesOwnAffinity;

        PreFilterState(TopologyCounts existing, TopologyCounts affinity, TopologyCounts anti, Pod pod,
                List<AffinityTerm> affinityTerms, List<AffinityTerm> antiAffinityTerms, Map<String, String> nsLabels) {
            this.existingAntiAffinityCounts = existing;
            this.affinityCounts = affinity;
            this.antiAffinityCounts = anti;
            this.pod = pod;
            this.affinityTerms = affinityTerms;
            this.antiAffinityTerms = antiAffinityTerms;
            this.namespaceLabels = nsLabels;
            this.matchesOwnAffinity = matchesAll(affinityTerms, pod);
        }

        void updateWithPod(PodInfo updated, Map<String, String> nodeLabels, long delta) {
            existingAntiAffinityCounts.updateWithAntiAffinityTerms(updated.requiredAntiAffinityTerms(), pod,
                    namespaceLabels, nodeLabels, delta);
            affinityCounts.updateWithAffinityTerms(affinityTerms, updated.pod(), nodeLabels, delta);
            // The incoming pod's namespace selectors are merged into its namespaces: no namespace labels needed.
            antiAffinityCounts.updateWithAntiAffinityTerms(antiAffinityTerms, updated.pod(), null, nodeLabels, delta);
        }

        @Override
        public PreFilterState copy() {
            return new PreFilterState(existingAntiAffinityCounts.copy(), affinityCounts.copy(),
                    antiAffinityCounts.copy(), pod, affinityTerms, antiAffinityTerms, namespaceLabels);
        }
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        List<AffinityTerm> affinityTerms = mergeNamespaces(requiredTerms(pod, false));
        List<AffinityTerm> antiAffinityTerms = mergeNamespaces(requiredTerms(pod, true));
        Map<String, String> nsLabels = namespaceLabels(pod.getMetadata().getNamespace());
        TopologyCounts existing = existingAntiAffinityCounts(pod, nsLabels,
                handle.snapshot().havePodsWithRequiredAntiAffinity());
        TopologyCounts affinity = new TopologyCounts();
        TopologyCounts anti = new TopologyCounts();
        if (!affinityTerms.isEmpty() || !antiAffinityTerms.isEmpty()) {
            incomingCounts(affinityTerms, antiAffinityTerms, nodes, affinity, anti);
        }
        if (existing.isEmpty() && affinityTerms.isEmpty() && antiAffinityTerms.isEmpty()) {
            return PreFilterResult.SKIP;
        }
        state.write(PRE_FILTER_KEY, new PreFilterState(existing, affinity, anti, pod, affinityTerms,
                antiAffinityTerms, nsLabels));
        return PreFilterResult.SUCCESS;
    }

    private TopologyCounts existingAntiAffinityCounts(Pod pod, Map<String, String> nsLabels, List<NodeInfo> nodes) {
        TopologyCounts[] perNode = new TopologyCounts[nodes.size()];
        handle.parallelize(nodes.size(), i -> {
            NodeInfo nodeInfo = nodes.get(i);
            Node node = nodeInfo.node();
            if (node == null) {
                return;
            }
            Map<String, String> nodeLabels = labels(node);
            TopologyCounts counts = null;
            List<PodInfo> pods = nodeInfo.podsWithRequiredAntiAffinity();
            for (int p = 0, n = pods.size(); p < n; p++) {
                List<AffinityTerm> terms = pods.get(p).requiredAntiAffinityTerms();
                for (int t = 0, m = terms.size(); t < m; t++) {
                    AffinityTerm term = terms.get(t);
                    String value = nodeLabels.get(term.topologyKey());
                    if (value != null && term.matches(pod, nsLabels)) {
                        if (counts == null) {
                            counts = new TopologyCounts();
                        }
                        counts.add(term.topologyKey(), value, 1);
                    }
                }
            }
            perNode[i] = counts;
        });
        return merge(perNode);
    }

    private void incomingCounts(List<AffinityTerm> affinityTerms, List<AffinityTerm> antiAffinityTerms,
            List<NodeInfo> nodes, TopologyCounts affinity, TopologyCounts anti) {
        TopologyCounts[] affinityPerNode = new TopologyCounts[nodes.size()];
        TopologyCounts[] antiPerNode = new TopologyCounts[nodes.size()];
        handle.parallelize(nodes.size(), i -> {
            NodeInfo nodeInfo = nodes.get(i);
            Node node = nodeInfo.node();
            if (node == null) {
                return;
            }
            Map<String, String> nodeLabels = labels(node);
            TopologyCounts a = null;
            TopologyCounts aa = null;
            List<PodInfo> pods = nodeInfo.pods();
            for (int p = 0, n = pods.size(); p < n; p++) {
                Pod existing = pods.get(p).pod();
                if (matchesAll(affinityTerms, existing)) {
                    if (a == null) {
                        a = new TopologyCounts();
                    }
                    for (int t = 0, m = affinityTerms.size(); t < m; t++) {
                        a.update(nodeLabels, affinityTerms.get(t).topologyKey(), 1);
                    }
                }
                for (int t = 0, m = antiAffinityTerms.size(); t < m; t++) {
                    AffinityTerm term = antiAffinityTerms.get(t);
                    String value = nodeLabels.get(term.topologyKey());
                    if (value != null && term.matches(existing, null)) {
                        if (aa == null) {
                            aa = new TopologyCounts();
                        }
                        aa.add(term.topologyKey(), value, 1);
                    }
                }
            }
            affinityPerNode[i] = a;
            antiPerNode[i] = aa;
        });
        affinity.merge(merge(affinityPerNode));
        anti.merge(merge(antiPerNode));
    }

    private static TopologyCounts merge(TopologyCounts[] parts) {
        TopologyCounts result = new TopologyCounts();
        for (TopologyCounts c : parts) {
            if (c != null) {
                result.merge(c);
            }
        }
        return result;
    }

    @Override
    public PreFilterExtensions preFilterExtensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return update(state, podToAdd, nodeInfo, 1);
    }

    @Override
    public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        return update(state, podToRemove, nodeInfo, -1);
    }

    private static Status update(CycleState state, PodInfo pod, NodeInfo nodeInfo, long delta) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_KEY + "\" from cycleState: not found");
        }
        if (nodeInfo.node() != null) {
            s.updateWithPod(pod, labels(nodeInfo.node()), delta);
        }
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_KEY + "\" from cycleState: not found");
        }
        Map<String, String> nodeLabels = labels(nodeInfo.node());
        if (!satisfiesPodAffinity(s, nodeLabels)) {
            return AFFINITY_NOT_MATCH;
        }
        if (!satisfiesPodAntiAffinity(s, nodeLabels)) {
            return ANTI_AFFINITY_NOT_MATCH;
        }
        if (!satisfiesExistingPodsAntiAffinity(s, nodeLabels)) {
            return EXISTING_ANTI_AFFINITY_NOT_MATCH;
        }
        return Status.SUCCESS;
    }

    private static boolean satisfiesPodAffinity(PreFilterState s, Map<String, String> nodeLabels) {
        boolean podsExist = true;
        List<AffinityTerm> terms = s.affinityTerms;
        for (int i = 0, n = terms.size(); i < n; i++) {
            String key = terms.get(i).topologyKey();
            String value = nodeLabels.get(key);
            if (value == null) {
                return false; // every topology label must be on the node
            }
            if (s.affinityCounts.get(key, value) <= 0) {
                podsExist = false;
            }
        }
        if (!podsExist) {
            // The first pod of a group with affinity to itself: no pod anywhere matches the terms yet,
            // and the pod matches its own terms, so it may go to any node with all the topology labels.
            return s.affinityCounts.isEmpty() && s.matchesOwnAffinity;
        }
        return true;
    }

    private static boolean satisfiesPodAntiAffinity(PreFilterState s, Map<String, String> nodeLabels) {
        if (s.antiAffinityCounts.isEmpty()) {
            return true;
        }
        List<AffinityTerm> terms = s.antiAffinityTerms;
        for (int i = 0, n = terms.size(); i < n; i++) {
            String key = terms.get(i).topologyKey();
            String value = nodeLabels.get(key);
            if (value != null && s.antiAffinityCounts.get(key, value) > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean satisfiesExistingPodsAntiAffinity(PreFilterState s, Map<String, String> nodeLabels) {
        if (s.existingAntiAffinityCounts.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, HashMap<String, long[]>> e : s.existingAntiAffinityCounts.byKey().entrySet()) {
            String value = nodeLabels.get(e.getKey());
            if (value != null) {
                long[] cell = e.getValue().get(value);
                if (cell != null && cell[0] > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- PreScore / Score

    /** Score per topology pair, summed over the pods PreScore visited; read-only after PreScore. */
    static final class PreScoreState implements CycleState.StateData {
        final String[] keys;
        final HashMap<String, long[]>[] values;

        @SuppressWarnings("unchecked")
        PreScoreState(TopologyCounts scores) {
            int n = scores.byKey().size();
            keys = new String[n];
            values = new HashMap[n];
            int i = 0;
            for (Map.Entry<String, HashMap<String, long[]>> e : scores.byKey().entrySet()) {
                keys[i] = e.getKey();
                values[i] = e.getValue();
                i++;
            }
        }

        @Override
        public PreScoreState copy() {
            return this;
        }
    }

    /** The incoming pod's side of scoring, computed once per PreScore. */
    private record Incoming(Pod pod, Map<String, String> namespaceLabels, List<AffinityTerm.Weighted> preferredAffinity,
            List<AffinityTerm.Weighted> preferredAntiAffinity) {
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        if (feasibleNodes.isEmpty()) {
            return Status.SKIP;
        }
        List<AffinityTerm.Weighted> preferredAffinity = preferredTerms(pod, false);
        List<AffinityTerm.Weighted> preferredAnti = preferredTerms(pod, true);
        boolean hasConstraints = !preferredAffinity.isEmpty() || !preferredAnti.isEmpty();
        if (args.ignorePreferredTermsOfExistingPods() && !hasConstraints) {
            return Status.SKIP;
        }
        // Unless the pod has preferred terms, only pods with affinity terms contribute.
        List<NodeInfo> nodes = hasConstraints ? handle.snapshot().list() : handle.snapshot().havePodsWithAffinity();
        Incoming in = new Incoming(pod, namespaceLabels(pod.getMetadata().getNamespace()),
                mergeNamespacesWeighted(preferredAffinity), mergeNamespacesWeighted(preferredAnti));
        TopologyCounts[] perNode = new TopologyCounts[nodes.size()];
        AtomicInteger found = new AtomicInteger();
        handle.parallelize(nodes.size(), i -> {
            NodeInfo nodeInfo = nodes.get(i);
            Node node = nodeInfo.node();
            if (node == null || node.getMetadata().getLabels() == null || node.getMetadata().getLabels().isEmpty()) {
                return;
            }
            TopologyCounts scores = new TopologyCounts(true);
            List<PodInfo> pods = hasConstraints ? nodeInfo.pods() : nodeInfo.podsWithAffinity();
            for (int p = 0, n = pods.size(); p < n; p++) {
                processExistingPod(in, pods.get(p), node.getMetadata().getLabels(), scores);
            }
            if (!scores.isEmpty()) {
                perNode[i] = scores;
                found.incrementAndGet();
            }
        });
        if (found.get() == 0) {
            return Status.SKIP;
        }
        TopologyCounts total = new TopologyCounts(true);
        for (TopologyCounts c : perNode) {
            if (c != null) {
                total.merge(c);
            }
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(total));
        return Status.SUCCESS;
    }

    private void processExistingPod(Incoming in, PodInfo existing, Map<String, String> nodeLabels, TopologyCounts scores) {
        Pod existingPod = existing.pod();
        // The incoming pod's preferred terms matched by the existing pod (namespaces already merged).
        processTerms(scores, in.preferredAffinity, existingPod, null, nodeLabels, 1);
        processTerms(scores, in.preferredAntiAffinity, existingPod, null, nodeLabels, -1);
        // The existing pod's required affinity terms matched by the incoming pod.
        if (args.hardPodAffinityWeight() > 0) {
            List<AffinityTerm> terms = existing.requiredAffinityTerms();
            for (int i = 0, n = terms.size(); i < n; i++) {
                processTerm(scores, terms.get(i), args.hardPodAffinityWeight(), in.pod, in.namespaceLabels, nodeLabels, 1);
            }
        }
        // The existing pod's preferred terms matched by the incoming pod.
        processTerms(scores, existing.preferredAffinityTerms(), in.pod, in.namespaceLabels, nodeLabels, 1);
        processTerms(scores, existing.preferredAntiAffinityTerms(), in.pod, in.namespaceLabels, nodeLabels, -1);
    }

    private static void processTerms(TopologyCounts scores, List<AffinityTerm.Weighted> terms, Pod pod,
            Map<String, String> nsLabels, Map<String, String> nodeLabels, int multiplier) {
        for (int i = 0, n = terms.size(); i < n; i++) {
            AffinityTerm.Weighted t = terms.get(i);
            processTerm(scores, t.term(), t.weight(), pod, nsLabels, nodeLabels, multiplier);
        }
    }

    private static void processTerm(TopologyCounts scores, AffinityTerm term, int weight, Pod pod,
            Map<String, String> nsLabels, Map<String, String> nodeLabels, int multiplier) {
        if (term.matches(pod, nsLabels)) {
            String value = nodeLabels.get(term.topologyKey());
            if (value != null) {
                scores.add(term.topologyKey(), value, (long) weight * multiplier);
            }
        }
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        if (s == null) {
            throw new IllegalStateException("reading \"" + PRE_SCORE_KEY + "\" from cycleState: not found");
        }
        Map<String, String> nodeLabels = labels(nodeInfo.node());
        long score = 0;
        for (int i = 0; i < s.keys.length; i++) {
            String value = nodeLabels.get(s.keys[i]);
            if (value != null) {
                long[] cell = s.values[i].get(value);
                if (cell != null) {
                    score += cell[0];
                }
            }
        }
        return score;
    }

    @Override
    public ScoreExtensions scoreExtensions() {
        return this;
    }

    @Override
    public Status normalizeScore(CycleState state, Pod pod, NodeScores scores) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        if (s == null || s.keys.length == 0) {
            return Status.SUCCESS;
        }
        long min = scores.min();
        long max = scores.max();
        long diff = max - min;
        for (int i = 0; i < scores.size(); i++) {
            double f = 0;
            if (diff > 0) {
                f = MAX_NODE_SCORE * ((double) (scores.score(i) - min) / diff);
            }
            scores.setScore(i, (long) f);
        }
        return Status.SUCCESS;
    }

    // ---------------------------------------------------------------- events

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.ADD | ClusterEvent.UPDATE_POD_LABEL | ClusterEvent.DELETE,
                        InterPodAffinity::afterPodChange),
                EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL
                        | ClusterEvent.UPDATE_NODE_TAINT, InterPodAffinity::afterNodeChange));
    }

    private static boolean unscheduled(Pod p) {
        return p.getSpec() == null || p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty();
    }

    static QueueingHint afterPodChange(Pod pod, Object oldObject, Object newObject) {
        Pod original = (Pod) oldObject;
        Pod modified = (Pod) newObject;
        if ((modified != null && unscheduled(modified)) || (original != null && unscheduled(original))) {
            return QueueingHint.SKIP;
        }
        List<AffinityTerm> terms = requiredTerms(pod, false);
        List<AffinityTerm> antiTerms = requiredTerms(pod, true);
        if (modified != null && original != null) {
            // One existing pod must satisfy all the affinity terms, so the terms are checked together.
            if (!matchesAll(terms, original) && matchesAll(terms, modified)) {
                return QueueingHint.QUEUE;
            }
            if (matchesAll(antiTerms, original) && !matchesAll(antiTerms, modified)) {
                return QueueingHint.QUEUE;
            }
            return QueueingHint.SKIP;
        }
        if (modified != null) {
            return matchesAll(terms, modified) ? QueueingHint.QUEUE : QueueingHint.SKIP;
        }
        return matchesAll(antiTerms, original) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    static QueueingHint afterNodeChange(Pod pod, Object oldObject, Object newObject) {
        Node modified = (Node) newObject;
        if (modified == null) {
            return QueueingHint.SKIP;
        }
        Map<String, String> nodeLabels = labels(modified);
        for (AffinityTerm t : requiredTerms(pod, false)) {
            if (nodeLabels.containsKey(t.topologyKey())) {
                return QueueingHint.QUEUE;
            }
        }
        for (AffinityTerm t : requiredTerms(pod, true)) {
            if (nodeLabels.containsKey(t.topologyKey())) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }
}
