package dev.okube.scheduler.plugins.coscheduling;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PermitPlugin;
import dev.okube.api.scheduler.PermitResult;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PostFilterPlugin;
import dev.okube.api.scheduler.PostFilterResult;
import dev.okube.api.scheduler.PreEnqueuePlugin;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueSortPlugin;
import dev.okube.api.scheduler.QueuedPodInfo;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.ReservePlugin;
import dev.okube.api.scheduler.Resource;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Gang scheduling with kubernetes-sigs/scheduler-plugins' Coscheduling semantics: the pods labelled
 * {@code scheduling.x-k8s.io/pod-group: NAME} form the PodGroup NAME of their namespace, and none of
 * them is bound until {@code minMember} of them are assumed or bound. QueueSort keeps a group together
 * (priority, then the group's creation time, then the group's name); PreEnqueue and PreFilter hold
 * back groups that cannot be complete; Permit makes members wait (at most the group's
 * scheduleTimeoutSeconds, else permitWaitingTimeSeconds) and allows them all at the quorum; PostFilter
 * and Unreserve reject the waiting members of a group that failed. The plugin also keeps the group's
 * status (phase Scheduling, then Scheduled, and the scheduled count).
 */
public final class Coscheduling implements QueueSortPlugin, PreEnqueuePlugin, PreFilterPlugin, PostFilterPlugin,
        PermitPlugin, ReservePlugin, EnqueueExtensions {
    public static final String NAME = "Coscheduling";
    public static final String POD_GROUP_KIND = "PodGroup";

    private final Lister<PodGroup> groups;
    private final Lister<Pod> pods;
    private final FrameworkHandle handle;
    private final PodGroupStatusWriter statusWriter;
    private final Executor statusExecutor;
    private final CoschedulingArgs args;
    private final Clock clock;
    private final LongSupplier nanos;

    /** Pods that passed Permit (assumed), by group "namespace/name"; bound members are counted from the informer. */
    private final Map<String, Set<String>> permittedPods = new HashMap<>();
    /** Groups whose minResources check passed, until the given nanoTime. */
    private final Map<String, Long> permittedGroups = new ConcurrentHashMap<>();
    /** Groups in backoff after a failure, until the given nanoTime. */
    private final Map<String, Long> backedOffGroups = new ConcurrentHashMap<>();
    /** When each group last failed (epoch millis): it sorts by that instead of its creation, so it does not block the queue. */
    private final Map<String, Long> lastFailed = new ConcurrentHashMap<>();

    public Coscheduling(Lister<PodGroup> groups, Lister<Pod> pods, FrameworkHandle handle, PodGroupStatusWriter statusWriter,
            Executor statusExecutor, CoschedulingArgs args, Clock clock, LongSupplier nanos) {
        this.groups = Objects.requireNonNull(groups);
        this.pods = Objects.requireNonNull(pods);
        this.handle = Objects.requireNonNull(handle);
        this.statusWriter = Objects.requireNonNull(statusWriter);
        this.statusExecutor = Objects.requireNonNull(statusExecutor);
        this.args = Objects.requireNonNull(args);
        this.clock = Objects.requireNonNull(clock);
        this.nanos = Objects.requireNonNull(nanos);
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---- helpers ----

    static String groupLabel(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String v = labels == null ? null : labels.get(PodGroup.POD_GROUP_LABEL);
        return v == null ? "" : v;
    }

    /** "namespace/group", or "" for a pod in no group. */
    static String groupFullName(Pod pod) {
        String g = groupLabel(pod);
        return g.isEmpty() ? "" : pod.getMetadata().getNamespace() + "/" + g;
    }

    private PodGroup group(Pod pod) {
        String g = groupLabel(pod);
        return g.isEmpty() ? null : groups.get(pod.getMetadata().getNamespace(), g);
    }

    private static int minMember(PodGroup pg) {
        Integer m = pg.getSpec() == null ? null : pg.getSpec().getMinMember();
        return m == null ? 0 : m;
    }

    /** The pods of the group in the informer's cache. */
    private List<Pod> members(String namespace, String group) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods.list(namespace)) {
            if (group.equals(groupLabel(p))) {
                out.add(p);
            }
        }
        return out;
    }

    private boolean inGroup(WaitingPod wp, String namespace, String group) {
        Pod p = wp.pod();
        return namespace.equals(p.getMetadata().getNamespace()) && group.equals(groupLabel(p));
    }

    /** Upstream's GetAssignedPodCount: members assumed by Permit or bound (deleted pods drop out). */
    int assignedCount(String namespace, String group) {
        String full = namespace + "/" + group;
        Set<String> names = new HashSet<>();
        Set<String> existing = new HashSet<>();
        for (Pod p : members(namespace, group)) {
            existing.add(p.getMetadata().getName());
            if (p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) {
                names.add(p.getMetadata().getName());
            }
        }
        synchronized (permittedPods) {
            Set<String> permitted = permittedPods.get(full);
            if (permitted != null) {
                permitted.retainAll(existing);
                names.addAll(permitted);
                if (permitted.isEmpty()) {
                    permittedPods.remove(full);
                }
            }
        }
        return names.size();
    }

    private boolean activeUntil(Map<String, Long> expiring, String key) {
        Long until = expiring.get(key);
        if (until == null) {
            return false;
        }
        if (nanos.getAsLong() - until >= 0) {
            expiring.remove(key, until);
            return false;
        }
        return true;
    }

    private Duration scheduleTimeout() {
        return args.permitWaitingTimeSeconds() == 0 ? Duration.ofSeconds(CoschedulingArgs.DEFAULTS.permitWaitingTimeSeconds())
                : Duration.ofSeconds(args.permitWaitingTimeSeconds());
    }

    /** Upstream's GetWaitTimeDuration: the group's scheduleTimeoutSeconds, else the args', else 60 s. */
    Duration waitTime(PodGroup pg) {
        if (pg != null && pg.getSpec() != null && pg.getSpec().getScheduleTimeoutSeconds() != null) {
            return Duration.ofSeconds(pg.getSpec().getScheduleTimeoutSeconds());
        }
        return scheduleTimeout();
    }

    // ---- QueueSort ----

    @Override
    public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
        int p1 = priority(a.pod());
        int p2 = priority(b.pod());
        if (p1 != p2) {
            return p1 > p2;
        }
        long t1 = creationTimestamp(a.pod(), a.initialAttemptTimestamp());
        long t2 = creationTimestamp(b.pod(), b.initialAttemptTimestamp());
        if (t1 == t2) {
            return key(a.pod()).compareTo(key(b.pod())) < 0;
        }
        return t1 < t2;
    }

    private static int priority(Pod pod) {
        Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return p == null ? 0 : p;
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** Upstream's GetCreationTimestamp, in epoch millis. */
    long creationTimestamp(Pod pod, long fallback) {
        String g = groupLabel(pod);
        if (g.isEmpty()) {
            return fallback;
        }
        Long failed = lastFailed.get(pod.getMetadata().getNamespace() + "/" + g);
        if (failed != null) {
            return failed;
        }
        PodGroup pg = groups.get(pod.getMetadata().getNamespace(), g);
        String created = pg == null ? null : pg.getMetadata().getCreationTimestamp();
        if (created == null) {
            return fallback;
        }
        try {
            return Instant.parse(created).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    // ---- PreEnqueue ----

    @Override
    public Status preEnqueue(Pod pod) {
        String g = groupLabel(pod);
        if (g.isEmpty()) {
            return Status.SUCCESS;
        }
        PodGroup pg = groups.get(pod.getMetadata().getNamespace(), g);
        if (pg == null) {
            return Status.unresolvable("pre-enqueue: pod group not found");
        }
        int total = members(pod.getMetadata().getNamespace(), g).size();
        if (total < minMember(pg)) {
            return Status.unresolvable("pre-enqueue: pod group " + pod.getMetadata().getNamespace() + "/" + g + " has " + total
                    + " pods, minMember is " + minMember(pg) + ": pods are not enough");
        }
        return Status.SUCCESS;
    }

    // ---- PreFilter ----

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        String error = preFilterError(pod, nodes);
        // Unresolvable: preemption cannot help a group that is incomplete or backed off.
        return error == null ? PreFilterResult.SUCCESS : PreFilterResult.of(Status.unresolvable(error));
    }

    private String preFilterError(Pod pod, List<NodeInfo> nodes) {
        PodGroup pg = group(pod);
        if (pg == null) {
            return null;
        }
        String full = groupFullName(pod);
        if (activeUntil(backedOffGroups, full)) {
            return "podGroup " + full + " failed recently";
        }
        List<Pod> members = members(pod.getMetadata().getNamespace(), groupLabel(pod));
        int gap = minMember(pg) - members.size();
        if (gap > 0) {
            return "pre-filter pod " + pod.getMetadata().getName() + " cannot find enough sibling pods, current pods number: "
                    + members.size() + ", minMember of group: " + minMember(pg);
        }
        // Gated members cannot be scheduled yet: the surplus over minMember must cover them.
        for (Pod p : members) {
            if (p.getSpec() != null && p.getSpec().getSchedulingGates() != null && !p.getSpec().getSchedulingGates().isEmpty()) {
                gap++;
            }
            if (gap > 0) {
                return "pre-filter pod " + pod.getMetadata().getName() + " cannot proceed due to gated pods in the same PodGroup";
            }
        }
        if (pg.getSpec().getMinResources() == null || pg.getSpec().getMinResources().isEmpty()) {
            return null;
        }
        if (activeUntil(permittedGroups, full)) {
            return null;
        }
        Map<String, Long> request = new LinkedHashMap<>();
        Resource min = Resource.of(pg.getSpec().getMinResources());
        for (String name : pg.getSpec().getMinResources().keySet()) {
            request.put(name, min.get(name));
        }
        request.put(Resource.PODS, (long) minMember(pg));
        String gapMessage = checkClusterResource(nodes, request, full);
        if (gapMessage != null) {
            return gapMessage;
        }
        permittedGroups.put(full, nanos.getAsLong() + scheduleTimeout().toNanos());
        return null;
    }

    /** Upstream's CheckClusterResource: whether the nodes' free resources (not counting the group's own pods) cover the request. */
    static String checkClusterResource(List<NodeInfo> nodes, Map<String, Long> request, String groupFullName) {
        for (NodeInfo info : nodes) {
            if (info == null || info.node() == null) {
                continue;
            }
            Resource groupRequests = new Resource();
            int groupPods = 0;
            for (PodInfo p : info.pods()) {
                if (groupFullName.equals(groupFullName(p.pod()))) {
                    groupRequests.add(p.requests());
                    groupPods++;
                }
            }
            Resource allocatable = info.allocatable();
            Resource requested = info.requested();
            int otherPods = info.pods().size() - groupPods;
            request.replaceAll((name, want) -> {
                long left = Resource.PODS.equals(name)
                        ? allocatable.allowedPodNumber() - otherPods
                        : allocatable.get(name) - (requested.get(name) - groupRequests.get(name));
                return want - left;
            });
            request.values().removeIf(v -> v <= 0);
            if (request.isEmpty()) {
                return null;
            }
        }
        StringBuilder gap = new StringBuilder("resource gap: ");
        String sep = "";
        for (Map.Entry<String, Long> e : request.entrySet()) {
            gap.append(sep).append(e.getKey()).append('=').append(Resource.CPU.equals(e.getKey()) ? e.getValue() + "m" : e.getValue());
            sep = ", ";
        }
        return gap.toString();
    }

    // ---- PostFilter ----

    @Override
    public PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> filteredNodeStatuses) {
        PodGroup pg = group(pod);
        if (pg == null) {
            return PostFilterResult.of(Status.unschedulable("can not find pod group"));
        }
        String ns = pod.getMetadata().getNamespace();
        String g = groupLabel(pod);
        String full = ns + "/" + g;
        int min = minMember(pg);
        int assigned = assignedCount(ns, g);
        if (assigned >= min) {
            // Enough members are placed already: no reason to reject the whole group.
            return PostFilterResult.of(Status.unschedulable());
        }
        double notAssigned = min == 0 ? 0 : (double) (min - assigned) / min;
        if (notAssigned <= args.podGroupRejectPercentage() / 100.0) {
            // A small gap to the quorum: later members may still close it.
            return PostFilterResult.of(Status.unschedulable());
        }
        // If this member cannot be placed, the others most likely cannot either.
        handle.forEachWaitingPod(wp -> {
            if (inGroup(wp, ns, g)) {
                wp.reject(NAME, "optimistic rejection in PostFilter");
            }
        });
        if (args.podGroupBackoffSeconds() > 0 && members(ns, g).size() >= min) {
            backedOffGroups.put(full, nanos.getAsLong() + Duration.ofSeconds(args.podGroupBackoffSeconds()).toNanos());
        }
        permittedGroups.remove(full);
        lastFailed.put(full, clock.millis());
        return PostFilterResult.of(Status.unschedulable("PodGroup " + full + " gets rejected due to Pod "
                + pod.getMetadata().getName() + " is unschedulable even after PostFilter"));
    }

    // ---- Permit ----

    @Override
    public PermitResult permit(CycleState state, Pod pod, String nodeName) {
        String full = groupFullName(pod);
        if (full.isEmpty()) {
            return PermitResult.ALLOW;
        }
        PodGroup pg = group(pod);
        if (pg == null) {
            return PermitResult.of(Status.unschedulable("PodGroup not found"));
        }
        String ns = pod.getMetadata().getNamespace();
        String g = groupLabel(pod);
        synchronized (permittedPods) {
            permittedPods.computeIfAbsent(full, k -> new HashSet<>()).add(pod.getMetadata().getName());
        }
        int assigned = assignedCount(ns, g);
        if (assigned >= minMember(pg)) {
            lastFailed.remove(full);
            handle.forEachWaitingPod(wp -> {
                if (inGroup(wp, ns, g)) {
                    wp.allow(NAME);
                }
            });
            writeStatus(ns, g, PodGroupStatus.SCHEDULED, assigned);
            return PermitResult.ALLOW;
        }
        if (assigned == 1) {
            // The first member to arrive brings its siblings back from the unschedulable and backoff queues.
            List<Pod> siblings = new ArrayList<>();
            for (Pod p : members(ns, g)) {
                if (!Objects.equals(p.getMetadata().getUid(), pod.getMetadata().getUid())) {
                    siblings.add(p);
                }
            }
            if (!siblings.isEmpty()) {
                handle.activate(siblings);
            }
        }
        writeStatus(ns, g, PodGroupStatus.SCHEDULING, assigned);
        return PermitResult.waitFor(waitTime(pg));
    }

    /** Records progress in the group's status, off the scheduling cycle (best effort: the next member writes again). */
    private void writeStatus(String namespace, String group, String phase, int scheduled) {
        String now = Instant.ofEpochMilli(clock.millis()).toString();
        statusExecutor.execute(() -> {
            try {
                statusWriter.updateStatus(namespace, group, pg -> {
                    PodGroupStatus s = pg.getStatus() == null ? new PodGroupStatus() : pg.getStatus();
                    if (PodGroupStatus.SCHEDULING.equals(phase) && s.getScheduleStartTime() == null) {
                        s.setScheduleStartTime(now);
                    }
                    // Scheduled stays Scheduled when a late member of a complete group waits.
                    if (!(PodGroupStatus.SCHEDULED.equals(s.getPhase()) && PodGroupStatus.SCHEDULING.equals(phase))) {
                        s.setPhase(phase);
                    }
                    s.setScheduled(scheduled);
                    pg.setStatus(s);
                    return pg;
                });
            } catch (RuntimeException e) {
                // The group may be gone or changed meanwhile; its status is informational.
            }
        });
    }

    // ---- Reserve ----

    @Override
    public Status reserve(CycleState state, Pod pod, String nodeName) {
        return Status.SUCCESS;
    }

    /** A member failed after Reserve (e.g. timed out in Permit): the group's waiting members go back too. */
    @Override
    public void unreserve(CycleState state, Pod pod, String nodeName) {
        PodGroup pg = group(pod);
        if (pg == null) {
            return;
        }
        String ns = pod.getMetadata().getNamespace();
        String g = groupLabel(pod);
        String full = ns + "/" + g;
        synchronized (permittedPods) {
            Set<String> permitted = permittedPods.get(full);
            if (permitted != null) {
                permitted.remove(pod.getMetadata().getName());
                if (permitted.isEmpty()) {
                    permittedPods.remove(full);
                }
            }
        }
        handle.forEachWaitingPod(wp -> {
            if (inGroup(wp, ns, g)) {
                wp.reject(NAME, "rejection in Unreserve");
            }
        });
        permittedGroups.remove(full);
        lastFailed.put(full, clock.millis());
    }

    // ---- events ----

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                // A new member may complete the group.
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.ADD, Coscheduling::afterPodAdded),
                // The group appeared, or its minMember or minResources changed.
                EventWithHint.of(POD_GROUP_KIND, ClusterEvent.ADD | ClusterEvent.UPDATE, Coscheduling::afterPodGroupChange));
    }

    static QueueingHint afterPodAdded(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Pod added)) {
            return QueueingHint.QUEUE;
        }
        String g = groupLabel(pod);
        return !g.isEmpty() && g.equals(groupLabel(added))
                && Objects.equals(pod.getMetadata().getNamespace(), added.getMetadata().getNamespace())
                ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    static QueueingHint afterPodGroupChange(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof io.fabric8.kubernetes.api.model.HasMetadata pg)) {
            return QueueingHint.QUEUE;
        }
        return groupLabel(pod).equals(pg.getMetadata().getName())
                && Objects.equals(pod.getMetadata().getNamespace(), pg.getMetadata().getNamespace())
                ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }
}
