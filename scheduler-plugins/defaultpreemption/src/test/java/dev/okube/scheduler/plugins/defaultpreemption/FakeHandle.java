package dev.okube.scheduler.plugins.defaultpreemption;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** A framework handle over a fixed snapshot that runs a list of real plugins, sequentially. */
final class FakeHandle implements FrameworkHandle {
    final List<NodeInfo> nodes = new ArrayList<>();
    final List<HasMetadata> objects = new ArrayList<>();
    final List<Object> plugins = new ArrayList<>();
    final Map<String, List<PodInfo>> nominated = new HashMap<>();
    final Map<String, WaitingPod> waiting = new HashMap<>();

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
                for (NodeInfo n : nodes) {
                    if (n.name().equals(nodeName)) {
                        return n;
                    }
                }
                return null;
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
        List<T> of = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (type.isInstance(o)) {
                of.add(type.cast(o));
            }
        }
        return new Lister<>() {
            @Override
            public List<T> list() {
                return of;
            }

            @Override
            public List<T> list(String namespace) {
                return of.stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
            }

            @Override
            public T get(String namespace, String name) {
                return of.stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst().orElse(null);
            }
        };
    }

    @Override
    public void parallelize(int pieces, IntConsumer work) {
        for (int i = 0; i < pieces; i++) {
            work.accept(i);
        }
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        return nominated.getOrDefault(nodeName, List.of());
    }

    /** Runs the PreFilter plugins, as the framework does before PostFilter. */
    void preFilter(CycleState state, Pod pod) {
        for (Object p : plugins) {
            if (p instanceof PreFilterPlugin pf) {
                pf.preFilter(state, pod, nodes);
            }
        }
    }

    @Override
    public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
        for (Object p : plugins) {
            if (p instanceof FilterPlugin f) {
                Status s = f.filter(state, pod, nodeInfo);
                if (!s.isSuccess()) {
                    return s.withPlugin(f.name());
                }
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        for (Object p : plugins) {
            if (p instanceof PreFilterPlugin pf && pf.preFilterExtensions() != null) {
                Status s = pf.preFilterExtensions().addPod(state, podToSchedule, podToAdd, nodeInfo);
                if (!s.isSuccess()) {
                    return Status.error("running AddPod on PreFilter plugin \"" + pf.name() + "\": " + s.message());
                }
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        for (Object p : plugins) {
            if (p instanceof PreFilterPlugin pf && pf.preFilterExtensions() != null) {
                Status s = pf.preFilterExtensions().removePod(state, podToSchedule, podToRemove, nodeInfo);
                if (!s.isSuccess()) {
                    return Status.error("running RemovePod on PreFilter plugin \"" + pf.name() + "\": " + s.message());
                }
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public WaitingPod waitingPod(String uid) {
        return waiting.get(uid);
    }

    @Override
    public void forEachWaitingPod(Consumer<WaitingPod> action) {
        waiting.values().forEach(action);
    }

    @Override
    public void activate(Collection<Pod> pods) {
    }
}
