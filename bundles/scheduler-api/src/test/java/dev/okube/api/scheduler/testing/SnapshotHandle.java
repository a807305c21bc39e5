package dev.okube.api.scheduler.testing;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A FrameworkHandle for plugin unit tests (the scheduler-api test jar): a snapshot of nodes with their pods and informer caches of other kinds; parallelizes for real. */
public final class SnapshotHandle implements FrameworkHandle {
    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    private final Map<Class<?>, List<HasMetadata>> objects = new HashMap<>();

    public SnapshotHandle(List<Node> nodeList, List<Pod> pods, HasMetadata... others) {
        for (Node n : nodeList) {
            nodes.put(n.getMetadata().getName(), new NodeInfo(n));
        }
        for (Pod p : pods) {
            NodeInfo ni = nodes.get(p.getSpec().getNodeName());
            if (ni != null) {
                ni.addPod(PodInfo.of(p));
            }
        }
        for (HasMetadata o : others) {
            objects.computeIfAbsent(o.getClass(), k -> new ArrayList<>()).add(o);
        }
    }

    public List<NodeInfo> nodeInfos() {
        return new ArrayList<>(nodes.values());
    }

    public NodeInfo nodeInfo(String name) {
        return nodes.get(name);
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
                return nodeInfos();
            }

            @Override
            public NodeInfo get(String nodeName) {
                return nodes.get(nodeName);
            }

            @Override
            public List<NodeInfo> havePodsWithAffinity() {
                return nodes.values().stream().filter(n -> !n.podsWithAffinity().isEmpty()).toList();
            }

            @Override
            public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
                return nodes.values().stream().filter(n -> !n.podsWithRequiredAntiAffinity().isEmpty()).toList();
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        return new Lister<>() {
            private List<T> all() {
                return (List<T>) objects.getOrDefault(type, List.of());
            }

            @Override
            public List<T> list() {
                return all();
            }

            @Override
            public List<T> list(String namespace) {
                return all().stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
            }

            @Override
            public T get(String namespace, String name) {
                return all().stream().filter(o -> name.equals(o.getMetadata().getName())
                        && (namespace == null || o.getMetadata().getNamespace() == null
                                || Objects.equals(namespace, o.getMetadata().getNamespace())))
                        .findFirst().orElse(null);
            }
        };
    }

    @Override
    public void parallelize(int pieces, IntConsumer work) {
        IntStream.range(0, pieces).parallel().forEach(work);
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
    public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove,
            NodeInfo nodeInfo) {
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
