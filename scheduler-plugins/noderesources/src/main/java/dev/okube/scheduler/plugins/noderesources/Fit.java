package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Resource;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * NodeResourcesFit, as upstream's noderesources.Fit: a node fits when its allocatable covers what its pods
 * request plus the pod's requests (and it has room for one more pod); feasible nodes are scored by the
 * configured strategy (LeastAllocated by default).
 */
public final class Fit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "NodeResourcesFit";
    static final String PRE_FILTER_STATE_KEY = "PreFilter" + NAME;
    static final String PRE_SCORE_STATE_KEY = "PreScore" + NAME;

    /** What the pod requests, computed once per cycle; immutable. */
    static final class PreFilterState implements CycleState.StateData {
        final long milliCpu;
        final long memory;
        final long ephemeralStorage;
        /** True when the pod requests nothing at all (before ignoring resources), as upstream's early return. */
        final boolean none;
        /** The extended resources Filter checks (requested, not ignored), sorted by name. */
        final String[] scalarNames;
        final long[] scalarValues;
        final String[] scalarReasons;

        PreFilterState(Resource r, Set<String> ignored, Set<String> ignoredGroups) {
            milliCpu = r.milliCpu();
            memory = r.memory();
            ephemeralStorage = r.ephemeralStorage();
            none = milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && r.scalarResources().isEmpty();
            Map<String, Long> checked = new TreeMap<>();
            r.scalarResources().forEach((name, value) -> {
                if (value != 0 && !ignoredExtended(name, ignored, ignoredGroups)) {
                    checked.put(name, value);
                }
            });
            scalarNames = checked.keySet().toArray(new String[0]);
            scalarValues = new long[scalarNames.length];
            scalarReasons = new String[scalarNames.length];
            for (int i = 0; i < scalarNames.length; i++) {
                scalarValues[i] = checked.get(scalarNames[i]);
                scalarReasons[i] = "Insufficient " + scalarNames[i];
            }
        }

        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    /** The pod's requests of each scored resource. */
    record PreScoreState(long[] podRequests) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    private final FitArgs args;
    private final ScoringStrategy scorer;

    public Fit(FitArgs args) {
        this.args = Objects.requireNonNull(args, "args");
        this.scorer = args.scoringStrategy();
    }

    @Override
    public String name() {
        return NAME;
    }

    public FitArgs args() {
        return args;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        state.write(PRE_FILTER_STATE_KEY, computeState(PodInfo.of(pod).requests()));
        return PreFilterResult.SUCCESS;
    }

    private PreFilterState computeState(Resource requests) {
        return new PreFilterState(requests, args.ignoredResources(), args.ignoredResourceGroups());
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreFilterState s = state.read(PRE_FILTER_STATE_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("error reading \"" + PRE_FILTER_STATE_KEY + "\" from cycleState: not found");
        }
        String[] reasons = insufficient(s, nodeInfo);
        return reasons == null ? Status.SUCCESS : Status.unschedulable(reasons);
    }

    /** The reasons the node cannot take the pod, or null when it fits; allocates only when it does not fit. */
    static String[] insufficient(PreFilterState s, NodeInfo nodeInfo) {
        List<String> reasons = null;
        Resource allocatable = nodeInfo.allocatable();
        Resource requested = nodeInfo.requested();
        if (nodeInfo.pods().size() + 1 > allocatable.allowedPodNumber()) {
            reasons = add(reasons, "Too many pods");
        }
        if (s.none) {
            return reasons == null ? null : reasons.toArray(new String[0]);
        }
        if (s.milliCpu > 0 && s.milliCpu > allocatable.milliCpu() - requested.milliCpu()) {
            reasons = add(reasons, "Insufficient cpu");
        }
        if (s.memory > 0 && s.memory > allocatable.memory() - requested.memory()) {
            reasons = add(reasons, "Insufficient memory");
        }
        if (s.ephemeralStorage > 0 && s.ephemeralStorage > allocatable.ephemeralStorage() - requested.ephemeralStorage()) {
            reasons = add(reasons, "Insufficient ephemeral-storage");
        }
        if (s.scalarNames.length > 0) {
            Map<String, Long> alloc = allocatable.scalarResources();
            Map<String, Long> used = requested.scalarResources();
            for (int i = 0; i < s.scalarNames.length; i++) {
                Long a = alloc.get(s.scalarNames[i]);
                Long u = used.get(s.scalarNames[i]);
                if (s.scalarValues[i] > (a == null ? 0 : a) - (u == null ? 0 : u)) {
                    reasons = add(reasons, s.scalarReasons[i]);
                }
            }
        }
        return reasons == null ? null : reasons.toArray(new String[0]);
    }

    private static List<String> add(List<String> reasons, String reason) {
        List<String> r = reasons == null ? new ArrayList<>(4) : reasons;
        r.add(reason);
        return r;
    }

    /**
     * Upstream's v1helper.IsExtendedResourceName plus the ignore lists: only extended resources (a domain-prefixed
     * name outside kubernetes.io) can be ignored.
     */
    static boolean ignoredExtended(String name, Set<String> ignored, Set<String> ignoredGroups) {
        if (ignored.isEmpty() && ignoredGroups.isEmpty()) {
            return false;
        }
        int slash = name.indexOf('/');
        if (slash < 0 || name.contains("kubernetes.io/") || name.startsWith("requests.")) {
            return false;
        }
        return ignored.contains(name) || ignoredGroups.contains(name.substring(0, slash));
    }

    /** Whether {@code pod} fits an empty {@code node}, as upstream's isFit (for queueing hints). */
    static boolean fitsEmptyNode(PodInfo pod, Node node) {
        if (node == null) {
            return false;
        }
        return insufficient(new PreFilterState(pod.requests(), Set.of(), Set.of()), new NodeInfo(node)) == null;
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        state.write(PRE_SCORE_STATE_KEY, new PreScoreState(scorer.resources.podRequests(PodInfo.of(pod))));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_STATE_KEY, PreScoreState.class);
        long[] podRequests = s != null ? s.podRequests() : scorer.resources.podRequests(PodInfo.of(pod));
        return scorer.score(nodeInfo, podRequests);
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN,
                        (pod, oldObj, newObj) -> afterPodEvent(pod, (Pod) oldObj, (Pod) newObj)),
                EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE,
                        (pod, oldObj, newObj) -> afterNodeChange(pod, (Node) oldObj, (Node) newObj)));
    }

    /** Upstream's isSchedulableAfterPodEvent: a deleted scheduled pod, or a scaled-down pod, may free room. */
    static QueueingHint afterPodEvent(Pod pod, Pod original, Pod modified) {
        if (modified == null) {
            if (original == null || nodeName(original).isEmpty()) {
                return QueueingHint.SKIP;
            }
            return QueueingHint.QUEUE;
        }
        return afterPodScaleDown(pod, original, modified) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    private static boolean afterPodScaleDown(Pod target, Pod original, Pod modified) {
        if (Objects.equals(uid(modified), uid(target))) {
            return true;
        }
        if (nodeName(modified).isEmpty() || original == null) {
            return false;
        }
        Resource before = PodInfo.of(original).requests();
        Resource after = PodInfo.of(modified).requests();
        Resource wanted = PodInfo.of(target).requests();
        if (wanted.milliCpu() != 0 && before.milliCpu() > after.milliCpu()) {
            return true;
        }
        if (wanted.memory() != 0 && before.memory() > after.memory()) {
            return true;
        }
        if (wanted.ephemeralStorage() != 0 && before.ephemeralStorage() > after.ephemeralStorage()) {
            return true;
        }
        for (Map.Entry<String, Long> e : wanted.scalarResources().entrySet()) {
            if (e.getValue() != 0 && before.get(e.getKey()) > after.get(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** Upstream's isSchedulableAfterNodeChange: queue when the pod fits the new node and, for updates, something it needs grew. */
    static QueueingHint afterNodeChange(Pod pod, Node original, Node modified) {
        PodInfo pi = PodInfo.of(pod);
        if (!fitsEmptyNode(pi, modified)) {
            return QueueingHint.SKIP;
        }
        if (original == null) {
            return QueueingHint.QUEUE;
        }
        return anyRequestedResourceIncreased(pi.requests(), new NodeInfo(original), new NodeInfo(modified))
                ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    private static boolean anyRequestedResourceIncreased(Resource req, NodeInfo original, NodeInfo modified) {
        Resource before = original.allocatable();
        Resource after = modified.allocatable();
        if (after.allowedPodNumber() > before.allowedPodNumber()) {
            return true;
        }
        if (req.milliCpu() == 0 && req.memory() == 0 && req.ephemeralStorage() == 0 && req.scalarResources().isEmpty()) {
            return false;
        }
        if ((req.milliCpu() > 0 && after.milliCpu() > before.milliCpu())
                || (req.memory() > 0 && after.memory() > before.memory())
                || (req.ephemeralStorage() > 0 && after.ephemeralStorage() > before.ephemeralStorage())) {
            return true;
        }
        for (Map.Entry<String, Long> e : req.scalarResources().entrySet()) {
            if (e.getValue() != 0 && after.get(e.getKey()) > before.get(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    private static String nodeName(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
    }

    private static String uid(Pod pod) {
        return pod.getMetadata() == null ? null : pod.getMetadata().getUid();
    }
}
