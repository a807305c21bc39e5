package dev.okube.scheduler.plugins.defaultpreemption;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PostFilterPlugin;
import dev.okube.api.scheduler.PostFilterResult;
import dev.okube.api.scheduler.Selector;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import java.util.function.ToLongFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * DefaultPreemption, as upstream's defaultpreemption plugin and preemption.Evaluator (1.32): when no node fits
 * a pod, find nodes where evicting lower-priority pods would make it fit (a dry run through the profile's
 * filters, honouring PodDisruptionBudgets), pick the best by upstream's criteria, evict its victims and nominate
 * the node for the pod.
 */
public final class DefaultPreemption implements PostFilterPlugin {
    public static final String NAME = "DefaultPreemption";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String DISRUPTION_TARGET = "DisruptionTarget";
    static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A node where preemption would work, with the pods to evict (most important first). */
    record Candidate(String name, List<Pod> victims, int numPdbViolations) {
    }

    private final PreemptionArgs args;
    private final FrameworkHandle handle;
    private final Cluster cluster;
    private final IntUnaryOperator randomOffset;
    private final Clock clock;

    public DefaultPreemption(PreemptionArgs args, FrameworkHandle handle, Cluster cluster) {
        this(args, handle, cluster, n -> ThreadLocalRandom.current().nextInt(n), Clock.systemUTC());
    }

    /** @param randomOffset where among {@code n} potential nodes the dry run starts (random, as upstream; fixed in tests) */
    DefaultPreemption(PreemptionArgs args, FrameworkHandle handle, Cluster cluster, IntUnaryOperator randomOffset,
                      Clock clock) {
        this.args = Objects.requireNonNull(args, "args");
        this.handle = Objects.requireNonNull(handle, "handle");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.randomOffset = randomOffset;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> filteredNodeStatuses) {
        PostFilterResult result = preempt(state, pod, filteredNodeStatuses);
        Status status = result.status();
        if (!status.isSuccess() && !status.message().isEmpty()) {
            return new PostFilterResult(Status.of(status.code(), "preemption: " + status.message()),
                    result.nominatedNodeName());
        }
        return result;
    }

