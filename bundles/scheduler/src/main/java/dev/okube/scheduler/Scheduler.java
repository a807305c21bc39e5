package dev.okube.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PostFilterResult;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.cache.SchedulerCache;
import dev.okube.scheduler.cache.Snapshot;
import dev.okube.scheduler.framework.ExtensionPoint;
import dev.okube.scheduler.framework.FitError;
import dev.okube.scheduler.framework.Framework;
import dev.okube.scheduler.framework.FrameworkContext;
import dev.okube.scheduler.framework.Parallelizer;
import dev.okube.scheduler.framework.PluginRegistry;
import dev.okube.scheduler.framework.ProfileConfig;
import dev.okube.scheduler.framework.WaitingPods;
import dev.okube.scheduler.queue.PodEvents;
import dev.okube.scheduler.queue.QueuedPod;
import dev.okube.scheduler.queue.SchedulingQueue;
import dev.okube.scheduler.status.SchedulerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/**
 * The scheduler, as upstream's pkg/scheduler (scheduler.go, schedule_one.go): informers feed the cache
 * (assigned pods, nodes) and the queue (unscheduled pods of its profiles); one loop pops a pod, runs its
 * profile's framework through the scheduling cycle against a snapshot, assumes it on the chosen node, and
 * hands it to the binding cycle on an executor of its own so the next cycle starts at once.
 *
 * <p>Profiles and plugin factories can change at any time: each change builds new frameworks, used from
 * the next cycle; cycles in flight finish with the instances they started with.
 */
