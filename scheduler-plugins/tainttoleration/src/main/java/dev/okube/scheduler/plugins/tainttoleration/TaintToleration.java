package dev.okube.scheduler.plugins.tainttoleration;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Taints against tolerations, as upstream's TaintToleration: Filter rejects a node with a NoSchedule or
 * NoExecute taint the pod does not tolerate; Score counts the PreferNoSchedule taints the pod does not
 * tolerate, and normalization reverses the counts so the node with the fewest scores highest.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, ScorePlugin.ScoreExtensions,
        EnqueueExtensions {
    public static final String NAME = "TaintToleration";
    static final String PRE_SCORE_STATE_KEY = "PreScore" + NAME;

    /** Upstream's helper.DoNotScheduleTaintsFilterFunc. */
    private static final Predicate<Taint> DO_NOT_SCHEDULE =
            t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());

    /** The pod's tolerations that can tolerate PreferNoSchedule taints (that effect, or any effect). */
    record PreScoreState(List<Toleration> tolerationsPreferNoSchedule) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        if (node == null) {
            return Status.error("invalid nodeInfo");
        }
        Taint taint = Tolerations.firstUntolerated(taints(node), pod.getSpec().getTolerations(), DO_NOT_SCHEDULE);
        if (taint == null) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(reason(taint));
    }

    /** The reason as upstream 1.32 words it: {@code node(s) had untolerated taint {key: value}}. */
    static String reason(Taint taint) {
        return "node(s) had untolerated taint {" + taint.getKey() + ": " + (taint.getValue() == null ? "" : taint.getValue())
                + "}";
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        state.write(PRE_SCORE_STATE_KEY, new PreScoreState(tolerationsPreferNoSchedule(pod.getSpec().getTolerations())));
        return Status.SUCCESS;
    }

    static List<Toleration> tolerationsPreferNoSchedule(List<Toleration> tolerations) {
        if (tolerations == null || tolerations.isEmpty()) {
            return List.of();
        }
        List<Toleration> out = new ArrayList<>(tolerations.size());
        for (Toleration t : tolerations) {
            // An empty effect means every effect, PreferNoSchedule included.
            if (t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect())) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_STATE_KEY, PreScoreState.class);
        if (s == null) {
            throw new IllegalStateException("failed to read \"" + PRE_SCORE_STATE_KEY + "\" from cycleState");
        }
        List<Taint> taints = taints(nodeInfo.node());
        if (taints == null) {
            return 0;
        }
        long intolerable = 0;
        for (int i = 0, n = taints.size(); i < n; i++) {
            Taint taint = taints.get(i);
            if ("PreferNoSchedule".equals(taint.getEffect()) && !Tolerations.tolerated(s.tolerationsPreferNoSchedule(), taint)) {
                intolerable++;
            }
        }
        return intolerable;
    }

    @Override
    public ScoreExtensions scoreExtensions() {
        return this;
    }

    @Override
    public Status normalizeScore(CycleState state, Pod pod, NodeScores scores) {
        defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
        return Status.SUCCESS;
    }

    /** Upstream's helper.DefaultNormalizeScore: scale to [0, max] by the highest score, optionally reversed. */
    static void defaultNormalizeScore(long maxPriority, boolean reverse, NodeScores scores) {
        long maxCount = 0;
        for (int i = 0; i < scores.size(); i++) {
            maxCount = Math.max(maxCount, scores.score(i));
        }
        if (maxCount == 0) {
            if (reverse) {
                for (int i = 0; i < scores.size(); i++) {
                    scores.setScore(i, maxPriority);
                }
            }
            return;
        }
        for (int i = 0; i < scores.size(); i++) {
            long score = maxPriority * scores.score(i) / maxCount;
            scores.setScore(i, reverse ? maxPriority - score : score);
        }
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT,
                        TaintToleration::afterNodeChange),
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.UPDATE_POD_TOLERATION,
                        TaintToleration::afterPodTolerationChange));
    }

    /** Queue when the node went from having an untolerated NoSchedule/NoExecute taint to having none. */
    static QueueingHint afterNodeChange(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Node modified)) {
            return QueueingHint.QUEUE;
        }
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        boolean wasUntolerated = !(oldObject instanceof Node original)
                || Tolerations.firstUntolerated(taints(original), tolerations, DO_NOT_SCHEDULE) != null;
        boolean isUntolerated = Tolerations.firstUntolerated(taints(modified), tolerations, DO_NOT_SCHEDULE) != null;
        return wasUntolerated && !isUntolerated ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    /** Queue when the rejected pod itself gained a toleration. */
    static QueueingHint afterPodTolerationChange(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Pod modified)) {
            return QueueingHint.QUEUE;
        }
        return Objects.equals(pod.getMetadata().getUid(), modified.getMetadata().getUid())
                ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    private static List<Taint> taints(Node node) {
        return node == null || node.getSpec() == null ? null : node.getSpec().getTaints();
    }
}
