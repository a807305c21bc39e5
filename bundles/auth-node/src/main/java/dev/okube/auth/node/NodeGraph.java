package dev.okube.auth.node;

import dev.okube.api.resources.PodReferences;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import tools.jackson.databind.JsonNode;

/**
 * What each node may read, as upstream's node authorizer graph: the pods bound to a node, and what
 * those pods reference (secrets, config maps, claims and through them volumes and their secrets,
 * service accounts, DRA resource claims), plus volume attachments naming the node.
 *
 * <p>Rather than a general graph walk, every object a bound pod references keeps a count of the pods
 * per node that reference it, so the question "is there a path from this object to that node" is a
 * map lookup (a persistent volume adds one hop through its claim; a secret a volume references one
 * more). Writes come from the watch threads, reads from request threads; a read-write lock guards it.
 */
final class NodeGraph {
    /** The kinds of objects a node may be related to. */
    enum Kind {
        POD("pod"), SECRET("secret"), CONFIGMAP("configmap"), PVC("pvc"), PV("pv"), SERVICEACCOUNT("serviceAccount"),
        RESOURCECLAIM("resourceclaim"), VOLUMEATTACHMENT("volumeattachment");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name upstream's messages use for this kind of vertex. */
        String label() {
            return label;
        }
    }

    /** One object; namespace is "" for cluster-scoped kinds. */
    record Ref(Kind kind, String namespace, String name) {
    }

    /** A bound pod: its node, uid and every object it references. */
    private record PodEntry(String node, String uid, Set<Ref> refs) {
    }

    /** A persistent volume: the claim it is bound to (or null) and the secrets it references. */
    private record PvEntry(Ref claim, Set<Ref> secrets) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, PodEntry> pods = new HashMap<>();
    /** For each object bound pods reference: node name → how many of that node's pods reference it. */
    private final Map<Ref, Map<String, Integer>> nodesOf = new HashMap<>();
    private final Map<String, PvEntry> pvs = new HashMap<>();
    /** Secret → the persistent volumes referencing it. */
    private final Map<Ref, Set<String>> pvsBySecret = new HashMap<>();
    /** Volume attachment name → node name. */
    private final Map<String, String> attachments = new HashMap<>();

