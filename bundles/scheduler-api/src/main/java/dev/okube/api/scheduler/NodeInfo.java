package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node and the pods on it (bound and assumed), with their aggregated requests, as upstream's
 * framework.NodeInfo. The scheduler's cache owns the instances; in a cycle plugins see a snapshot
 * and must not change it. Preemption works on {@link #copy()}s, adding and removing pods.
 */
public final class NodeInfo {
    private static final AtomicLong GENERATIONS = new AtomicLong();

    /** An image present on a node, with how many nodes of the cluster have it (for ImageLocality). */
    public record ImageState(long sizeBytes, int numNodes) {
    }

    private Node node;
    private List<PodInfo> pods = new ArrayList<>();
    private List<PodInfo> podsWithAffinity = new ArrayList<>();
    private List<PodInfo> podsWithRequiredAntiAffinity = new ArrayList<>();
    private HostPorts usedPorts = new HostPorts();
    private Resource requested = new Resource();
    private Resource nonZeroRequested = new Resource();
    private Resource allocatable = new Resource();
    private Map<String, ImageState> imageStates = Map.of();
    private Map<String, Integer> pvcRefCounts = new HashMap<>();
    private long generation = GENERATIONS.incrementAndGet();

    public NodeInfo() {
    }

    public NodeInfo(Node node) {
        setNode(node);
    }

    /** The node, or null when it was deleted while pods assumed on it remain. */
    public Node node() {
        return node;
    }

    public String name() {
        return node == null ? null : node.getMetadata().getName();
    }

    public List<PodInfo> pods() {
        return pods;
    }

    public List<PodInfo> podsWithAffinity() {
        return podsWithAffinity;
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity;
    }

    public HostPorts usedPorts() {
        return usedPorts;
    }

    /** The sum of the requests of the pods on the node. */
    public Resource requested() {
        return requested;
    }

    /** As {@link #requested()}, with defaults for containers that request no cpu or memory. */
    public Resource nonZeroRequested() {
        return nonZeroRequested;
    }

    /** The node's {@code status.allocatable}. */
    public Resource allocatable() {
        return allocatable;
    }

    /** The images on the node by name (every name of each image), as the scheduler's cache summarises them. */
    public Map<String, ImageState> imageStates() {
        return imageStates;
    }

    /** How many pods on the node use each PVC, keyed "namespace/claimName". */
    public Map<String, Integer> pvcRefCounts() {
        return pvcRefCounts;
    }

    /** Changes whenever the node or its pods change; the cache uses it to refresh snapshots incrementally. */
    public long generation() {
        return generation;
    }

    public void setNode(Node node) {
        this.node = node;
        this.allocatable = node == null || node.getStatus() == null ? new Resource()
                : Resource.of(node.getStatus().getAllocatable());
        this.generation = GENERATIONS.incrementAndGet();
    }

    public void setImageStates(Map<String, ImageState> imageStates) {
        this.imageStates = imageStates;
        this.generation = GENERATIONS.incrementAndGet();
    }

    public void addPod(PodInfo pod) {
        pods.add(pod);
        if (pod.hasAffinity()) {
            podsWithAffinity.add(pod);
        }
        if (!pod.requiredAntiAffinityTerms().isEmpty()) {
            podsWithRequiredAntiAffinity.add(pod);
        }
        update(pod, 1);
    }

    /** Removes the pod with {@code pod}'s uid; false when it is not on this node. */
    public boolean removePod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            if (p.uid().equals(uid)) {
                pods.remove(i);
                podsWithAffinity.removeIf(x -> x.uid().equals(uid));
                podsWithRequiredAntiAffinity.removeIf(x -> x.uid().equals(uid));
                update(p, -1);
                return true;
            }
        }
        return false;
    }

    private void update(PodInfo pod, int sign) {
        if (sign > 0) {
            requested.add(pod.requests());
            nonZeroRequested.add(pod.nonZeroRequests());
        } else {
            requested.subtract(pod.requests());
            nonZeroRequested.subtract(pod.nonZeroRequests());
        }
        for (HostPorts.HostPort p : HostPorts.of(pod.pod())) {
            if (sign > 0) {
                usedPorts.add(p);
            } else {
                usedPorts.remove(p);
            }
        }
        for (String claim : claims(pod.pod())) {
            pvcRefCounts.merge(claim, sign, (a, b) -> a + b == 0 ? null : a + b);
        }
        generation = GENERATIONS.incrementAndGet();
    }

    private static List<String> claims(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Volume v : pod.getSpec().getVolumes()) {
            PersistentVolumeClaimVolumeSource pvc = v.getPersistentVolumeClaim();
            if (pvc != null) {
                out.add(pod.getMetadata().getNamespace() + "/" + pvc.getClaimName());
            } else if (v.getEphemeral() != null) {
                // Generic ephemeral volumes are claims named <pod>-<volume>.
                out.add(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + "-" + v.getName());
            }
        }
        return out;
    }

    /** A copy whose pod lists and sums can change without touching this one (pods themselves are shared). */
    public NodeInfo copy() {
        NodeInfo c = new NodeInfo();
        c.node = node;
        c.pods = new ArrayList<>(pods);
        c.podsWithAffinity = new ArrayList<>(podsWithAffinity);
        c.podsWithRequiredAntiAffinity = new ArrayList<>(podsWithRequiredAntiAffinity);
        c.usedPorts = usedPorts.copy();
        c.requested = requested.copy();
        c.nonZeroRequested = nonZeroRequested.copy();
        c.allocatable = allocatable.copy();
        c.imageStates = imageStates;
        c.pvcRefCounts = new HashMap<>(pvcRefCounts);
        c.generation = generation;
        return c;
    }

    @Override
    public String toString() {
        return "NodeInfo{" + name() + ", pods=" + pods.size() + ", requested=" + requested + "}";
    }
}
