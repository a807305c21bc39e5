package dev.okube.scheduler.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The scheduler's view of the cluster, as upstream's internal/cache: nodes with the pods bound to them
 * (from the informers) and the pods the scheduler assumed on them before their binding shows. A pod is
 * assumed when it is reserved, forgotten when its cycle fails, confirmed when the informer sees it bound,
 * and expired when its binding finished but never showed within the TTL.
 *
 * <p>NodeInfos are kept in a list ordered by last change so that {@link #updateSnapshot} copies only the
 * nodes changed since the snapshot's generation. Thread-safe (one lock).
 */
public final class SchedulerCache {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerCache.class);

    private static final class Item {
        final String name;
        final NodeInfo info;
        Item prev;
        Item next;

        Item(String name, NodeInfo info) {
            this.name = name;
            this.info = info;
        }
    }

    private static final class PodState {
        Pod pod;
        long deadline;
        boolean bindingFinished;

        PodState(Pod pod) {
            this.pod = pod;
        }
    }

    private static final class ImageEntry {
        long size;
        final Set<String> nodes = new HashSet<>();
    }

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Item> nodes = new HashMap<>();
    private Item head;
    private final NodeTree tree = new NodeTree();
    private long treeVersion;
    private final Map<String, PodState> podStates = new HashMap<>();
    private final Set<String> assumed = new HashSet<>();
    private final Map<String, ImageEntry> images = new HashMap<>();

    /**
     * @param ttl how long an assumed pod whose binding finished may wait for the informer to show it bound;
     *            zero or negative: never expire
     */
    public SchedulerCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    // ---- the change-ordered list ----

    private void moveToHead(Item item) {
        if (head == item) {
            return;
        }
        if (item.prev != null) {
            item.prev.next = item.next;
        }
        if (item.next != null) {
            item.next.prev = item.prev;
        }
        item.prev = null;
        item.next = head;
        if (head != null) {
            head.prev = item;
        }
        head = item;
    }

    private void unlink(Item item) {
        if (item.prev != null) {
            item.prev.next = item.next;
        }
        if (item.next != null) {
            item.next.prev = item.prev;
        }
        if (head == item) {
            head = item.next;
        }
        item.prev = null;
        item.next = null;
    }

    private Item itemFor(String nodeName) {
        Item item = nodes.get(nodeName);
        if (item == null) {
            item = new Item(nodeName, new NodeInfo());
            nodes.put(nodeName, item);
        }
        return item;
    }

    // ---- pods ----

    private void addPodToNode(Pod pod) {
        Item item = itemFor(pod.getSpec().getNodeName());
        item.info.addPod(PodInfo.of(pod));
        moveToHead(item);
    }

    private void removePodFromNode(Pod pod) {
        String nodeName = pod.getSpec().getNodeName();
        Item item = nodes.get(nodeName);
        if (item == null) {
            return;
        }
        item.info.removePod(pod);
        if (item.info.pods().isEmpty() && item.info.node() == null) {
            unlink(item);
            nodes.remove(nodeName);
        } else {
            moveToHead(item);
        }
    }

    /** Assumes {@code pod} (its spec.nodeName set to the chosen node) runs there until its binding shows. */
    public synchronized void assumePod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (podStates.containsKey(uid)) {
            throw new IllegalStateException("pod " + key(pod) + "(" + uid + ") is in the cache, so can't be assumed");
        }
        addPodToNode(pod);
        podStates.put(uid, new PodState(pod));
        assumed.add(uid);
    }

    /** The binding call returned: from now on the assumed pod expires after the TTL. */
    public synchronized void finishBinding(Pod pod) {
        PodState s = podStates.get(pod.getMetadata().getUid());
        if (s != null && assumed.contains(pod.getMetadata().getUid())) {
            s.bindingFinished = true;
            s.deadline = clock.millis() + ttl.toMillis();
        }
    }

    /** Removes an assumed pod (its cycle failed). */
    public synchronized void forgetPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodState s = podStates.get(uid);
        if (s == null || !assumed.contains(uid)) {
            return;
        }
        removePodFromNode(s.pod);
        podStates.remove(uid);
        assumed.remove(uid);
    }

    /** The informer saw a bound pod: confirms an assumed pod, or adds it. */
    public synchronized void addPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodState s = podStates.get(uid);
        if (s != null && assumed.contains(uid)) {
            removePodFromNode(s.pod);
            addPodToNode(pod);
            s.pod = pod;
            s.bindingFinished = false;
            assumed.remove(uid);
            return;
        }
        if (s != null) {
            // Added twice (e.g. an expired assumed pod reappearing): treat as an update.
            removePodFromNode(s.pod);
            addPodToNode(pod);
            s.pod = pod;
            return;
        }
        addPodToNode(pod);
        podStates.put(uid, new PodState(pod));
    }

    public synchronized void updatePod(Pod oldPod, Pod newPod) {
        String uid = newPod.getMetadata().getUid();
        PodState s = podStates.get(uid);
        if (s == null) {
            addPodToNode(newPod);
            podStates.put(uid, new PodState(newPod));
            return;
        }
        removePodFromNode(s.pod);
        addPodToNode(newPod);
        s.pod = newPod;
        assumed.remove(uid);
    }

    public synchronized void removePod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodState s = podStates.remove(uid);
        if (s == null) {
            return;
        }
        removePodFromNode(s.pod);
        assumed.remove(uid);
    }

    /** Whether the pod is on a node in the cache: assumed by this scheduler or seen bound. */
    public synchronized boolean hasPod(String uid) {
        return podStates.containsKey(uid);
    }

    public synchronized boolean isAssumedPod(String uid) {
        return assumed.contains(uid);
    }

    /** The pod the cache has (assumed or bound), or null. */
    public synchronized Pod getPod(String uid) {
        PodState s = podStates.get(uid);
        return s == null ? null : s.pod;
    }

    /** Expires assumed pods whose binding finished longer than the TTL ago; returns them. */
    public synchronized List<Pod> cleanupExpiredAssumedPods() {
        if (ttl.isZero() || ttl.isNegative() || assumed.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<Pod> expired = new ArrayList<>();
        for (String uid : new ArrayList<>(assumed)) {
            PodState s = podStates.get(uid);
            if (s != null && s.bindingFinished && now > s.deadline) {
                LOG.warn("Assumed pod {} on node {} expired: its binding never showed", key(s.pod), s.pod.getSpec().getNodeName());
                removePodFromNode(s.pod);
                podStates.remove(uid);
                assumed.remove(uid);
                expired.add(s.pod);
            }
        }
        return expired;
    }

    // ---- nodes ----

    public synchronized void addNode(Node node) {
        String name = node.getMetadata().getName();
        Item item = nodes.get(name);
        Node old = item == null ? null : item.info.node();
        item = itemFor(name);
        if (old == null) {
            tree.add(node);
            treeVersion++;
        } else if (tree.update(old, node)) {
            treeVersion++;
        }
        updateImages(name, old, node, item.info);
        item.info.setNode(node);
        moveToHead(item);
    }

    public synchronized void updateNode(Node oldNode, Node newNode) {
        addNode(newNode);
    }

    public synchronized void removeNode(Node node) {
        String name = node.getMetadata().getName();
        Item item = nodes.get(name);
        if (item == null) {
            return;
        }
        Node old = item.info.node();
        if (old != null && tree.remove(old)) {
            treeVersion++;
        }
        updateImages(name, old, null, item.info);
        if (item.info.pods().isEmpty()) {
            unlink(item);
            nodes.remove(name);
        } else {
            item.info.setNode(null);
            moveToHead(item);
        }
    }

    private void updateImages(String nodeName, Node oldNode, Node newNode, NodeInfo info) {
        List<ContainerImage> oldImages = images(oldNode);
        List<ContainerImage> newImages = images(newNode);
        if (oldImages.isEmpty() && newImages.isEmpty()) {
            return;
        }
        for (ContainerImage ci : oldImages) {
            for (String n : ci.getNames()) {
                ImageEntry e = images.get(n);
                if (e != null) {
                    e.nodes.remove(nodeName);
                    if (e.nodes.isEmpty()) {
                        images.remove(n);
                    }
                }
            }
        }
        Map<String, NodeInfo.ImageState> states = new HashMap<>();
        for (ContainerImage ci : newImages) {
            for (String n : ci.getNames()) {
                ImageEntry e = images.computeIfAbsent(n, k -> new ImageEntry());
                e.size = ci.getSizeBytes() == null ? 0 : ci.getSizeBytes();
                e.nodes.add(nodeName);
            }
        }
        for (ContainerImage ci : newImages) {
            for (String n : ci.getNames()) {
                ImageEntry e = images.get(n);
                states.put(n, new NodeInfo.ImageState(e.size, e.nodes.size()));
            }
        }
        info.setImageStates(Map.copyOf(states));
    }

    private static List<ContainerImage> images(Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getImages() == null) {
            return List.of();
        }
        List<ContainerImage> out = new ArrayList<>();
        for (ContainerImage ci : node.getStatus().getImages()) {
            if (ci.getNames() != null && !ci.getNames().isEmpty()) {
                out.add(ci);
            }
        }
        return out;
    }

    public synchronized int nodeCount() {
        return tree.numNodes();
    }

    public synchronized int assumedCount() {
        return assumed.size();
    }

    /** The zone-interleaved node order. */
    public synchronized List<String> nodeOrder() {
        return tree.list();
    }

    /**
     * Brings {@code snapshot} up to date: copies only the NodeInfos whose generation is newer than the
     * snapshot's, and rebuilds the node list only when nodes were added, removed or changed zone.
     */
    public synchronized void updateSnapshot(Snapshot snapshot) {
        boolean updateList = snapshot.treeVersion != treeVersion;
        boolean updateAffinity = false;
        long gen = snapshot.generation;
        for (Item item = head; item != null; item = item.next) {
            NodeInfo info = item.info;
            if (info.generation() <= snapshot.generation) {
                break;
            }
            NodeInfo clone = info.copy();
            String name = item.name;
            NodeInfo existing = snapshot.byName.put(name, clone);
            if (existing == null) {
                updateList = true;
            } else if (!existing.podsWithAffinity().isEmpty() || !clone.podsWithAffinity().isEmpty()
                    || !existing.podsWithRequiredAntiAffinity().isEmpty() || !clone.podsWithRequiredAntiAffinity().isEmpty()) {
                updateAffinity = true;
            }
            if (existing != null && (existing.node() == null) != (clone.node() == null)) {
                updateList = true;
            }
            if (!updateList) {
                Integer idx = snapshot.index.get(name);
                if (idx != null && clone.node() != null) {
                    snapshot.nodes[idx] = clone;
                } else if (clone.node() != null) {
                    updateList = true;
                }
            }
            gen = Math.max(gen, info.generation());
        }
        snapshot.generation = gen;
        if (snapshot.byName.size() > nodes.size()) {
            snapshot.byName.keySet().removeIf(n -> !nodes.containsKey(n));
            updateList = true;
        }
        if (updateList) {
            snapshot.rebuildList(tree.list());
            snapshot.treeVersion = treeVersion;
            updateAffinity = true;
        }
        if (updateAffinity) {
            snapshot.rebuildAffinityLists();
        }
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