    private PostFilterResult preempt(CycleState state, Pod pod, Map<String, Status> statuses) {
        // 1) Is the pod eligible to preempt others?
        String nominated = nominatedNodeName(pod);
        // A node absent from the statuses was not filtered (e.g. cut by PreFilter): unresolvable, as upstream's NodeToStatus.
        Status nominatedStatus = nominated.isEmpty() ? null
                : statuses.getOrDefault(nominated, Status.unresolvable());
        String notEligible = notEligibleToPreemptOthers(pod, nominatedStatus);
        if (notEligible != null) {
            return PostFilterResult.of(Status.unschedulable(notEligible));
        }
        // 2) Find the candidates.
        List<NodeInfo> allNodes = handle.snapshot().list();
        if (allNodes.isEmpty()) {
            return PostFilterResult.of(Status.error("no nodes available"));
        }
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo n : allNodes) {
            Status s = statuses.get(n.name());
            if (s != null && s.code() == Status.Code.UNSCHEDULABLE) {
                potential.add(n);
            }
        }
        List<Candidate> candidates;
        Map<String, Status> nodeStatuses;
        if (potential.isEmpty()) {
            // Preemption will not help anywhere: drop the pod's stale nomination, if any.
            clearNominatedNodeName(List.of(pod));
            candidates = List.of();
            nodeStatuses = Map.of();
        } else {
            List<PodDisruptionBudget> pdbs = handle.lister(PodDisruptionBudget.class).list();
            int offset = randomOffset.applyAsInt(potential.size());
            DryRun run = dryRunPreemption(state, pod, potential, pdbs, offset, args.numCandidates(potential.size()));
            if (run.error != null && run.candidates.isEmpty()) {
                return PostFilterResult.of(Status.error(run.error));
            }
            candidates = run.candidates;
            nodeStatuses = run.nodeStatuses;
        }
        if (candidates.isEmpty()) {
            // Clear the pod's nomination (an empty nominated node name), as upstream.
            return new PostFilterResult(Status.unschedulable(fitError(allNodes.size(), nodeStatuses)), "");
        }
        // 4) The best candidate.
        Candidate best = selectCandidate(candidates);
        if (best == null || best.name().isEmpty()) {
            return PostFilterResult.of(Status.unschedulable("no candidate node for preemption"));
        }
        // 5) Evict its victims.
        Status prepared = prepareCandidate(best, pod);
        if (!prepared.isSuccess()) {
            return PostFilterResult.of(prepared);
        }
        return PostFilterResult.nominated(best.name());
    }

    /** Upstream's PodEligibleToPreemptOthers: the reason the pod may not preempt, or null when it may. */
    String notEligibleToPreemptOthers(Pod pod, Status nominatedNodeStatus) {
        if (pod.getSpec() != null && "Never".equals(pod.getSpec().getPreemptionPolicy())) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = nominatedNodeName(pod);
        if (!nominated.isEmpty()) {
            // A nominated node the filters now find unresolvable is preempted on again.
            if (nominatedNodeStatus != null && nominatedNodeStatus.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return null;
            }
            NodeInfo node = handle.snapshot().get(nominated);
            if (node != null) {
                int priority = priority(pod);
                for (PodInfo p : node.pods()) {
                    if (priority(p.pod()) < priority && terminatingByPreemption(p.pod())) {
                        return "not eligible due to a terminating pod on the nominated node.";
                    }
                }
            }
        }
        return null;
    }

    private static boolean terminatingByPreemption(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if (DISRUPTION_TARGET.equals(c.getType())) {
                return "True".equals(c.getStatus()) && PREEMPTION_BY_SCHEDULER.equals(c.getReason());
            }
        }
        return false;
    }

    /** The outcome of a dry run: candidates (non-PDB-violating first) and why the other checked nodes failed. */
    record DryRun(List<Candidate> candidates, Map<String, Status> nodeStatuses, String error) {
    }

    /** Upstream's DryRunPreemption: checks potential nodes from {@code offset} on, in parallel, until enough candidates. */
    DryRun dryRunPreemption(CycleState state, Pod pod, List<NodeInfo> potential, List<PodDisruptionBudget> pdbs,
                            int offset, int numCandidates) {
        CandidateList nonViolating = new CandidateList(numCandidates);
        CandidateList violating = new CandidateList(numCandidates);
        Map<String, Status> nodeStatuses = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> error = new AtomicReference<>();
        handle.parallelize(potential.size(), i -> {
            if (done.get()) {
                return;
            }
            NodeInfo node = potential.get((offset + i) % potential.size()).copy();
            CycleState stateCopy = state.copy();
            Victims v;
            try {
                v = selectVictimsOnNode(stateCopy, pod, node, pdbs);
            } catch (RuntimeException e) {
                v = new Victims(null, 0, Status.error(e));
            }
            Status status = v.status;
            if (status.isSuccess() && !v.pods.isEmpty()) {
                Candidate c = new Candidate(node.name(), v.pods, v.numPdbViolations);
                if (v.numPdbViolations == 0) {
                    nonViolating.add(c);
                } else {
                    violating.add(c);
                }
                int nvc = nonViolating.size();
                if (nvc > 0 && nvc + violating.size() >= numCandidates) {
                    done.set(true);
                }
                return;
            }
            if (status.isSuccess()) {
                status = Status.error("expected at least one victim pod on node \"" + node.name() + "\"");
            }
            if (status.code() == Status.Code.ERROR) {
                error.compareAndSet(null, status.message());
            }
            nodeStatuses.put(node.name(), status);
        });
        List<Candidate> all = new ArrayList<>(nonViolating.get());
        all.addAll(violating.get());
        return new DryRun(all, nodeStatuses, error.get());
    }

    /** Candidates found in parallel, kept to at most {@code capacity} as upstream's candidateList. */
    private static final class CandidateList {
        private final int capacity;
        private final List<Candidate> items = new ArrayList<>();

        CandidateList(int capacity) {
            this.capacity = capacity;
        }

        synchronized void add(Candidate c) {
            if (items.size() < capacity) {
                items.add(c);
            }
        }

        synchronized int size() {
            return items.size();
        }

        synchronized List<Candidate> get() {
            return new ArrayList<>(items);
        }
    }

    /** The pods to evict on one node, how many of them violate a PDB, and the outcome. */
    record Victims(List<Pod> pods, int numPdbViolations, Status status) {
    }

    /**
     * Upstream's SelectVictimsOnNode: remove every lower-priority pod from (a copy of) the node; if the pod then
     * fits, add them back most important first (PDB-violating ones first) while it still fits. The rest are victims.
     */
    Victims selectVictimsOnNode(CycleState state, Pod pod, NodeInfo nodeInfo, List<PodDisruptionBudget> pdbs) {
        int podPriority = priority(pod);
        List<PodInfo> potentialVictims = new ArrayList<>();
        for (PodInfo pi : new ArrayList<>(nodeInfo.pods())) {
            if (priority(pi.pod()) < podPriority) {
                potentialVictims.add(pi);
                Status s = removePod(state, pod, pi, nodeInfo);
                if (!s.isSuccess()) {
                    return new Victims(null, 0, asError(s));
                }
            }
        }
        if (potentialVictims.isEmpty()) {
            return new Victims(null, 0, Status.unresolvable(NO_VICTIMS));
        }
        Status fits = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
        if (!fits.isSuccess()) {
            return new Victims(null, 0, fits);
        }
        Instant now = clock.instant();
        potentialVictims.sort(moreImportantFirst(now));
        List<PodInfo> violatingVictims = new ArrayList<>();
        List<PodInfo> nonViolatingVictims = new ArrayList<>();
        filterPodsWithPdbViolation(potentialVictims, pdbs, violatingVictims, nonViolatingVictims);
        List<Pod> victims = new ArrayList<>();
        int numViolating = 0;
        for (PodInfo p : violatingVictims) {
            Status reprieved = reprieve(state, pod, p, nodeInfo, victims);
            if (reprieved.code() == Status.Code.ERROR) {
                return new Victims(null, 0, reprieved);
            }
            if (!reprieved.isSuccess()) {
                numViolating++;
            }
        }
        for (PodInfo p : nonViolatingVictims) {
            Status reprieved = reprieve(state, pod, p, nodeInfo, victims);
            if (reprieved.code() == Status.Code.ERROR) {
                return new Victims(null, 0, reprieved);
            }
        }
        if (!violatingVictims.isEmpty() && !nonViolatingVictims.isEmpty()) {
            victims.sort((a, b) -> moreImportantFirst(now).compare(PodInfo.of(a), PodInfo.of(b)));
        }
        return new Victims(victims, numViolating, Status.SUCCESS);
    }

    /**
     * Puts {@code p} back on the node: Success when the pod still fits (p is reprieved); else takes p off again as
     * a victim and answers Unschedulable; Error when a PreFilter extension fails.
     */
    private Status reprieve(CycleState state, Pod pod, PodInfo p, NodeInfo nodeInfo, List<Pod> victims) {
        nodeInfo.addPod(p);
        Status added = handle.runPreFilterExtensionAddPod(state, pod, p, nodeInfo);
        if (!added.isSuccess()) {
            return asError(added);
        }
        if (handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess()) {
            return Status.SUCCESS;
        }
        Status removed = removePod(state, pod, p, nodeInfo);
        if (!removed.isSuccess()) {
            return asError(removed);
        }
        victims.add(p.pod());
        return Status.unschedulable();
    }

    private Status removePod(CycleState state, Pod pod, PodInfo victim, NodeInfo nodeInfo) {
        if (!nodeInfo.removePod(victim.pod())) {
            return Status.error("pod " + victim.key() + " not found on node " + nodeInfo.name());
        }
        return handle.runPreFilterExtensionRemovePod(state, pod, victim, nodeInfo);
    }

    private static Status asError(Status s) {
        return s.code() == Status.Code.ERROR ? s : Status.error(s.message());
    }

    /**
     * Upstream's filterPodsWithPDBViolation: walking the victims in order, each PDB matching a victim (same
     * namespace, non-empty selector, victim not already in disruptedPods) spends one allowed disruption; a
     * victim that takes a budget below zero violates it.
     */
    static void filterPodsWithPdbViolation(List<PodInfo> pods, List<PodDisruptionBudget> pdbs,
                                           List<PodInfo> violating, List<PodInfo> nonViolating) {
        int[] allowed = new int[pdbs.size()];
        Selector[] selectors = new Selector[pdbs.size()];
        for (int i = 0; i < pdbs.size(); i++) {
            PodDisruptionBudget pdb = pdbs.get(i);
            allowed[i] = pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null ? 0
                    : pdb.getStatus().getDisruptionsAllowed();
            selectors[i] = Selector.of(pdb.getSpec() == null ? null : pdb.getSpec().getSelector());
        }
        for (PodInfo pi : pods) {
            Pod pod = pi.pod();
            boolean violated = false;
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (labels != null && !labels.isEmpty()) {
                for (int i = 0; i < pdbs.size(); i++) {
                    PodDisruptionBudget pdb = pdbs.get(i);
                    if (!Objects.equals(pdb.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) {
                        continue;
                    }
                    if (selectors[i].isNothing() || selectors[i].isEverything() || !selectors[i].matches(labels)) {
                        continue;
                    }
                    Map<String, String> disrupted = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptedPods();
                    if (disrupted != null && disrupted.containsKey(pod.getMetadata().getName())) {
                        continue;
                    }
                    allowed[i]--;
                    if (allowed[i] < 0) {
                        violated = true;
                    }
                }
            }
            (violated ? violating : nonViolating).add(pi);
        }
    }

    /** Upstream's SelectCandidate with the default criteria of pickOneNodeForPreemption. */
    Candidate selectCandidate(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        // One candidate per node (upstream keys them by node name).
        Map<String, Candidate> byNode = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            byNode.putIfAbsent(c.name(), c);
        }
        Instant now = clock.instant();
        List<ToLongFunction<Candidate>> scoreFuncs = List.of(
                // Fewest PDB violations.
                c -> -c.numPdbViolations(),
                // Lowest priority of the most important victim.
                c -> -(long) priority(c.victims().get(0)),
                // Smallest sum of priorities (each shifted to be non-negative).
                c -> {
                    long sum = 0;
                    for (Pod p : c.victims()) {
                        sum += (long) priority(p) + (long) Integer.MAX_VALUE + 1;
                    }
                    return -sum;
                },
                // Fewest victims.
                c -> -(long) c.victims().size(),
                // Latest start time of the highest-priority victims.
                c -> earliestStartTimeOfHighestPriority(c.victims(), now));
        List<Candidate> remaining = new ArrayList<>(byNode.values());
        for (ToLongFunction<Candidate> f : scoreFuncs) {
            List<Candidate> selected = new ArrayList<>();
            long max = Long.MIN_VALUE;
            for (Candidate c : remaining) {
                long score = f.applyAsLong(c);
                if (score > max) {
                    max = score;
                    selected.clear();
                }
                if (score == max) {
                    selected.add(c);
                }
            }
            if (selected.size() == 1) {
                return selected.get(0);
            }
            remaining = selected;
        }
        return remaining.get(0);
    }

    /** Upstream's GetEarliestPodStartTime, in nanoseconds: the earliest start among the highest-priority victims. */
    static long earliestStartTimeOfHighestPriority(List<Pod> victims, Instant now) {
        if (victims.isEmpty()) {
            return Long.MIN_VALUE;
        }
        Instant earliest = startTime(victims.get(0), now);
        int maxPriority = priority(victims.get(0));
        for (Pod p : victims) {
            int priority = priority(p);
            if (priority == maxPriority) {
                Instant t = startTime(p, now);
                if (t.isBefore(earliest)) {
                    earliest = t;
                }
            } else if (priority > maxPriority) {
                maxPriority = priority;
                earliest = startTime(p, now);
            }
        }
        return earliest.getEpochSecond() * 1_000_000_000L + earliest.getNano();
    }

    /**
     * Upstream's prepareCandidate: reject victims waiting in Permit; mark the others with a DisruptionTarget
     * condition and delete them (NotFound is fine); then clear the nomination of lower-priority pods nominated
     * to the node, which may no longer fit there.
     */
    Status prepareCandidate(Candidate c, Pod pod) {
        AtomicReference<Status> failure = new AtomicReference<>();
        String schedulerName = pod.getSpec() == null || pod.getSpec().getSchedulerName() == null
                ? handle.schedulerName() : pod.getSpec().getSchedulerName();
        handle.parallelize(c.victims().size(), i -> {
            if (failure.get() != null) {
                return;
            }
            Pod victim = c.victims().get(i);
            try {
                WaitingPod waiting = handle.waitingPod(victim.getMetadata().getUid());
                if (waiting != null) {
                    waiting.reject(NAME, "preempted");
                    return;
                }
                String patch = disruptionTargetPatch(victim, schedulerName);
                if (patch != null) {
                    cluster.patchPodStatus(victim.getMetadata().getNamespace(), victim.getMetadata().getName(), patch);
                }
                cluster.deletePod(victim.getMetadata().getNamespace(), victim.getMetadata().getName());
            } catch (RuntimeException e) {
                failure.compareAndSet(null, Status.error(e));
            }
        });
        if (failure.get() != null) {
            return failure.get();
        }
        List<Pod> lower = new ArrayList<>();
        int priority = priority(pod);
        for (PodInfo p : handle.nominatedPodsForNode(c.name())) {
            if (priority(p.pod()) < priority) {
                lower.add(p.pod());
            }
        }
        clearNominatedNodeName(lower);
        return Status.SUCCESS;
    }

    /** The status patch adding the DisruptionTarget condition, or null when the victim already has it. */
    String disruptionTargetPatch(Pod victim, String schedulerName) {
        String message = schedulerName + ": preempting to accommodate a higher priority pod";
        if (victim.getStatus() != null && victim.getStatus().getConditions() != null) {
            for (PodCondition existing : victim.getStatus().getConditions()) {
                if (DISRUPTION_TARGET.equals(existing.getType()) && "True".equals(existing.getStatus())
                        && PREEMPTION_BY_SCHEDULER.equals(existing.getReason()) && message.equals(existing.getMessage())) {
                    return null;
                }
            }
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", DISRUPTION_TARGET);
        condition.put("status", "True");
        condition.put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        condition.put("reason", PREEMPTION_BY_SCHEDULER);
        condition.put("message", message);
        return JSON.writeValueAsString(Map.of("status", Map.of("conditions", List.of(condition))));
    }

    /** Upstream's ClearNominatedNodeName: best effort, failures are not fatal. */
    private void clearNominatedNodeName(List<Pod> pods) {
        for (Pod p : pods) {
            if (nominatedNodeName(p).isEmpty()) {
                continue;
            }
            try {
                cluster.patchPodStatus(p.getMetadata().getNamespace(), p.getMetadata().getName(),
                        "{\"status\":{\"nominatedNodeName\":null}}");
            } catch (RuntimeException e) {
                // Not critical: the pod is retried and nominated again.
            }
        }
    }

    /** Upstream's FitError message: "0/N nodes are available: " + sorted "count reason" histogram + ".". */
    static String fitError(int numAllNodes, Map<String, Status> nodeStatuses) {
        Map<String, Integer> reasons = new HashMap<>();
        for (Status s : nodeStatuses.values()) {
            for (String r : s.reasons()) {
                reasons.merge(r, 1, Integer::sum);
            }
        }
        int absent = numAllNodes - nodeStatuses.size();
        if (absent > 0) {
            reasons.merge(NOT_HELPFUL, absent, Integer::sum);
        }
        List<String> histogram = new ArrayList<>();
        reasons.forEach((r, n) -> histogram.add(n + " " + r));
        Collections.sort(histogram);
        String msg = "0/" + numAllNodes + " nodes are available:";
        if (!histogram.isEmpty()) {
            msg += " " + String.join(", ", histogram) + ".";
        }
        return msg;
    }

    /** Upstream's MoreImportantPod: higher priority first, then the one that started earlier. */
    static Comparator<PodInfo> moreImportantFirst(Instant now) {
        return (a, b) -> {
            int pa = priority(a.pod());
            int pb = priority(b.pod());
            if (pa != pb) {
                return Integer.compare(pb, pa);
            }
            return startTime(a.pod(), now).compareTo(startTime(b.pod(), now));
        };
    }

    static int priority(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
    }

    /** The pod's status.startTime, or now for pods that have not started (upstream's GetPodStartTime). */
    static Instant startTime(Pod pod, Instant now) {
        String t = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        if (t == null || t.isEmpty()) {
            return now;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    private static String nominatedNodeName(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getNominatedNodeName() == null ? ""
                : pod.getStatus().getNominatedNodeName();
    }
}
