package dev.okube.scheduler.plugins.podtopologyspread;

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
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's PodTopologySpread: a pod's {@code topologySpreadConstraints} (or, for a pod without any
 * that belongs to a Service, ReplicaSet, StatefulSet or ReplicationController, the cluster's default
 * constraints) spread matching pods over topology domains. DoNotSchedule constraints filter nodes whose
 * domain would exceed {@code maxSkew}; ScheduleAnyway constraints score nodes with fewer matching pods
 * higher.
 *
 * <p>PreFilter and PreScore count matching pods per domain once per cycle; Filter and Score then look
 * up the node's domain, so they are O(constraints) per node (Score of a hostname constraint counts the
 * node's own pods, as upstream). Preemption works on a {@link CycleState#copy()} per candidate node,
 * so the add/remove extensions change only that copy.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
        EnqueueExtensions, PreFilterPlugin.PreFilterExtensions, ScorePlugin.ScoreExtensions {
    public static final String NAME = "PodTopologySpread";
    public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    public static final String ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";

    static final String PRE_FILTER_KEY = "PreFilter" + NAME;
    static final String PRE_SCORE_KEY = "PreScore" + NAME;

    private static final Status CONSTRAINTS_NOT_MATCH = Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    private static final Status NODE_LABEL_NOT_MATCH = Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    private static final Constraint[] NO_CONSTRAINTS = new Constraint[0];

    private final FrameworkHandle handle;
    private final List<TopologySpreadConstraint> defaultConstraints;
    private final boolean systemDefaulted;
    private final Lister<Service> services;
    private final Lister<ReplicationController> replicationControllers;
    private final Lister<ReplicaSet> replicaSets;
    private final Lister<StatefulSet> statefulSets;

    public PodTopologySpread(PodTopologySpreadArgs args, FrameworkHandle handle) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.defaultConstraints = args.defaultConstraints();
        this.systemDefaulted = args.systemDefaulted();
        if (defaultConstraints.isEmpty()) {
            services = null;
            replicationControllers = null;
            replicaSets = null;
            statefulSets = null;
        } else {
            services = handle.lister(Service.class);
            replicationControllers = handle.lister(ReplicationController.class);
            replicaSets = handle.lister(ReplicaSet.class);
            statefulSets = handle.lister(StatefulSet.class);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---------------------------------------------------------------- constraints

    /** The pod's constraints with {@code action}, or the default ones when the pod has none at all. */
    Constraint[] constraints(Pod pod, String action) {
        List<TopologySpreadConstraint> own = pod.getSpec() == null ? null : pod.getSpec().getTopologySpreadConstraints();
        if (own != null && !own.isEmpty()) {
            return filter(own, pod.getMetadata().getLabels(), action);
        }
        return defaultConstraints(pod, action);
    }

    private Constraint[] defaultConstraints(Pod pod, String action) {
        if (defaultConstraints.isEmpty()) {
            return NO_CONSTRAINTS;
        }
        Constraint[] cs = filter(defaultConstraints, pod.getMetadata().getLabels(), action);
        if (cs.length == 0) {
            return cs;
        }
        Selector selector = defaultSelector(pod);
        if (selector.isEverything()) {
            return NO_CONSTRAINTS;
        }
        for (int i = 0; i < cs.length; i++) {
            cs[i] = cs[i].withSelector(selector);
        }
        return cs;
    }

    static Constraint[] filter(List<TopologySpreadConstraint> constraints, Map<String, String> podLabels, String action) {
        List<Constraint> out = new ArrayList<>(constraints.size());
        for (TopologySpreadConstraint c : constraints) {
            if (!action.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            Selector selector = Selector.of(c.getLabelSelector());
            List<String> keys = c.getMatchLabelKeys();
            if (keys != null && !keys.isEmpty() && podLabels != null) {
                Map<String, String> matchLabels = new LinkedHashMap<>();
                for (String k : keys) {
                    String v = podLabels.get(k);
                    if (v != null) {
                        matchLabels.put(k, v);
                    }
                }
                if (!matchLabels.isEmpty()) {
                    // As upstream's mergeLabelSetWithSelector: an absent selector contributes no requirement.
                    Selector merged = Selector.ofLabels(matchLabels);
                    if (!selector.isNothing()) {
                        for (Selector.Requirement r : selector.requirements()) {
                            merged = merged.and(r);
                        }
                    }
                    selector = merged;
                }
            }
            out.add(new Constraint(c.getMaxSkew() == null ? 0 : c.getMaxSkew(), c.getTopologyKey(), selector,
                    c.getMinDomains() == null ? 1 : c.getMinDomains(),
                    !Constraint.IGNORE.equals(c.getNodeAffinityPolicy()),
                    Constraint.HONOR.equals(c.getNodeTaintsPolicy())));
        }
        return out.toArray(NO_CONSTRAINTS);
    }

    /**
     * Upstream's helper.DefaultSelector: the union of the selectors of the Services that select the pod,
     * and of its controlling ReplicationController, ReplicaSet or StatefulSet.
     */
    Selector defaultSelector(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> podLabels = pod.getMetadata().getLabels();
        Map<String, String> labelSet = new HashMap<>();
        for (Service s : services.list(ns)) {
            Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
            // A Service without a selector selects nothing (an empty one would add no labels either).
            if (sel == null || sel.isEmpty()) {
                continue;
            }
            if (Selector.ofLabels(sel).matches(podLabels)) {
                labelSet.putAll(sel);
            }
        }
        Selector selector = Selector.ofLabels(labelSet);
        OwnerReference owner = controllerOf(pod);
        if (owner == null) {
            return selector;
        }
        String apiVersion = owner.getApiVersion();
        if ("v1".equals(apiVersion) && "ReplicationController".equals(owner.getKind())) {
            ReplicationController rc = replicationControllers.get(ns, owner.getName());
            if (rc != null && rc.getSpec() != null && rc.getSpec().getSelector() != null) {
                labelSet.putAll(rc.getSpec().getSelector());
                selector = Selector.ofLabels(labelSet);
            }
        } else if ("apps/v1".equals(apiVersion) && "ReplicaSet".equals(owner.getKind())) {
            ReplicaSet rs = replicaSets.get(ns, owner.getName());
            if (rs != null && rs.getSpec() != null) {
                selector = and(selector, Selector.of(rs.getSpec().getSelector()));
            }
        } else if ("apps/v1".equals(apiVersion) && "StatefulSet".equals(owner.getKind())) {
            StatefulSet ss = statefulSets.get(ns, owner.getName());
            if (ss != null && ss.getSpec() != null) {
                selector = and(selector, Selector.of(ss.getSpec().getSelector()));
            }
        }
        return selector;
    }

    private static Selector and(Selector selector, Selector other) {
        if (other.isNothing()) {
            return selector;
        }
        for (Selector.Requirement r : other.requirements()) {
            selector = selector.and(r);
        }
        return selector;
    }

    private static OwnerReference controllerOf(Pod pod) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (OwnerReference r : refs) {
            if (Boolean.TRUE.equals(r.getController())) {
                return r;
            }
        }
        return null;
    }

    /** Upstream's countPodsMatchSelector: pods of {@code ns}, not terminating, matching the selector. */
    static int countMatching(List<PodInfo> pods, Selector selector, String ns) {
        int count = 0;
        for (int i = 0, n = pods.size(); i < n; i++) {
            Pod p = pods.get(i).pod();
            if (p.getMetadata().getDeletionTimestamp() != null || !ns.equals(p.getMetadata().getNamespace())) {
                continue;
            }
            if (selector.matches(p.getMetadata().getLabels())) {
                count++;
            }
        }
        return count;
    }

    private static Map<String, String> labels(Node node) {
        Map<String, String> l = node.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    private static boolean anyHonorsNodeAffinity(Constraint[] cs) {
        for (Constraint c : cs) {
            if (c.honorNodeAffinity()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- PreFilter / Filter

    /** What PreFilter computed: matching pods per domain of each DoNotSchedule constraint, and the two smallest. */
    static final class PreFilterState implements CycleState.StateData {
        final Constraint[] constraints;
        final int[] selfMatch;
        final HashMap<String, int[]>[] tpValueToMatchNum;
        final String[] minValue;
        final int[] minNum;
        final String[] secondValue;
        final int[] secondNum;

        @SuppressWarnings("unchecked")
        PreFilterState(Constraint[] constraints, int[] selfMatch) {
            this.constraints = constraints;
            this.selfMatch = selfMatch;
            int k = constraints.length;
            tpValueToMatchNum = new HashMap[k];
            minValue = new String[k];
            minNum = new int[k];
            secondValue = new String[k];
            secondNum = new int[k];
            for (int i = 0; i < k; i++) {
                tpValueToMatchNum[i] = new HashMap<>();
                minNum[i] = Integer.MAX_VALUE;
                secondNum[i] = Integer.MAX_VALUE;
            }
        }

        /** Upstream's criticalPaths.update: keeps the smallest count first, and a second candidate. */
        void updateCriticalPaths(int i, String value, int num) {
            if (value.equals(minValue[i])) {
                minNum[i] = num;
            } else if (value.equals(secondValue[i])) {
                secondNum[i] = num;
            } else {
                if (num < minNum[i]) {
                    secondValue[i] = minValue[i];
                    secondNum[i] = minNum[i];
                    minValue[i] = value;
                    minNum[i] = num;
                } else if (num < secondNum[i]) {
                    secondValue[i] = value;
                    secondNum[i] = num;
                }
                return;
            }
            if (minNum[i] > secondNum[i]) {
                String v = minValue[i];
                int n = minNum[i];
                minValue[i] = secondValue[i];
                minNum[i] = secondNum[i];
                secondValue[i] = v;
                secondNum[i] = n;
            }
        }

        void add(int i, String value, int delta) {
            int[] cell = tpValueToMatchNum[i].computeIfAbsent(value, v -> new int[1]);
            cell[0] += delta;
        }

        /** The global minimum for the skew: 0 while there are fewer eligible domains than minDomains. */
        int minMatchNum(int i) {
            return tpValueToMatchNum[i].size() < constraints[i].minDomains() ? 0 : minNum[i];
        }

        int matchNum(int i, String value) {
            int[] cell = tpValueToMatchNum[i].get(value);
            return cell == null ? 0 : cell[0];
        }

        @Override
        public PreFilterState copy() {
            PreFilterState c = new PreFilterState(constraints, selfMatch);
            for (int i = 0; i < constraints.length; i++) {
                for (Map.Entry<String, int[]> e : tpValueToMatchNum[i].entrySet()) {
                    c.tpValueToMatchNum[i].put(e.getKey(), new int[] {e.getValue()[0]});
                }
            }
            System.arraycopy(minValue, 0, c.minValue, 0, minValue.length);
            System.arraycopy(minNum, 0, c.minNum, 0, minNum.length);
            System.arraycopy(secondValue, 0, c.secondValue, 0, secondValue.length);
            System.arraycopy(secondNum, 0, c.secondNum, 0, secondNum.length);
            return c;
        }
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        Constraint[] constraints = constraints(pod, PodTopologySpreadArgs.DO_NOT_SCHEDULE);
        if (constraints.length == 0) {
            return PreFilterResult.SKIP;
        }
        state.write(PRE_FILTER_KEY, preFilterState(pod, constraints, nodes));
        return PreFilterResult.SUCCESS;
    }

    PreFilterState preFilterState(Pod pod, Constraint[] constraints, List<NodeInfo> nodes) {
        int k = constraints.length;
        int[] selfMatch = new int[k];
        Map<String, String> podLabels = pod.getMetadata().getLabels();
        for (int i = 0; i < k; i++) {
            selfMatch[i] = constraints[i].selector().matches(podLabels) ? 1 : 0;
        }
        PreFilterState s = new PreFilterState(constraints, selfMatch);
        int n = nodes.size();
        String[] values = new String[n * k];
        int[] counts = new int[n * k];
        String ns = pod.getMetadata().getNamespace();
        boolean needAffinity = anyHonorsNodeAffinity(constraints);
        handle.parallelize(n, idx -> {
            NodeInfo nodeInfo = nodes.get(idx);
            Node node = nodeInfo.node();
            if (node == null) {
                return;
            }
            Map<String, String> nodeLabels = labels(node);
            if (!Constraint.nodeHasAllKeys(nodeLabels, constraints)) {
                return;
            }
            boolean affinity = !needAffinity || Constraint.nodeAffinityMatches(pod, node);
            for (int i = 0; i < k; i++) {
                Constraint c = constraints[i];
                if (!c.includes(pod, node, affinity)) {
                    continue;
                }
                values[idx * k + i] = nodeLabels.get(c.topologyKey());
                counts[idx * k + i] = countMatching(nodeInfo.pods(), c.selector(), ns);
            }
        });
        for (int j = 0; j < values.length; j++) {
            if (values[j] != null) {
                s.add(j % k, values[j], counts[j]);
            }
        }
        for (int i = 0; i < k; i++) {
            for (Map.Entry<String, int[]> e : s.tpValueToMatchNum[i].entrySet()) {
                s.updateCriticalPaths(i, e.getKey(), e.getValue()[0]);
            }
        }
        return s;
    }

    @Override
    public PreFilterExtensions preFilterExtensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return updateWithPod(state, podToSchedule, podToAdd.pod(), nodeInfo.node(), 1);
    }

    @Override
    public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        return updateWithPod(state, podToSchedule, podToRemove.pod(), nodeInfo.node(), -1);
    }

    private Status updateWithPod(CycleState state, Pod preemptor, Pod updated, Node node, int delta) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_KEY + "\" from cycleState: not found");
        }
        if (node == null || !Objects.equals(updated.getMetadata().getNamespace(), preemptor.getMetadata().getNamespace())) {
            return Status.SUCCESS;
        }
        Map<String, String> nodeLabels = labels(node);
        if (!Constraint.nodeHasAllKeys(nodeLabels, s.constraints)) {
            return Status.SUCCESS;
        }
        boolean affinity = Constraint.nodeAffinityMatches(preemptor, node);
        Map<String, String> podLabels = updated.getMetadata().getLabels();
        for (int i = 0; i < s.constraints.length; i++) {
            Constraint c = s.constraints[i];
            if (!c.selector().matches(podLabels) || !c.includes(preemptor, node, affinity)) {
                continue;
            }
            String v = nodeLabels.get(c.topologyKey());
            s.add(i, v, delta);
            s.updateCriticalPaths(i, v, s.matchNum(i, v));
        }
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_KEY + "\" from cycleState: not found");
        }
        Constraint[] constraints = s.constraints;
        if (constraints.length == 0) {
            return Status.SUCCESS;
        }
        Map<String, String> nodeLabels = labels(nodeInfo.node());
        for (int i = 0; i < constraints.length; i++) {
            Constraint c = constraints[i];
            String tpVal = nodeLabels.get(c.topologyKey());
            if (tpVal == null) {
                return NODE_LABEL_NOT_MATCH;
            }
            // 'existing matching num' + 'self-match (1 or 0)' - 'global minimum' <= 'maxSkew'
            int skew = s.matchNum(i, tpVal) + s.selfMatch[i] - s.minMatchNum(i);
            if (skew > c.maxSkew()) {
                return CONSTRAINTS_NOT_MATCH;
            }
        }
        return Status.SUCCESS;
    }

    // ---------------------------------------------------------------- PreScore / Score

    /** What PreScore computed for Score and NormalizeScore. */
    static final class PreScoreState implements CycleState.StateData {
        final Constraint[] constraints;
        final boolean[] hostname;
        final Set<String> ignoredNodes;
        /** Per constraint (except hostname ones): domain → matching pods on eligible nodes. */
        final HashMap<String, long[]>[] topologyValueToPodCounts;
        final double[] weights;
        final String namespace;

        @SuppressWarnings("unchecked")
        PreScoreState(Constraint[] constraints, String namespace) {
            this.constraints = constraints;
            this.namespace = namespace;
            this.hostname = new boolean[constraints.length];
            this.ignoredNodes = new HashSet<>();
            this.topologyValueToPodCounts = new HashMap[constraints.length];
            this.weights = new double[constraints.length];
            for (int i = 0; i < constraints.length; i++) {
                hostname[i] = PodTopologySpreadArgs.LABEL_HOSTNAME.equals(constraints[i].topologyKey());
                topologyValueToPodCounts[i] = new HashMap<>();
            }
        }

        @Override
        public PreScoreState copy() {
            return this; // read-only after PreScore
        }
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        List<NodeInfo> allNodes = handle.snapshot().list();
        if (allNodes.isEmpty()) {
            return Status.SKIP;
        }
        List<TopologySpreadConstraint> own = pod.getSpec() == null ? null : pod.getSpec().getTopologySpreadConstraints();
        boolean hasOwn = own != null && !own.isEmpty();
        // Only non-system-default constraints require every topology key on a node: nodes without a zone
        // label still get hostname spreading.
        boolean requireAllTopologies = hasOwn || !systemDefaulted;
        Constraint[] constraints = constraints(pod, PodTopologySpreadArgs.SCHEDULE_ANYWAY);
        if (constraints.length == 0) {
            return Status.SKIP;
        }
        int k = constraints.length;
        PreScoreState s = new PreScoreState(constraints, pod.getMetadata().getNamespace());
        int[] topoSize = new int[k];
        boolean anyDomainConstraint = false;
        for (NodeInfo nodeInfo : feasibleNodes) {
            Node node = nodeInfo.node();
            Map<String, String> nodeLabels = labels(node);
            if (requireAllTopologies && !Constraint.nodeHasAllKeys(nodeLabels, constraints)) {
                s.ignoredNodes.add(node.getMetadata().getName());
                continue;
            }
            for (int i = 0; i < k; i++) {
                if (s.hostname[i]) {
                    continue;
                }
                anyDomainConstraint = true;
                String value = nodeLabels.get(constraints[i].topologyKey());
                if (s.topologyValueToPodCounts[i].putIfAbsent(value == null ? "" : value, new long[1]) == null) {
                    topoSize[i]++;
                }
            }
        }
        for (int i = 0; i < k; i++) {
            int size = s.hostname[i] ? feasibleNodes.size() - s.ignoredNodes.size() : topoSize[i];
            s.weights[i] = Math.log(size + 2);
        }
        if (anyDomainConstraint) {
            countDomains(pod, s, allNodes, requireAllTopologies);
        }
        state.write(PRE_SCORE_KEY, s);
        return Status.SUCCESS;
    }

    private void countDomains(Pod pod, PreScoreState s, List<NodeInfo> allNodes, boolean requireAllTopologies) {
        Constraint[] constraints = s.constraints;
        int k = constraints.length;
        int n = allNodes.size();
        long[] counts = new long[n * k];
        long[][] cells = new long[n * k][];
        boolean needAffinity = anyHonorsNodeAffinity(constraints);
        handle.parallelize(n, idx -> {
            NodeInfo nodeInfo = allNodes.get(idx);
            Node node = nodeInfo.node();
            if (node == null) {
                return;
            }
            Map<String, String> nodeLabels = labels(node);
            if (requireAllTopologies && !Constraint.nodeHasAllKeys(nodeLabels, constraints)) {
                return;
            }
            boolean affinity = !needAffinity || Constraint.nodeAffinityMatches(pod, node);
            for (int i = 0; i < k; i++) {
                Constraint c = constraints[i];
                if (s.hostname[i] || !c.includes(pod, node, affinity)) {
                    continue;
                }
                String value = nodeLabels.get(c.topologyKey());
                // Domains without a feasible node are not scored: skip counting them.
                long[] cell = s.topologyValueToPodCounts[i].get(value == null ? "" : value);
                if (cell == null) {
                    continue;
                }
                cells[idx * k + i] = cell;
                counts[idx * k + i] = countMatching(nodeInfo.pods(), c.selector(), s.namespace);
            }
        });
        for (int j = 0; j < cells.length; j++) {
            if (cells[j] != null) {
                cells[j][0] += counts[j];
            }
        }
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        if (s == null) {
            throw new IllegalStateException("reading \"" + PRE_SCORE_KEY + "\" from cycleState: not found");
        }
        Node node = nodeInfo.node();
        if (s.ignoredNodes.contains(node.getMetadata().getName())) {
            return 0;
        }
        Map<String, String> nodeLabels = labels(node);
        double score = 0;
        Constraint[] constraints = s.constraints;
        for (int i = 0; i < constraints.length; i++) {
            Constraint c = constraints[i];
            String tpVal = nodeLabels.get(c.topologyKey());
            if (tpVal == null) {
                continue;
            }
            long cnt;
            if (s.hostname[i]) {
                cnt = countMatching(nodeInfo.pods(), c.selector(), s.namespace);
            } else {
                long[] cell = s.topologyValueToPodCounts[i].get(tpVal);
                cnt = cell == null ? 0 : cell[0];
            }
            // maxSkew-1 waters down differences between domains: the tolerance of the score to skews.
            score += cnt * s.weights[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override
    public ScoreExtensions scoreExtensions() {
        return this;
    }

    @Override
    public Status normalizeScore(CycleState state, Pod pod, NodeScores scores) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        if (s == null) {
            return Status.SUCCESS;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        int n = scores.size();
        boolean[] ignored = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (s.ignoredNodes.contains(scores.nodeName(i))) {
                ignored[i] = true;
                continue;
            }
            long v = scores.score(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < n; i++) {
            if (ignored[i]) {
                scores.setScore(i, 0);
            } else if (max == 0) {
                scores.setScore(i, MAX_NODE_SCORE);
            } else {
                scores.setScore(i, MAX_NODE_SCORE * (max + min - scores.score(i)) / max);
            }
        }
        return Status.SUCCESS;
    }

    // ---------------------------------------------------------------- events

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.ADD | ClusterEvent.UPDATE_POD_LABEL
                        | ClusterEvent.UPDATE_POD_TOLERATION | ClusterEvent.DELETE, this::afterPodChange),
                EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.DELETE
                        | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT, this::afterNodeChange));
    }

    /** Whether {@code other} takes part in {@code pod}'s spreading: it is the pod itself, or a bound pod of its namespace. */
    private static boolean involved(Pod other, Pod pod) {
        if (Objects.equals(other.getMetadata().getUid(), pod.getMetadata().getUid())) {
            return true;
        }
        String nodeName = other.getSpec() == null ? null : other.getSpec().getNodeName();
        return nodeName != null && !nodeName.isEmpty()
                && Objects.equals(other.getMetadata().getNamespace(), pod.getMetadata().getNamespace());
    }

    QueueingHint afterPodChange(Pod pod, Object oldObject, Object newObject) {
        Pod original = (Pod) oldObject;
        Pod modified = (Pod) newObject;
        if ((modified != null && !involved(modified, pod)) || (original != null && !involved(original, pod))) {
            return QueueingHint.SKIP;
        }
        Constraint[] constraints = constraints(pod, PodTopologySpreadArgs.DO_NOT_SCHEDULE);
        if (modified != null && original != null) {
            if (Objects.equals(pod.getMetadata().getUid(), modified.getMetadata().getUid())
                    && !Objects.equals(tolerations(modified), tolerations(original))) {
                for (Constraint c : constraints) {
                    if (c.honorNodeTaints()) {
                        return QueueingHint.QUEUE;
                    }
                }
            }
            Map<String, String> before = original.getMetadata().getLabels();
            Map<String, String> after = modified.getMetadata().getLabels();
            if (Objects.equals(emptyIfNull(before), emptyIfNull(after))) {
                return QueueingHint.SKIP;
            }
            for (Constraint c : constraints) {
                if (c.selector().matches(before) != c.selector().matches(after)) {
                    return QueueingHint.QUEUE;
                }
            }
            return QueueingHint.SKIP;
        }
        Pod changed = modified != null ? modified : original;
        Map<String, String> labels = changed.getMetadata().getLabels();
        for (Constraint c : constraints) {
            if (c.selector().matches(labels)) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }

    QueueingHint afterNodeChange(Pod pod, Object oldObject, Object newObject) {
        Node original = (Node) oldObject;
        Node modified = (Node) newObject;
        Constraint[] constraints = constraints(pod, PodTopologySpreadArgs.DO_NOT_SCHEDULE);
        boolean originalMatching = original != null && Constraint.nodeHasAllKeys(labels(original), constraints);
        boolean modifiedMatching = modified != null && Constraint.nodeHasAllKeys(labels(modified), constraints);
        if (original != null && modified != null) {
            if (originalMatching != modifiedMatching) {
                return QueueingHint.QUEUE;
            }
            if (modifiedMatching && (topologyLabelsChanged(labels(original), labels(modified), constraints)
                    || !Objects.equals(taints(original), taints(modified)))) {
                return QueueingHint.QUEUE;
            }
            return QueueingHint.SKIP;
        }
        if (modified != null) {
            return modifiedMatching ? QueueingHint.QUEUE : QueueingHint.SKIP;
        }
        return originalMatching ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    private static boolean topologyLabelsChanged(Map<String, String> a, Map<String, String> b, Constraint[] constraints) {
        for (Constraint c : constraints) {
            if (!Objects.equals(a.get(c.topologyKey()), b.get(c.topologyKey()))) {
                return true;
            }
        }
        return false;
    }

    private static Object tolerations(Pod p) {
        return p.getSpec() == null || p.getSpec().getTolerations() == null ? List.of() : p.getSpec().getTolerations();
    }

    private static Object taints(Node n) {
        return n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
    }

    private static Map<String, String> emptyIfNull(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