    /** Adds or replaces a pod; a pod not bound to a node (no spec.nodeName) is removed. */
    void putPod(JsonNode pod) {
        String namespace = pod.path("metadata").path("namespace").asString("");
        String name = pod.path("metadata").path("name").asString("");
        String node = pod.path("spec").path("nodeName").asString("");
        String key = namespace + "/" + name;
        if (node.isEmpty()) {
            removePod(namespace, name);
            return;
        }
        PodEntry entry = new PodEntry(node, pod.path("metadata").path("uid").asString(""), podRefs(pod, namespace));
        lock.writeLock().lock();
        try {
            PodEntry old = pods.get(key);
            if (entry.equals(old)) {
                return;
            }
            if (old != null) {
                unlink(old);
            }
            pods.put(key, entry);
            for (Ref ref : entry.refs()) {
                nodesOf.computeIfAbsent(ref, r -> new HashMap<>()).merge(node, 1, Integer::sum);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void removePod(String namespace, String name) {
        lock.writeLock().lock();
        try {
            PodEntry old = pods.remove(namespace + "/" + name);
            if (old != null) {
                unlink(old);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void unlink(PodEntry entry) {
        for (Ref ref : entry.refs()) {
            Map<String, Integer> counts = nodesOf.get(ref);
            if (counts != null) {
                counts.computeIfPresent(entry.node(), (n, c) -> c <= 1 ? null : c - 1);
                if (counts.isEmpty()) {
                    nodesOf.remove(ref);
                }
            }
        }
    }

    private static Set<Ref> podRefs(JsonNode pod, String namespace) {
        Set<Ref> refs = new LinkedHashSet<>();
        for (String secret : PodReferences.secrets(pod)) {
            refs.add(new Ref(Kind.SECRET, namespace, secret));
        }
        for (String configMap : PodReferences.configMaps(pod)) {
            refs.add(new Ref(Kind.CONFIGMAP, namespace, configMap));
        }
        for (String claim : PodReferences.persistentVolumeClaims(pod)) {
            refs.add(new Ref(Kind.PVC, namespace, claim));
        }
        for (String claim : PodReferences.resourceClaims(pod)) {
            refs.add(new Ref(Kind.RESOURCECLAIM, namespace, claim));
        }
        String serviceAccount = pod.path("spec").path("serviceAccountName").asString("");
        if (!serviceAccount.isEmpty()) {
            refs.add(new Ref(Kind.SERVICEACCOUNT, namespace, serviceAccount));
        }
        return refs;
    }

    /** Adds or replaces a persistent volume (its claim from spec.claimRef, its secrets). */
    void putPv(JsonNode pv) {
        String name = pv.path("metadata").path("name").asString("");
        JsonNode claimRef = pv.path("spec").path("claimRef");
        Ref claim = claimRef.isObject() && !claimRef.path("name").asString("").isEmpty()
                ? new Ref(Kind.PVC, claimRef.path("namespace").asString(""), claimRef.path("name").asString(""))
                : null;
        Set<Ref> secrets = new LinkedHashSet<>();
        for (String key : References.pvSecrets(pv)) {
            int slash = key.indexOf('/');
            secrets.add(new Ref(Kind.SECRET, key.substring(0, slash), key.substring(slash + 1)));
        }
        lock.writeLock().lock();
        try {
            removePvLocked(name);
            pvs.put(name, new PvEntry(claim, secrets));
            for (Ref secret : secrets) {
                pvsBySecret.computeIfAbsent(secret, s -> new HashSet<>()).add(name);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void removePv(String name) {
        lock.writeLock().lock();
        try {
            removePvLocked(name);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removePvLocked(String name) {
        PvEntry old = pvs.remove(name);
        if (old == null) {
            return;
        }
        for (Ref secret : old.secrets()) {
            Set<String> names = pvsBySecret.get(secret);
            if (names != null) {
                names.remove(name);
                if (names.isEmpty()) {
                    pvsBySecret.remove(secret);
                }
            }
        }
    }

    /** Adds or replaces a volume attachment: it relates to the node in its spec.nodeName. */
    void putAttachment(JsonNode attachment) {
        String name = attachment.path("metadata").path("name").asString("");
        String node = attachment.path("spec").path("nodeName").asString("");
        lock.writeLock().lock();
        try {
            if (node.isEmpty()) {
                attachments.remove(name);
            } else {
                attachments.put(name, node);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void removeAttachment(String name) {
        lock.writeLock().lock();
        try {
            attachments.remove(name);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether there is a path from the object to the node (the node may read it). */
    boolean related(String node, Kind kind, String namespace, String name) {
        Objects.requireNonNull(node, "node should not be null");
        lock.readLock().lock();
        try {
            switch (kind) {
                case POD: {
                    PodEntry pod = pods.get(namespace + "/" + name);
                    return pod != null && pod.node().equals(node);
                }
                case PV:
                    return pvRelated(name, node);
                case VOLUMEATTACHMENT:
                    return node.equals(attachments.get(name));
                case SECRET:
                    if (referencedFrom(new Ref(kind, namespace, name), node)) {
                        return true;
                    }
                    for (String pv : pvsBySecret.getOrDefault(new Ref(kind, namespace, name), Set.of())) {
                        if (pvRelated(pv, node)) {
                            return true;
                        }
                    }
                    return false;
                default:
                    return referencedFrom(new Ref(kind, namespace, name), node);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean referencedFrom(Ref ref, String node) {
        Map<String, Integer> counts = nodesOf.get(ref);
        return counts != null && counts.containsKey(node);
    }

    private boolean pvRelated(String pvName, String node) {
        PvEntry pv = pvs.get(pvName);
        return pv != null && pv.claim() != null && referencedFrom(pv.claim(), node);
    }

    /** Whether the object is in the graph at all (referenced by a bound pod, or a known volume or attachment). */
    boolean knows(Kind kind, String namespace, String name) {
        lock.readLock().lock();
        try {
            switch (kind) {
                case POD:
                    return pods.containsKey(namespace + "/" + name);
                case PV:
                    return pvs.containsKey(name);
                case VOLUMEATTACHMENT:
                    return attachments.containsKey(name);
                case SECRET:
                    Ref ref = new Ref(kind, namespace, name);
                    return nodesOf.containsKey(ref) || pvsBySecret.containsKey(ref);
                default:
                    return nodesOf.containsKey(new Ref(kind, namespace, name));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many bound pods the graph holds (for tests and diagnostics). */
    int podCount() {
        lock.readLock().lock();
        try {
            return pods.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
