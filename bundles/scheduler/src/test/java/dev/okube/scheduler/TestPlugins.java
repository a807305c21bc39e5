package dev.okube.scheduler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.okube.api.scheduler.BindPlugin;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.PermitPlugin;
import dev.okube.api.scheduler.PermitResult;
import dev.okube.api.scheduler.PostBindPlugin;
import dev.okube.api.scheduler.PreBindPlugin;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueSortPlugin;
import dev.okube.api.scheduler.QueuedPodInfo;
import dev.okube.api.scheduler.ReservePlugin;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.framework.Framework;
import io.fabric8.kubernetes.api.model.Pod;

/** Small plugins for the tests (the default plugins are other bundles). */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** Higher priority first, then earlier, as PrioritySort. */
    public static final class Sort implements QueueSortPlugin {
        @Override
        public String name() {
            return "PrioritySort";
        }

        @Override
        public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
            int pa = Framework.priority(a.pod());
            int pb = Framework.priority(b.pod());
            return pa > pb || (pa == pb && a.timestamp() < b.timestamp());
        }
    }

    /** Records binds; optionally shows the bound pod to the fake informer, as the apiserver would. */
    public static final class Binder implements BindPlugin {
        public final List<String> bound = new CopyOnWriteArrayList<>();
        private final TestObjects.FakeCluster cluster;
        private final Function<Pod, Status> outcome;

        public Binder(TestObjects.FakeCluster cluster, Function<Pod, Status> outcome) {
            this.cluster = cluster;
            this.outcome = outcome;
        }

        @Override
        public String name() {
            return "TestBinder";
        }

        @Override
        public Status bind(CycleState state, Pod pod, String nodeName) {
            Status s = outcome == null ? Status.SUCCESS : outcome.apply(pod);
            if (s.isSuccess()) {
                bound.add(pod.getMetadata().getName() + "->" + nodeName);
                if (cluster != null) {
                    Pod before = null;
                    for (var o : cluster.objects.getOrDefault(Pod.class, List.of())) {
                        if (o.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                            before = (Pod) o;
                        }
                    }
                    if (before != null) {
                        cluster.update(Pod.class, before, TestObjects.bound(before, nodeName));
                    }
                }
            }
            return s;
        }
    }

    /** A filter from a function, optionally with event registrations. */
    public static class FilterFn implements FilterPlugin {
        private final String name;
        private final BiFunction<Pod, NodeInfo, Status> fn;

        public FilterFn(String name, BiFunction<Pod, NodeInfo, Status> fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return fn.apply(pod, nodeInfo);
        }
    }

    /** A filter with EnqueueExtensions. */
    public static final class FilterWithEvents extends FilterFn implements EnqueueExtensions {
        private final List<EventWithHint> events;

        public FilterWithEvents(String name, BiFunction<Pod, NodeInfo, Status> fn, List<EventWithHint> events) {
            super(name, fn);
            this.events = events;
        }

        @Override
        public List<EventWithHint> eventsToRegister() {
            return events;
        }
    }

    /** A score from a function, with an optional normalization. */
    public static final class ScoreFn implements ScorePlugin, ScorePlugin.ScoreExtensions {
        private final String name;
        private final BiFunction<Pod, NodeInfo, Long> fn;
        private final boolean normalize;

        public ScoreFn(String name, BiFunction<Pod, NodeInfo, Long> fn, boolean normalize) {
            this.name = name;
            this.fn = fn;
            this.normalize = normalize;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return fn.apply(pod, nodeInfo);
        }

        @Override
        public ScoreExtensions scoreExtensions() {
            return normalize ? this : null;
        }

        /** Scales to [0, 100] by the highest score, as the default plugins' DefaultNormalizeScore. */
        @Override
        public Status normalizeScore(CycleState state, Pod pod, NodeScores scores) {
            long max = scores.max();
            for (int i = 0; i < scores.size(); i++) {
                scores.setScore(i, max == 0 ? 0 : scores.score(i) * MAX_NODE_SCORE / max);
            }
            return Status.SUCCESS;
        }
    }

    /** Logs every phase it is called at, as "name:phase". */
    public static class Recorder implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ReservePlugin,
            PermitPlugin, PreBindPlugin, PostBindPlugin {
        protected final String name;
        public final List<String> log;

        public Recorder(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
            log.add(name + ":preFilter");
            return PreFilterResult.SUCCESS;
        }

        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return Status.SUCCESS;
        }

        @Override
        public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
            log.add(name + ":preScore");
            return Status.SUCCESS;
        }

        @Override
        public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return 0;
        }

        @Override
        public Status reserve(CycleState state, Pod pod, String nodeName) {
            log.add(name + ":reserve");
            return Status.SUCCESS;
        }

        @Override
        public void unreserve(CycleState state, Pod pod, String nodeName) {
            log.add(name + ":unreserve");
        }

        @Override
        public PermitResult permit(CycleState state, Pod pod, String nodeName) {
            log.add(name + ":permit");
            return PermitResult.ALLOW;
        }

        @Override
        public Status preBind(CycleState state, Pod pod, String nodeName) {
            log.add(name + ":preBind");
            return Status.SUCCESS;
        }

        @Override
        public void postBind(CycleState state, Pod pod, String nodeName) {
            log.add(name + ":postBind");
        }
    }
}
