package dev.okube.scheduler.plugins.coscheduling;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** The parts of a framework Coscheduling uses: waiting pods and activation. */
final class FakeHandle implements FrameworkHandle {
    final List<FakeWaitingPod> waiting = new ArrayList<>();
    final List<String> activated = new ArrayList<>();

    static final class FakeWaitingPod implements WaitingPod {
        final Pod pod;
        final Set<String> pending = new HashSet<>(Set.of(Coscheduling.NAME));
        String rejected;

        FakeWaitingPod(Pod pod) {
            this.pod = pod;
        }

        @Override
        public Pod pod() {
            return pod;
        }

        @Override
        public String nodeName() {
            return "node";
        }

        @Override
        public Set<String> pendingPlugins() {
            return pending;
        }

        @Override
        public void allow(String pluginName) {
            pending.remove(pluginName);
        }

        @Override
        public void reject(String pluginName, String message) {
            rejected = pluginName + ": " + message;
        }
    }

    FakeWaitingPod addWaiting(Pod pod) {
        FakeWaitingPod wp = new FakeWaitingPod(pod);
        waiting.add(wp);
        return wp;
    }

    @Override
    public String schedulerName() {
        return "default-scheduler";
    }

    @Override
    public NodeInfoLister snapshot() {
        throw new UnsupportedOperationException();
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
        for (FakeWaitingPod wp : waiting) {
            if (wp.pod.getMetadata().getUid().equals(uid)) {
                return wp;
            }
        }
        return null;
    }

    @Override
    public void forEachWaitingPod(Consumer<WaitingPod> action) {
        waiting.forEach(action);
    }

    @Override
    public void activate(Collection<Pod> pods) {
        pods.forEach(p -> activated.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
    }
}