public final class Scheduler implements FrameworkContext, SchedulerStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Upstream's minFeasibleNodesToFind. */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** Upstream's minFeasibleNodesPercentageToFind. */
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    static final String GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";
    private static final int MAX_MESSAGE = 1024;
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The global settings (PID dev.okube.scheduler). */
    public record Settings(int parallelism, Duration podInitialBackoff, Duration podMaxBackoff,
                           int percentageOfNodesToScore, int bindConcurrency, Duration assumedPodTtl) {
        public static final Settings DEFAULT = new Settings(16, Duration.ofSeconds(1), Duration.ofSeconds(10), 0, 32,
                Duration.ofSeconds(30));
    }

    private final Cluster cluster;
    private final Settings settings;
    private final Clock clock;
    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final Snapshot snapshot = new Snapshot();
    private final Parallelizer parallelizer;
    private final ScheduledExecutorService timers;
    private final WaitingPods waitingPods;
    private final ThreadPoolExecutor binder;
    private final Writer events;
    private final Writer statuses;
    private final Map<Class<?>, Lister<?>> listers = new ConcurrentHashMap<>();
    private final List<AutoCloseable> watches = new ArrayList<>();
    private final Map<String, Stats> stats = new ConcurrentHashMap<>();

    private volatile Map<String, Framework> frameworks = Map.of();
    private List<ProfileConfig> profiles = List.of(ProfileConfig.defaultProfile());
    private PluginRegistry registry = PluginRegistry.EMPTY;
    private int nextStartNodeIndex;
    private Status[] statusBuffer = new Status[0];
    private volatile boolean running;
    private Thread loop;
    private final String instance;

    public Scheduler(Cluster cluster, Settings settings, Clock clock) {
        this.cluster = cluster;
        this.settings = settings;
        this.clock = clock;
        this.cache = new SchedulerCache(settings.assumedPodTtl(), clock);
        this.queue = new SchedulingQueue(clock, settings.podInitialBackoff(), settings.podMaxBackoff(), this::framework);
        this.parallelizer = new Parallelizer(settings.parallelism());
        AtomicInteger n = new AtomicInteger();
        this.timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "scheduler-timers");
            t.setDaemon(true);
            return t;
        });
        this.waitingPods = new WaitingPods(timers);
        this.binder = new ThreadPoolExecutor(settings.bindConcurrency(), settings.bindConcurrency(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "scheduler-binding-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.binder.allowCoreThreadTimeOut(true);
        this.events = new Writer("events", 4, 10_000);
        this.statuses = new Writer("pod-status", 4, 10_000);
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        this.instance = host;
        queue.onGated(this::gated);
        rebuildAll();
    }

    // ---- configuration ----

    Framework framework(String schedulerName) {
        return frameworks.get(schedulerName);
    }

    /** Replaces the profiles (an empty list means upstream's default profile). */
    public synchronized void setProfiles(List<ProfileConfig> configs) {
        List<ProfileConfig> next = configs.isEmpty() ? List.of(ProfileConfig.defaultProfile()) : List.copyOf(configs);
        Set<String> before = new HashSet<>(frameworks.keySet());
        this.profiles = next;
        rebuildAll();
        for (ProfileConfig p : next) {
            if (!before.contains(p.schedulerName()) && !watches.isEmpty()) {
                adoptPendingPods(p.schedulerName());
            }
            Framework fw = frameworks.get(p.schedulerName());
            if (fw != null && fw.usable()) {
                queue.moveProfile(p.schedulerName());
            }
            before.remove(p.schedulerName());
        }
        if (!before.isEmpty()) {
            LOG.info("Scheduler profiles removed: {}", before);
        }
    }

    /**
     * Queues the unscheduled pods that already name a profile added at run time: the pod handler ignored them
     * when they arrived, because no profile was responsible then.
     */
    private void adoptPendingPods(String schedulerName) {
        int adopted = 0;
        for (Pod pod : cluster.lister(Pod.class).list()) {
            if (!assigned(pod) && !terminal(pod) && schedulerName.equals(schedulerNameOf(pod))) {
                queue.add(pod);
                adopted++;
            }
        }
        if (adopted > 0) {
            LOG.info("Scheduler profile {} added: {} pending pods queued", schedulerName, adopted);
        }
    }

    /** The installed plugin factories changed: rebuilds the profiles that name a changed plugin. */
    public synchronized void setRegistry(PluginRegistry next) {
        Set<String> changed = new HashSet<>();
        Set<String> names = new HashSet<>(registry.factories().keySet());
        names.addAll(next.factories().keySet());
        for (String name : names) {
            if (!java.util.Objects.equals(registry.get(name), next.get(name))) {
                changed.add(name);
            }
        }
        this.registry = next;
        Map<String, Framework> m = new LinkedHashMap<>(frameworks);
        List<String> rebuilt = new ArrayList<>();
        for (ProfileConfig p : profiles) {
            Framework old = m.get(p.schedulerName());
            Set<String> mentioned = p.pluginNames();
            mentioned.retainAll(changed);
            if (old == null || !mentioned.isEmpty()) {
                m.put(p.schedulerName(), build(p));
                rebuilt.add(p.schedulerName());
            }
        }
        publish(m);
        for (String name : rebuilt) {
            // Pods wait for a profile that can schedule: retrying them while plugins arrive one by one would only
            // repeat the FailedScheduling event with a shorter list.
            int moved = m.get(name).usable() ? queue.moveProfile(name) : 0;
            LOG.info("Scheduler profile {} rebuilt after plugin changes {}: {}; {} pods moved to activeQ", name, changed,
                    m.get(name).usable() ? "ready" : m.get(name).problems(), moved);
        }
    }

    private void rebuildAll() {
        Map<String, Framework> m = new LinkedHashMap<>();
        for (ProfileConfig p : profiles) {
            m.put(p.schedulerName(), build(p));
        }
        publish(m);
    }

    private Framework build(ProfileConfig p) {
        Framework fw = new Framework(p, registry, this);
        if (!fw.usable()) {
            LOG.warn("Scheduler profile {} cannot schedule: {}", p.schedulerName(), fw.problems());
        }
        return fw;
    }

    private void publish(Map<String, Framework> m) {
        frameworks = Map.copyOf(m);
        queue.resort();
    }

    // ---- life cycle ----

    /** Starts the informers, the scheduling loop and the periodic flushes. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        startInformers();
        timers.scheduleWithFixedDelay(queue::flushBackoffCompleted, 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(queue::flushUnschedulableLeftover, 30, 30, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(this::cleanupAssumed, 1, 1, TimeUnit.SECONDS);
        loop = new Thread(this::run, "scheduler-loop");
        loop.setDaemon(true);
        loop.start();
    }

    /** Whether the scheduling loop runs. */
    public boolean running() {
        return running && loop != null && loop.isAlive();
    }

    /** Adds the node and pod handlers (nodes first, so that pods find their nodes). */
    synchronized void startInformers() {
        watches.add(cluster.watch(Node.class, new NodeHandler()));
        watches.add(cluster.watch(Pod.class, new PodHandler()));
    }

    private void run() {
        // As upstream's WaitForCacheSync: no cycle before nodes and pods are listed, or the first pods would
        // fail with "no nodes available" and a burst of FailedScheduling events.
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>(List.of(Node.class, Pod.class));
        // The kinds plugins read (PVCs, Services, PDBs, ...) as upstream's WaitForCacheSync of all informers.
        for (Class<?> listed : listers.keySet()) {
            kinds.add(listed.asSubclass(HasMetadata.class));
        }
        for (Class<? extends HasMetadata> kind : kinds) {
            while (running && !cluster.awaitSynced(kind, Duration.ofSeconds(10))) {
                LOG.info("Scheduler waiting for the {} informer to sync", kind.getSimpleName());
            }
        }
        while (running) {
            try {
                scheduleOne(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Scheduling cycle failed unexpectedly", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            running = false;
        }
        queue.close();
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing a watch", e);
            }
        }
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        waitingPods.forEach(wp -> wp.reject("", "scheduler stopped"));
        binder.shutdown();
        try {
            binder.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        parallelizer.close();
        events.close();
        statuses.close();
    }

    private void cleanupAssumed() {
        for (Pod p : cache.cleanupExpiredAssumedPods()) {
            queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.DELETE), p, null, null);
        }
    }

    // ---- informer handlers ----

    static boolean assigned(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static String schedulerNameOf(Pod pod) {
        String n = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return n == null || n.isEmpty() ? ProfileConfig.DEFAULT_SCHEDULER_NAME : n;
    }

    private boolean responsible(Pod pod) {
        return frameworks.containsKey(schedulerNameOf(pod));
    }

    final class PodHandler implements Cluster.Handler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            if (assigned(pod)) {
                if (!terminal(pod)) {
                    cache.addPod(pod);
                    queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.ADD), null, pod, null);
                }
            } else if (!terminal(pod) && responsible(pod)) {
                queue.add(pod);
            }
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            if (assigned(newPod)) {
                if (!assigned(oldPod)) {
                    queue.delete(oldPod);
                    if (!terminal(newPod)) {
                        cache.addPod(newPod);
                        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.ADD), null, newPod, null);
                    }
                } else if (terminal(newPod)) {
                    cache.removePod(newPod);
                    queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.DELETE), oldPod, null, null);
                } else {
                    cache.updatePod(oldPod, newPod);
                    queue.moveAllToActiveOrBackoff(PodEvents.assignedPodUpdate(oldPod, newPod), oldPod, newPod, null);
                }
            } else if (responsible(newPod) && !terminal(newPod)) {
                queue.update(oldPod, newPod);
            } else {
                queue.delete(oldPod);
            }
        }

        @Override
        public void onDelete(Pod pod) {
            if (assigned(pod)) {
                cache.removePod(pod);
                queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.DELETE), pod, null, null);
            } else {
                queue.delete(pod);
            }
            WaitingPods.Entry wp = waitingPods.entry(pod.getMetadata().getUid());
            if (wp != null) {
                wp.reject("", "pod deleted");
            }
        }
    }

    final class NodeHandler implements Cluster.Handler<Node> {
        @Override
        public void onAdd(Node node) {
            cache.addNode(node);
            queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), null, node, null);
        }

        @Override
        public void onUpdate(Node oldNode, Node newNode) {
            cache.updateNode(oldNode, newNode);
            ClusterEvent e = PodEvents.nodeUpdate(oldNode, newNode);
            if (e != null) {
                queue.moveAllToActiveOrBackoff(e, oldNode, newNode, null);
            }
        }

        @Override
        public void onDelete(Node node) {
            cache.removeNode(node);
            queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.DELETE), node, null, null);
        }
    }

    // ---- the scheduling cycle ----

    /** Upstream's numFeasibleNodesToFind. */
    static int numFeasibleNodesToFind(Integer profilePercentage, int globalPercentage, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return numAllNodes;
        }
        int pct = profilePercentage != null ? profilePercentage : globalPercentage;
        if (pct <= 0) {
            pct = 50 - numAllNodes / 125;
            if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
                pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
            }
        }
        int numNodes = (int) ((long) numAllNodes * pct / 100);
        if (numNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return MIN_FEASIBLE_NODES_TO_FIND;
        }
        return numNodes;
    }

    /** The outcome of placing one pod: a host, or why not. */
    record Placement(String host, int evaluatedNodes, int feasibleNodes, FitError fitError, Status error) {
    }

    /** Runs one scheduling cycle; returns false when no pod was ready within {@code wait}. */
    boolean scheduleOne(Duration wait) throws InterruptedException {
        QueuedPod qp = queue.pop(wait);
        if (qp == null) {
            return false;
        }
        long start = System.nanoTime();
        Pod pod = qp.pod();
        String uid = qp.uid();
        Framework fw = frameworks.get(qp.schedulerName());
        if (fw == null || pod.getMetadata().getDeletionTimestamp() != null || cache.isAssumedPod(uid)) {
            queue.done(uid);
            return true;
        }
        Stats st = stats(fw.schedulerName());
        if (!fw.usable()) {
            qp.setRejectors(Set.of(SchedulingQueue.PROFILE_UNAVAILABLE), Set.of());
            fail(fw, qp, Status.unresolvable(String.join("; ", fw.problems())), null);
            st.record(System.nanoTime() - start);
            return true;
        }
        CycleState state = new CycleState();
        Placement placement;
        try {
            placement = schedulePod(fw, state, pod);
        } catch (RuntimeException e) {
            LOG.error("Scheduling pod {} failed", key(pod), e);
            placement = new Placement(null, 0, 0, null, Status.error(e));
        }
        if (placement.host() == null) {
            String nominated = null;
            Status status;
            if (placement.fitError() != null) {
                FitError fe = placement.fitError();
                if (fw.hasPostFilterPlugins()) {
                    List<String> names = new ArrayList<>(snapshot.numNodes());
                    for (NodeInfo ni : snapshot.list()) {
                        names.add(ni.name());
                    }
                    PostFilterResult r = fw.runPostFilterPlugins(state, pod, fe.allStatuses(names));
                    if (r.status() != null && !r.status().isSuccess()) {
                        fe.setPostFilterMsg(r.status().message());
                    }
                    nominated = r.nominatedNodeName();
                }
                qp.setRejectors(fe.unschedulablePlugins(), fe.pendingPlugins());
                status = Status.unschedulable(fe.message());
            } else {
                qp.setRejectors(Set.of(), Set.of());
                status = placement.error();
            }
            fail(fw, qp, status, nominated);
            st.record(System.nanoTime() - start);
            return true;
        }
        String host = placement.host();
        Pod assumed = PodCopies.withNodeName(pod, host);
        try {
            cache.assumePod(assumed);
        } catch (IllegalStateException e) {
            qp.setRejectors(Set.of(), Set.of());
            fail(fw, qp, Status.error(e), null);
            st.record(System.nanoTime() - start);
            return true;
        }
        Status s = fw.runReservePluginsReserve(state, assumed, host);
        if (!s.isSuccess()) {
            fw.runReservePluginsUnreserve(state, assumed, host);
            cache.forgetPod(assumed);
            qp.setRejectors(s.isRejected() && s.plugin() != null ? Set.of(s.plugin()) : Set.of(), Set.of());
            fail(fw, qp, s, null);
            st.record(System.nanoTime() - start);
            return true;
        }
        s = fw.runPermitPlugins(state, assumed, host);
        if (!s.isSuccess() && !s.isWait()) {
            fw.runReservePluginsUnreserve(state, assumed, host);
            cache.forgetPod(assumed);
            qp.setRejectors(s.isRejected() && s.plugin() != null ? Set.of(s.plugin()) : Set.of(), Set.of());
            fail(fw, qp, s, null);
            st.record(System.nanoTime() - start);
            return true;
        }
        st.record(System.nanoTime() - start);
        binder.execute(() -> bindingCycle(fw, state, qp, assumed, host));
        return true;
    }

    private void bindingCycle(Framework fw, CycleState state, QueuedPod qp, Pod assumed, String host) {
        Status s;
        try {
            s = fw.waitOnPermit(assumed);
            if (s.isSuccess()) {
                s = fw.runPreBindPlugins(state, assumed, host);
            }
            if (s.isSuccess()) {
                s = fw.runBindPlugins(state, assumed, host);
                if (s.isSkip()) {
                    s = Status.error("no Bind plugin bound pod " + key(assumed));
                }
            }
        } catch (RuntimeException e) {
            s = Status.error(e);
        }
        if (s.isSuccess()) {
            cache.finishBinding(assumed);
            fw.runPostBindPlugins(state, assumed, host);
            stats(fw.schedulerName()).scheduled.increment();
            recordEvent(assumed, "Normal", "Scheduled", "Binding",
                    "Successfully assigned " + key(assumed) + " to " + host, fw.schedulerName());
            queue.done(qp.uid());
            return;
        }
        fw.runReservePluginsUnreserve(state, assumed, host);
        cache.forgetPod(assumed);
        // The pod's resources are free again: pods rejected because of it may fit now.
        String uid = qp.uid();
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.DELETE), assumed, null,
                p -> !uid.equals(p.getMetadata().getUid()));
        qp.setRejectors(s.isRejected() && s.plugin() != null ? Set.of(s.plugin()) : Set.of(), Set.of());
        fail(fw, qp, s, null);
    }

    /** Upstream's schedulePod: snapshot, filters, scores, host selection. */
    Placement schedulePod(Framework fw, CycleState state, Pod pod) {
        cache.updateSnapshot(snapshot);
        int numNodes = snapshot.numNodes();
        if (numNodes == 0) {
            return new Placement(null, 0, 0, null, Status.error("no nodes available to schedule pods"));
        }
        FitError diagnosis = new FitError(numNodes);
        List<NodeInfo> feasible = findNodesThatFitPod(fw, state, pod, diagnosis);
        if (feasible == null) {
            return new Placement(null, 0, 0, null, errorOf(diagnosis));
        }
        if (feasible.isEmpty()) {
            return new Placement(null, 0, 0, diagnosis, null);
        }
        int evaluated = feasible.size() + diagnosis.nodeToStatus().size();
        if (feasible.size() == 1) {
            return new Placement(feasible.get(0).name(), evaluated, 1, null, null);
        }
        long[] totals = new long[feasible.size()];
        if (fw.hasScorePlugins()) {
            Status s = fw.runPreScorePlugins(state, pod, feasible);
            if (!s.isSuccess()) {
                return new Placement(null, 0, 0, null, s);
            }
            s = fw.runScorePlugins(state, pod, feasible, totals);
            if (!s.isSuccess()) {
                return new Placement(null, 0, 0, null, s);
            }
        } else {
            Arrays.fill(totals, 1);
        }
        int chosen = selectHost(totals);
        return new Placement(feasible.get(chosen).name(), evaluated, feasible.size(), null, null);
    }

    private Status pendingError;

    private Status errorOf(FitError d) {
        Status s = pendingError;
        pendingError = null;
        return s == null ? Status.error("scheduling failed") : s;
    }

    /** Reservoir sampling among the highest totals, as upstream's selectHost. */
    static int selectHost(long[] totals) {
        int selected = 0;
        long max = totals[0];
        int count = 1;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > max) {
                max = totals[i];
                selected = i;
                count = 1;
            } else if (totals[i] == max) {
                count++;
                if (rnd.nextInt(count) == 0) {
                    selected = i;
                }
            }
        }
        return selected;
    }

    /** Upstream's findNodesThatFitPod; null when an error ended it (in pendingError). */
    private List<NodeInfo> findNodesThatFitPod(Framework fw, CycleState state, Pod pod, FitError diagnosis) {
        List<NodeInfo> allNodes = snapshot.list();
        Framework.PreFilterOutcome pre = fw.runPreFilterPlugins(state, pod, allNodes);
        Status ps = pre.status();
        if (!ps.isSuccess()) {
            if (!ps.isRejected()) {
                pendingError = ps;
                return null;
            }
            diagnosis.setAbsentNodesStatus(ps);
            diagnosis.setPreFilterMsg(ps.message());
            diagnosis.addPluginStatus(ps);
            return List.of();
        }
        String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        if (nominated != null && !nominated.isEmpty()) {
            NodeInfo ni = snapshot.get(nominated);
            if (ni != null && ni.node() != null) {
                List<NodeInfo> one = findNodesThatPassFilters(fw, state, pod, diagnosis, List.of(ni));
                if (one == null) {
                    return null;
                }
                if (!one.isEmpty()) {
                    return one;
                }
            }
        }
        List<NodeInfo> nodes = allNodes;
        if (pre.nodeNames() != null) {
            List<NodeInfo> restricted = new ArrayList<>(pre.nodeNames().size());
            for (NodeInfo ni : allNodes) {
                if (pre.nodeNames().contains(ni.name())) {
                    restricted.add(ni);
                }
            }
            nodes = restricted;
            diagnosis.setAbsentNodesStatus(Status.unresolvable(
                    "node(s) didn't satisfy plugin(s) " + Framework.goList(pre.pluginsWithNodes())));
        }
        return findNodesThatPassFilters(fw, state, pod, diagnosis, nodes);
    }

    /** Upstream's findNodesThatPassFilters: parallel filters from a rotating start, stopping at enough nodes. */
    private List<NodeInfo> findNodesThatPassFilters(Framework fw, CycleState state, Pod pod, FitError diagnosis,
                                                    List<NodeInfo> nodes) {
        int n = nodes.size();
        if (n == 0) {
            return List.of();
        }
        int toFind = numFeasibleNodesToFind(fw.percentageOfNodesToScore(), settings.percentageOfNodesToScore(), n);
        int startIndex = nextStartNodeIndex % n;
        if (!fw.hasFilterPlugins()) {
            List<NodeInfo> out = new ArrayList<>(toFind);
            for (int i = 0; i < toFind; i++) {
                out.add(nodes.get((startIndex + i) % n));
            }
            nextStartNodeIndex = (nextStartNodeIndex + toFind) % n;
            return out;
        }
        NodeInfo[] found = new NodeInfo[toFind];
        AtomicInteger feasibleCount = new AtomicInteger();
        if (statusBuffer.length < n) {
            statusBuffer = new Status[n];
        }
        Status[] statuses = statusBuffer;
        Status[] error = new Status[1];
        Parallelizer.Stop stop = new Parallelizer.Stop();
        AtomicInteger processed = new AtomicInteger();
        parallelizer.until(n, i -> {
            NodeInfo ni = nodes.get((startIndex + i) % n);
            Status s = fw.runFilterPluginsWithNominatedPods(state, pod, ni);
            processed.incrementAndGet();
            if (s.isSuccess()) {
                int k = feasibleCount.incrementAndGet();
                if (k > toFind) {
                    stop.stop();
                    feasibleCount.decrementAndGet();
                } else {
                    found[k - 1] = ni;
                    if (k == toFind) {
                        stop.stop();
                    }
                }
            } else if (s.isRejected()) {
                statuses[i] = s;
            } else {
                error[0] = s;
                stop.stop();
            }
        }, stop);
        int rejected = 0;
        for (int i = 0; i < n; i++) {
            Status s = statuses[i];
            if (s != null) {
                diagnosis.set(nodes.get((startIndex + i) % n).name(), s);
                statuses[i] = null;
                rejected++;
            }
        }
        int feasible = feasibleCount.get();
        nextStartNodeIndex = (nextStartNodeIndex + feasible + rejected) % Math.max(1, snapshot.numNodes());
        if (error[0] != null) {
            pendingError = error[0];
            return null;
        }
        return Arrays.asList(Arrays.copyOf(found, feasible));
    }

    // ---- failures, events, status ----

    private void fail(Framework fw, QueuedPod qp, Status status, String nominatedNode) {
        Pod pod = qp.pod();
        boolean exists = queue.contains(qp.uid()) && !qp.deleted();
        stats(fw.schedulerName()).failed.increment();
        queue.addUnschedulable(qp, exists);
        if (!exists) {
            return;
        }
        if (nominatedNode != null && !nominatedNode.isEmpty()) {
            queue.nominator().add(qp.podInfo(), nominatedNode);
        }
        String msg = truncate(status.message());
        String reason = status.isRejected() ? "Unschedulable" : "SchedulerError";
        if (status.code() == Status.Code.ERROR) {
            LOG.info("Error scheduling pod {}: {}", key(pod), msg);
        }
        recordEvent(pod, "Warning", "FailedScheduling", "Scheduling", msg, fw.schedulerName());
        patchCondition(pod, reason, msg, nominatedNode);
    }

    static String truncate(String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        String suffix = " ...";
        return message.substring(0, MAX_MESSAGE - suffix.length()) + suffix;
    }

    /** PreEnqueue kept a pod out (under the queue's lock: only queues a write). */
    private void gated(QueuedPod qp, Status s) {
        Pod pod = qp.pod();
        if (pod.getSpec().getSchedulingGates() == null || pod.getSpec().getSchedulingGates().isEmpty()) {
            return;
        }
        patchCondition(pod, "SchedulingGated", GATED_MESSAGE, null);
    }

    private void patchCondition(Pod pod, String reason, String message, String nominatedNode) {
        PodCondition current = null;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType())) {
                    current = c;
                }
            }
        }
        boolean conditionSame = current != null && "False".equals(current.getStatus()) && reason.equals(current.getReason())
                && message.equals(current.getMessage());
        String currentNominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        boolean nominationSame = nominatedNode == null || nominatedNode.equals(currentNominated);
        if (conditionSame && nominationSame) {
            return;
        }
        StringBuilder b = new StringBuilder("{");
        String rv = pod.getMetadata().getResourceVersion();
        if (rv != null && !rv.isEmpty()) {
            // A precondition: the verdict is about this version of the pod. When it has changed meanwhile (bound by
            // a later attempt, whose binding set PodScheduled=True), the write fails with a conflict and is dropped.
            b.append("\"metadata\":{\"resourceVersion\":").append(json(rv)).append("},");
        }
        b.append("\"status\":{");
        if (!conditionSame) {
            String now = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(clock.millis() / 1000));
            b.append("\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":").append(json(reason))
                    .append(",\"message\":").append(json(message)).append(",\"lastProbeTime\":null,\"lastTransitionTime\":")
                    .append(json(now)).append("}]");
        }
        if (!nominationSame) {
            if (!conditionSame) {
                b.append(',');
            }
            b.append("\"nominatedNodeName\":").append(json(nominatedNode));
        }
        b.append("}}");
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String patch = b.toString();
        String uid = pod.getMetadata().getUid();
        statuses.submit("status of pod " + ns + "/" + name, () -> {
            // Status writes are queued: when a later attempt has placed the pod meanwhile, an Unschedulable
            // condition written now would overwrite the PodScheduled=True that the binding set.
            if (!cache.hasPod(uid)) {
                cluster.patchPodStatus(ns, name, patch);
            }
        });
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Writes a core/v1 Event, as upstream's scheduler's events.k8s.io/v1 Events read through core/v1 (regarding →
     * involvedObject, note → message, reportingController → reportingComponent, plus source.component). Core/v1
     * because okube's apiserver keeps the two groups' Events apart, and kubectl get/describe read core/v1.
     */
    private void recordEvent(Pod pod, String type, String reason, String action, String message, String schedulerName) {
        Instant now = clock.instant();
        String ns = pod.getMetadata().getNamespace();
        String seconds = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(now.getEpochSecond()));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("apiVersion", "v1");
        ev.put("kind", "Event");
        ev.put("metadata", Map.of("name", pod.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                + ThreadLocalRandom.current().nextInt(1_000_000)), "namespace", ns));
        Map<String, Object> involved = new LinkedHashMap<>();
        involved.put("kind", "Pod");
        involved.put("namespace", ns);
        involved.put("name", pod.getMetadata().getName());
        involved.put("uid", pod.getMetadata().getUid());
        involved.put("apiVersion", "v1");
        if (pod.getMetadata().getResourceVersion() != null) {
            involved.put("resourceVersion", pod.getMetadata().getResourceVersion());
        }
        ev.put("involvedObject", involved);
        ev.put("reason", reason);
        ev.put("message", message);
        ev.put("source", Map.of("component", schedulerName));
        ev.put("firstTimestamp", seconds);
        ev.put("lastTimestamp", seconds);
        ev.put("count", 1);
        ev.put("type", type);
        ev.put("eventTime", MICRO_TIME.format(now));
        ev.put("action", action);
        ev.put("reportingComponent", schedulerName);
        ev.put("reportingInstance", schedulerName + "-" + instance);
        events.submit(reason + " event of pod " + ns + "/" + pod.getMetadata().getName(), () -> cluster.createEvent(ns, ev));
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    // ---- FrameworkContext ----

    @Override
    public NodeInfoLister snapshot() {
        return snapshot;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        return (Lister<T>) listers.computeIfAbsent(type, t -> {
            Lister<T> l = cluster.lister(type);
            String kind = HasMetadata.getKind(type);
            watches.add(cluster.watch(type, new Cluster.Handler<T>() {
                @Override
                public void onAdd(T obj) {
                    queue.moveAllToActiveOrBackoff(new ClusterEvent(kind, ClusterEvent.ADD), null, obj, null);
                }

                @Override
                public void onUpdate(T oldObj, T newObj) {
                    queue.moveAllToActiveOrBackoff(new ClusterEvent(kind, ClusterEvent.UPDATE_OTHER), oldObj, newObj, null);
                }

                @Override
                public void onDelete(T obj) {
                    queue.moveAllToActiveOrBackoff(new ClusterEvent(kind, ClusterEvent.DELETE), obj, null, null);
                }
            }));
            return l;
        });
    }

    @Override
    public Parallelizer parallelizer() {
        return parallelizer;
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        return queue.nominator().podsForNode(nodeName);
    }

    @Override
    public WaitingPods waitingPods() {
        return waitingPods;
    }

    @Override
    public void activate(Collection<Pod> pods) {
        queue.activate(pods);
    }

    // ---- status ----

    SchedulerCache cache() {
        return cache;
    }

    SchedulingQueue queue() {
        return queue;
    }

    Writer eventWriter() {
        return events;
    }

    Writer statusWriter() {
        return statuses;
    }

    /** Waits until the binding executor is idle (tests). */
    boolean awaitBindings(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (binder.getQueue().isEmpty() && binder.getActiveCount() == 0) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    private Stats stats(String schedulerName) {
        return stats.computeIfAbsent(schedulerName, k -> new Stats());
    }

    static final class Stats {
        final LongAdder scheduled = new LongAdder();
        final LongAdder failed = new LongAdder();
        private final long[] ring = new long[1024];
        private int count;

        synchronized void record(long nanos) {
            ring[count % ring.length] = nanos;
            count++;
        }

        synchronized double[] meanP99Millis() {
            int n = Math.min(count, ring.length);
            if (n == 0) {
                return new double[] {0, 0};
            }
            long[] copy = Arrays.copyOf(ring, n);
            Arrays.sort(copy);
            double sum = 0;
            for (long v : copy) {
                sum += v;
            }
            int idx = Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1);
            return new double[] {sum / n / 1e6, copy[Math.max(0, idx)] / 1e6};
        }
    }

    @Override
    public List<ProfileStatus> profiles() {
        List<ProfileStatus> out = new ArrayList<>();
        for (Framework fw : frameworks.values()) {
            Map<String, List<PluginSlot>> points = new LinkedHashMap<>();
            for (ExtensionPoint p : ExtensionPoint.values()) {
                List<PluginSlot> l = new ArrayList<>();
                for (Framework.Slot s : fw.slots().get(p)) {
                    l.add(new PluginSlot(s.name(), s.weight(), s.bundle(), s.version()));
                }
                points.put(p.key(), l);
            }
            int[] len = queue.lengths(fw.schedulerName());
            Stats st = stats(fw.schedulerName());
            double[] lat = st.meanP99Millis();
            out.add(new ProfileStatus(fw.schedulerName(), points, fw.problems(), len[0], len[1], len[2],
                    st.scheduled.sum(), st.failed.sum(), lat[0], lat[1]));
        }
        return out;
    }
}
