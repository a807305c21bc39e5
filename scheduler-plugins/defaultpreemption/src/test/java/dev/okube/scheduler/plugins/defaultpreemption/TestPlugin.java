package dev.okube.scheduler.plugins.defaultpreemption;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Upstream's TestPlugin: its PreFilter extensions fail on nodes labelled error=true. */
final class TestPlugin implements PreFilterPlugin, FilterPlugin, PreFilterPlugin.PreFilterExtensions {
    @Override
    public String name() {
        return "test-plugin";
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        return PreFilterResult.SUCCESS;
    }

    @Override
    public PreFilterExtensions preFilterExtensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return failing(nodeInfo) || "add".equals(label(nodeInfo)) ? Status.error("failed to add pod: " + podToSchedule.getMetadata().getName()) : Status.SUCCESS;
    }

    @Override
    public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        return failing(nodeInfo) ? Status.error("failed to remove pod: " + podToSchedule.getMetadata().getName())
                : Status.SUCCESS;
    }

    private static boolean failing(NodeInfo nodeInfo) {
        return "true".equals(label(nodeInfo));
    }

    /** "true" fails both extensions, "add" only AddPod. */
    private static String label(NodeInfo nodeInfo) {
        var labels = nodeInfo.node().getMetadata().getLabels();
        return labels == null ? null : labels.get("error");
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        return Status.SUCCESS;
    }
}
