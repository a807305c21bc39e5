package dev.okube.scheduler.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.QueueSortPlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.framework.Framework;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The scheduling queue, as upstream's PriorityQueue (internal/queue/scheduling_queue.go): activeQ ordered
 * by the profile's QueueSort plugin, backoffQ ordered by backoff expiry (podInitialBackoff doubling per
 * attempt up to podMaxBackoff), and unschedulablePods (gated pods too) that cluster events move back
 * through the rejecting plugins' registrations and queueing hints. Events that arrive while a pod is being
 * scheduled are kept and replayed against it if its attempt fails. Thread-safe.
 */
public final class SchedulingQueue {
    /** Upstream's DefaultPodMaxInUnschedulablePodsDuration. */
    public static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);
    /** The rejector recorded for pods of a profile that cannot schedule (missing plugins). */
    public static final String PROFILE_UNAVAILABLE = "<profile unavailable>";
    /** The event of the periodic flush of pods left unschedulable too long. */
    public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(ClusterEvent.WILDCARD, ClusterEvent.ALL);

    private static final int MAX_EVENT_LOG = 10_000;

    private enum Strategy { SKIP, AFTER_BACKOFF, IMMEDIATELY }

    private record LoggedEvent(long seq, ClusterEvent event, Object oldObj, Object newObj) {
    }

    private final Clock clock;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final Function<String, Framework> frameworks;
    private final Nominator nominator = new Nominator();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private PriorityQueue<QueuedPod> activeQ;
    private final PriorityQueue<QueuedPod> backoffQ =
            new PriorityQueue<>(Comparator.comparingLong((QueuedPod p) -> p.backoffExpiry));
    private final Map<String, QueuedPod> unschedulable = new HashMap<>();
    private final Map<String, QueuedPod> known = new HashMap<>();
    private final LinkedHashMap<String, QueuedPod> inFlight = new LinkedHashMap<>();
    private final ArrayList<LoggedEvent> eventLog = new ArrayList<>();
    private long eventSeq;
    private long logOverflowSeq = -1;
    private long schedulingCycle;
    private boolean closed;

    /**
     * @param frameworks the current framework of a profile by scheduler name (PreEnqueue plugins and
     *                   event registrations), or null when no such profile
     */
    public SchedulingQueue(Clock clock, Duration initialBackoff, Duration maxBackoff, Function<String, Framework> frameworks) {
        this.clock = clock;
        this.initialBackoffMs = initialBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.frameworks = frameworks;
        this.activeQ = new PriorityQueue<>(this::compare);
    }

    /**
     * Pods of one profile are ordered by that profile's QueueSort plugin; pods of different profiles (or of a
     * profile without one) by priority, then arrival, as PrioritySort. Upstream requires every profile to have
     * the same QueueSort plugin; here a profile may use its own (e.g. Coscheduling) for its pods.
     */
    private int compare(QueuedPod a, QueuedPod b) {
        String sa = a.schedulerName();
        if (sa.equals(b.schedulerName())) {
            Framework fw = frameworks.apply(sa);
            QueueSortPlugin s = fw == null ? null : fw.queueSort();
            if (s != null) {
                if (s.less(a, b)) {
                    return -1;
                }
                return s.less(b, a) ? 1 : 0;
            }
        }
        int pa = Framework.priority(a.pod());
        int pb = Framework.priority(b.pod());
        if (pa != pb) {
            return pa > pb ? -1 : 1;
        }
        return Long.compare(a.timestamp, b.timestamp);
    }

    /** Re-sorts activeQ: a profile's QueueSort plugin came, went or changed. */
    public void resort() {
        lock.lock();
        try {
            PriorityQueue<QueuedPod> q = new PriorityQueue<>(Math.max(11, activeQ.size()), this::compare);
            q.addAll(activeQ);
            activeQ = q;
        } finally {
            lock.unlock();
        }
    }

    public Nominator nominator() {
        return nominator;
    }

    // ---- informer events for unscheduled pods ----

    /** A new unscheduled pod. */
    public void add(Pod pod) {
        PodInfo pi = PodInfo.of(pod);
        lock.lock();
        try {
            QueuedPod existing = known.get(pi.uid());
            if (existing != null) {
                existing.podInfo = pi;
                return;
            }
            QueuedPod qp = new QueuedPod(pi, clock.millis());
            known.put(pi.uid(), qp);
            nominator.add(pi, null);
            moveToActive(qp);
        } finally {
            lock.unlock();
        }
    }

    /** An unscheduled pod changed. */
    public void update(Pod oldPod, Pod newPod) {
        PodInfo pi = PodInfo.of(newPod);
        lock.lock();
        try {
            QueuedPod qp = known.get(pi.uid());
            if (qp == null) {
                QueuedPod f = inFlight.get(pi.uid());
                if (f != null) {
                    f.podInfo = pi;
                    return;
                }
                add(newPod);
                return;
            }
            nominator.update(oldPod, pi);
            switch (qp.where) {
                case ACTIVE -> {
                    activeQ.remove(qp);
                    qp.podInfo = pi;
                    activeQ.add(qp);
                }
                case BACKOFF -> {
                    qp.podInfo = pi;
                }
                case UNSCHEDULABLE -> {
                    qp.podInfo = pi;
                    if (oldPod == null || podUpdated(oldPod, newPod)) {
                        if (qp.gated) {
                            // A gated pod is re-checked by its PreEnqueue plugins on every update.
                            unschedulable.remove(qp.uid());
                            moveToActive(qp);
                            return;
                        }
                        for (ClusterEvent e : PodEvents.updateEvents(oldPod, newPod)) {
                            Strategy s = worth(qp, e, oldPod, newPod);
                            if (s != Strategy.SKIP) {
                                requeue(qp, s);
                                break;
                            }
                        }
                    }
                }
                default -> qp.podInfo = pi;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether anything but the status and bookkeeping metadata changed (upstream's isPodUpdated). */
    static boolean podUpdated(Pod oldPod, Pod newPod) {
        return !Objects.equals(oldPod.getSpec(), newPod.getSpec())
                || !Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())
                || !Objects.equals(oldPod.getMetadata().getAnnotations(), newPod.getMetadata().getAnnotations());
    }

    /** The pod was deleted, or bound (it left the unscheduled informer). */
    public void delete(Pod pod) {
        lock.lock();
        try {
            String uid = pod.getMetadata().getUid();
            QueuedPod qp = known.remove(uid);
            nominator.remove(pod);
            QueuedPod flying = inFlight.get(uid);
            if (flying != null) {
                flying.deleted = true;
            }
            if (qp == null) {
                return;
            }
            switch (qp.where) {
                case ACTIVE -> activeQ.remove(qp);
                case BACKOFF -> backoffQ.remove(qp);
                case UNSCHEDULABLE -> unschedulable.remove(uid);
                default -> {
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the queue still tracks the pod (queued or in flight). */
    public boolean contains(String uid) {
        lock.lock();
        try {
            return known.containsKey(uid) || inFlight.containsKey(uid);
        } finally {
            lock.unlock();
        }
    }

    // ---- moving ----

    /** Runs PreEnqueue and puts the pod into activeQ, or into unschedulablePods as gated. Lock held. */
    private void moveToActive(QueuedPod qp) {
        Framework fw = frameworks.apply(qp.schedulerName());
        Status s = fw == null ? Status.SUCCESS : fw.runPreEnqueuePlugins(qp.pod());
        if (!s.isSuccess()) {
            qp.gated = true;
            qp.gatedBy = s.message();
            qp.setRejectors(s.plugin() == null ? Set.of() : Set.of(s.plugin()), Set.of());
            qp.where = QueuedPod.Where.UNSCHEDULABLE;
            unschedulable.put(qp.uid(), qp);
            gatedListener.accept(qp, s);
            return;
        }
        qp.gated = false;
        qp.gatedBy = null;
        unschedulable.remove(qp.uid());
        qp.where = QueuedPod.Where.ACTIVE;
        activeQ.add(qp);
        notEmpty.signal();
    }

    private java.util.function.BiConsumer<QueuedPod, Status> gatedListener = (q, s) -> {
    };

    /** Called (under the queue's lock: must not block) when PreEnqueue keeps a pod out of activeQ. */
    public void onGated(java.util.function.BiConsumer<QueuedPod, Status> listener) {
        this.gatedListener = listener;
    }

    private void requeue(QueuedPod qp, Strategy s) {
        unschedulable.remove(qp.uid());
        if (s == Strategy.AFTER_BACKOFF && backingOff(qp)) {
            qp.where = QueuedPod.Where.BACKOFF;
            backoffQ.add(qp);
            return;
        }
        moveToActive(qp);
    }

    private boolean backingOff(QueuedPod qp) {
        return !qp.gated && qp.backoffExpiry > clock.millis();
    }

    /** Upstream's calculateBackoffDuration: initial doubled per attempt after the first, capped. */
    public long backoffMillis(int attempts) {
        long d = initialBackoffMs;
        for (int i = 1; i < attempts; i++) {
            if (d > maxBackoffMs - d) {
                return maxBackoffMs;
            }
            d += d;
        }
        return Math.min(d, maxBackoffMs);
    }

    /** Upstream's isPodWorthRequeuing. Lock held. */
    private Strategy worth(QueuedPod qp, ClusterEvent event, Object oldObj, Object newObj) {
        Set<String> unsched = qp.unschedulablePlugins;
        Set<String> pending = qp.pendingPlugins;
        if (unsched.isEmpty() && pending.isEmpty()) {
            return Strategy.AFTER_BACKOFF;
        }
        if (ClusterEvent.WILDCARD.equals(event.resource())) {
            return Strategy.AFTER_BACKOFF;
        }
        Framework fw = frameworks.apply(qp.schedulerName());
        if (fw == null) {
            return Strategy.AFTER_BACKOFF;
        }
        Strategy out = Strategy.SKIP;
        for (Framework.Registration r : fw.registrations()) {
            if (!r.event().covers(event)) {
                continue;
            }
            boolean pend = pending.contains(r.plugin());
            if (!pend && !unsched.contains(r.plugin())) {
                continue;
            }
            QueueingHint h = QueueingHint.QUEUE;
            if (r.hint() != null) {
                try {
                    h = r.hint().hint(qp.pod(), oldObj, newObj);
                } catch (RuntimeException e) {
                    h = QueueingHint.QUEUE;
                }
            }
            if (h == QueueingHint.SKIP) {
                continue;
            }
            if (pend) {
                return Strategy.IMMEDIATELY;
            }
            out = Strategy.AFTER_BACKOFF;
        }
        return out;
    }

    /**
     * A cluster event happened: moves the unschedulable pods it may help (per their rejecting plugins'
     * registrations and hints) to backoffQ or activeQ, and logs it for pods being scheduled right now.
     *
     * @param preCheck null, or a test a pod must pass to be considered (upstream's PreEnqueueCheck)
     */
    public void moveAllToActiveOrBackoff(ClusterEvent event, Object oldObj, Object newObj, Predicate<Pod> preCheck) {
        lock.lock();
        try {
            if (!inFlight.isEmpty()) {
                if (eventLog.size() >= MAX_EVENT_LOG) {
                    pruneLog();
                    if (eventLog.size() >= MAX_EVENT_LOG) {
                        logOverflowSeq = eventLog.get(eventLog.size() - 1).seq;
                        eventLog.clear();
                    }
                }
                eventLog.add(new LoggedEvent(++eventSeq, event, oldObj, newObj));
            }
            if (unschedulable.isEmpty()) {
                return;
            }
            List<QueuedPod> moves = null;
            List<Strategy> strategies = null;
            for (QueuedPod qp : unschedulable.values()) {
                if (preCheck != null && !preCheck.test(qp.pod())) {
                    continue;
                }
                Strategy s = worth(qp, event, oldObj, newObj);
                if (s != Strategy.SKIP) {
                    if (moves == null) {
                        moves = new ArrayList<>();
                        strategies = new ArrayList<>();
                    }
                    moves.add(qp);
                    strategies.add(s);
                }
            }
            if (moves != null) {
                for (int i = 0; i < moves.size(); i++) {
                    requeue(moves.get(i), strategies.get(i));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves every unschedulable (and gated) pod of a profile to activeQ: its plugins changed. */
    public int moveProfile(String schedulerName) {
        lock.lock();
        try {
            List<QueuedPod> moves = new ArrayList<>();
            for (QueuedPod qp : unschedulable.values()) {
                if (qp.schedulerName().equals(schedulerName)) {
                    moves.add(qp);
                }
            }
            for (QueuedPod qp : backoffQ) {
                if (qp.schedulerName().equals(schedulerName) && qp.unschedulablePlugins.contains(PROFILE_UNAVAILABLE)) {
                    moves.add(qp);
                }
            }
            for (QueuedPod qp : moves) {
                if (qp.where == QueuedPod.Where.BACKOFF) {
                    backoffQ.remove(qp);
                }
                unschedulable.remove(qp.uid());
                moveToActive(qp);
            }
            return moves.size();
        } finally {
            lock.unlock();
        }
    }

    /** Moves these pods to activeQ if they are unschedulable or backing off (FrameworkHandle.activate). */
    public void activate(Collection<Pod> pods) {
        lock.lock();
        try {
            for (Pod p : pods) {
                QueuedPod qp = known.get(p.getMetadata().getUid());
                if (qp == null || qp.where == QueuedPod.Where.ACTIVE) {
                    continue;
                }
                if (qp.where == QueuedPod.Where.BACKOFF) {
                    backoffQ.remove(qp);
                } else {
                    unschedulable.remove(qp.uid());
                }
                moveToActive(qp);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- the scheduling loop's side ----

    /** Takes the next pod from activeQ, waiting up to {@code timeout}; null on timeout or close. */
    public QueuedPod pop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (activeQ.isEmpty()) {
                if (closed) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                notEmpty.awaitNanos(left);
            }
            QueuedPod qp = activeQ.poll();
            known.remove(qp.uid());
            qp.attempts++;
            qp.where = QueuedPod.Where.IN_FLIGHT;
            qp.popSeq = eventSeq;
            schedulingCycle++;
            inFlight.put(qp.uid(), qp);
            return qp;
        } finally {
            lock.unlock();
        }
    }

    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /** The pod's attempt ended (bound, or given up): it leaves the in-flight set. */
    public void done(String uid) {
        lock.lock();
        try {
            inFlight.remove(uid);
            if (inFlight.isEmpty()) {
                eventLog.clear();
                logOverflowSeq = -1;
            } else if (eventLog.size() > 512) {
                pruneLog();
            }
        } finally {
            lock.unlock();
        }
    }

    private void pruneLog() {
        long min = Long.MAX_VALUE;
        for (QueuedPod qp : inFlight.values()) {
            min = Math.min(min, qp.popSeq);
        }
        final long m = min;
        eventLog.removeIf(e -> e.seq <= m);
    }

    /**
     * An attempt failed: the pod goes back to unschedulablePods, or to backoffQ when it failed with an
     * error or when an event during its attempt may have helped it (upstream's AddUnschedulableIfNotPresent).
     * Pods deleted meanwhile are dropped.
     */
    public void addUnschedulable(QueuedPod qp, boolean stillExists) {
        lock.lock();
        try {
            inFlight.remove(qp.uid());
            if (!stillExists || known.containsKey(qp.uid())) {
                return;
            }
            long now = clock.millis();
            qp.timestamp = now;
            qp.backoffExpiry = now + backoffMillis(qp.attempts);
            qp.gated = false;
            known.put(qp.uid(), qp);
            Strategy s = Strategy.SKIP;
            if (qp.unschedulablePlugins.isEmpty() && qp.pendingPlugins.isEmpty()) {
                s = Strategy.AFTER_BACKOFF;
            } else if (logOverflowSeq >= qp.popSeq) {
                s = Strategy.AFTER_BACKOFF;
            } else {
                for (LoggedEvent e : eventLog) {
                    if (e.seq <= qp.popSeq) {
                        continue;
                    }
                    Strategy w = worth(qp, e.event, e.oldObj, e.newObj);
                    if (w != Strategy.SKIP) {
                        s = w;
                        break;
                    }
                }
            }
            if (s == Strategy.SKIP) {
                qp.where = QueuedPod.Where.UNSCHEDULABLE;
                unschedulable.put(qp.uid(), qp);
            } else if (s == Strategy.AFTER_BACKOFF) {
                qp.where = QueuedPod.Where.BACKOFF;
                backoffQ.add(qp);
            } else {
                moveToActive(qp);
            }
            if (inFlight.isEmpty()) {
                eventLog.clear();
                logOverflowSeq = -1;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves pods whose backoff expired to activeQ (upstream runs this every second). */
    public void flushBackoffCompleted() {
        lock.lock();
        try {
            long now = clock.millis();
            while (!backoffQ.isEmpty() && backoffQ.peek().backoffExpiry <= now) {
                QueuedPod qp = backoffQ.poll();
                moveToActive(qp);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves pods unschedulable for longer than {@link #MAX_IN_UNSCHEDULABLE} (upstream runs this every 30 s). */
    public void flushUnschedulableLeftover() {
        lock.lock();
        try {
            long now = clock.millis();
            List<QueuedPod> moves = new ArrayList<>();
            for (QueuedPod qp : unschedulable.values()) {
                if (now - qp.timestamp > MAX_IN_UNSCHEDULABLE.toMillis()) {
                    moves.add(qp);
                }
            }
            for (QueuedPod qp : moves) {
                requeue(qp, Strategy.AFTER_BACKOFF);
            }
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- status ----

    /** Queue lengths: active, backoff, unschedulable (including gated), in flight. */
    public int[] lengths() {
        lock.lock();
        try {
            return new int[] {activeQ.size(), backoffQ.size(), unschedulable.size(), inFlight.size()};
        } finally {
            lock.unlock();
        }
    }

    /** Lengths for one profile: active, backoff, unschedulable. */
    public int[] lengths(String schedulerName) {
        lock.lock();
        try {
            int[] out = new int[3];
            for (QueuedPod qp : activeQ) {
                if (qp.schedulerName().equals(schedulerName)) {
                    out[0]++;
                }
            }
            for (QueuedPod qp : backoffQ) {
                if (qp.schedulerName().equals(schedulerName)) {
                    out[1]++;
                }
            }
            for (QueuedPod qp : unschedulable.values()) {
                if (qp.schedulerName().equals(schedulerName)) {
                    out[2]++;
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Where the pod is: "active", "backoff", "unschedulable", "gated", "in-flight", or null. */
    public String where(String uid) {
        lock.lock();
        try {
            QueuedPod qp = known.get(uid);
            if (qp == null) {
                return inFlight.containsKey(uid) ? "in-flight" : null;
            }
            if (qp.where == QueuedPod.Where.UNSCHEDULABLE && qp.gated) {
                return "gated";
            }
            return switch (qp.where) {
                case ACTIVE -> "active";
                case BACKOFF -> "backoff";
                case UNSCHEDULABLE -> "unschedulable";
                case IN_FLIGHT -> "in-flight";
            };
        } finally {
            lock.unlock();
        }
    }
}
