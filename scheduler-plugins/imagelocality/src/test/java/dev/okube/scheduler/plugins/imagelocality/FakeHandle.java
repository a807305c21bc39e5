package dev.okube.scheduler.plugins.imagelocality;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** A framework handle whose snapshot is a fixed list of nodes; nothing else is needed by ImageLocality. */
final class FakeHandle implements FrameworkHandle {
    private final List<NodeInfo> nodes;

    FakeHandle(List<NodeInfo> nodes) {
        this.nodes = nodes;
    }

    @Override
    public String schedulerName() {
        return "default-scheduler";
    }

    @Override
    public NodeInfoLister snapshot() {
        return new NodeInfoLister() {
            @Override
            public List<NodeInfo> list() {
                return nodes;
            }

            @Override
            public NodeInfo get(String nodeName) {
                return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst().orElse(null);
            }

            @Override
            public List<NodeInfo> havePodsWithAffinity() {
                return List.of();
            }

            @Override
            public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
                return List.of();
            }
        };
    }

    @Override
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void parallelize(int pieces, IntConsumer work) {
        for (int i = 0; i < pieces; i++) {
            work.accept(i);
        }
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        return List.of();
    }

    @Override
    public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WaitingPod waitingPod(String uid) {
        return null;
    }

    @Override
    public void forEachWaitingPod(Consumer<WaitingPod> action) {
    }

    @Override
    public void activate(Collection<Pod> pods) {
    }
}
