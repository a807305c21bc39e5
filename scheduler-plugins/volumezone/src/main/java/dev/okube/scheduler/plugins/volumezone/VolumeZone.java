package dev.okube.scheduler.plugins.volumezone;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's VolumeZone: the zone and region labels of the volumes bound to a pod's claims must match
 * the node's (a node without any such label fits everything, for single-zone clusters). Claims still
 * waiting for their first consumer are left to VolumeBinding.
 */
public final class VolumeZone implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
    public static final String NAME = "VolumeZone";
    static final String STATE_KEY = "PreFilter" + NAME;

    /** Upstream's ErrReasonConflict. */
    public static final String ERR_REASON_CONFLICT = "node(s) had no available volume zone";

    static final String BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
    static final String BETA_REGION = "failure-domain.beta.kubernetes.io/region";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String REGION = "topology.kubernetes.io/region";
    static final String[] TOPOLOGY_LABELS = {BETA_ZONE, BETA_REGION, ZONE, REGION};
    static final String BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    private final Lister<PersistentVolume> volumes;
    private final Lister<PersistentVolumeClaim> claims;
    private final Lister<StorageClass> classes;

    public VolumeZone(Lister<PersistentVolume> volumes, Lister<PersistentVolumeClaim> claims, Lister<StorageClass> classes) {
        this.volumes = Objects.requireNonNull(volumes);
        this.claims = Objects.requireNonNull(claims);
        this.classes = Objects.requireNonNull(classes);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One topology label of a bound volume: its key, the GA key to fall back on, and the allowed values. */
    record Topology(String pvName, String key, String gaKey, Set<String> values) {
    }

    /** Immutable once PreFilter wrote it. */
    record State(List<Topology> topologies) implements CycleState.StateData {
        @Override
        public State copy() {
            return this;
        }
    }

    /** The topologies, or a rejection. */
    private record Lookup(List<Topology> topologies, Status status) {
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        if (volumesOf(pod).isEmpty()) {
            return PreFilterResult.SKIP;
        }
        Lookup lookup = topologiesOf(pod);
        if (lookup.status != null) {
            return PreFilterResult.of(lookup.status);
        }
        if (lookup.topologies.isEmpty()) {
            return PreFilterResult.SKIP;
        }
        state.write(STATE_KEY, new State(lookup.topologies));
        return PreFilterResult.SUCCESS;
    }

    private Lookup topologiesOf(Pod pod) {
        List<Topology> out = new ArrayList<>();
        String ns = pod.getMetadata().getNamespace();
        for (Volume v : volumesOf(pod)) {
            if (v.getPersistentVolumeClaim() == null) {
                continue;
            }
            String claimName = v.getPersistentVolumeClaim().getClaimName();
            if (claimName == null || claimName.isEmpty()) {
                return new Lookup(null, Status.unresolvable("PersistentVolumeClaim had no name"));
            }
            PersistentVolumeClaim claim = claims.get(ns, claimName);
            if (claim == null) {
                return new Lookup(null, Status.unresolvable("persistentvolumeclaim \"" + claimName + "\" not found"));
            }
            String pvName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
            if (pvName == null || pvName.isEmpty()) {
                String className = claimClass(claim);
                if (className.isEmpty()) {
                    return new Lookup(null, Status.unresolvable("PersistentVolumeClaim had no pv name and storageClass name"));
                }
                StorageClass sc = classes.get(null, className);
                if (sc == null) {
                    return new Lookup(null, Status.unresolvable("storageclass.storage.k8s.io \"" + className + "\" not found"));
                }
                if (sc.getVolumeBindingMode() == null) {
                    return new Lookup(null, Status.unresolvable("VolumeBindingMode not set for StorageClass \"" + className + "\""));
                }
                if ("WaitForFirstConsumer".equals(sc.getVolumeBindingMode())) {
                    continue; // not bound yet: VolumeBinding chooses a volume that fits the node
                }
                return new Lookup(null, Status.unresolvable("PersistentVolume had no name"));
            }
            PersistentVolume pv = volumes.get(null, pvName);
            if (pv == null) {
                return new Lookup(null, Status.unresolvable("persistentvolume \"" + pvName + "\" not found"));
            }
            Map<String, String> labels = pv.getMetadata().getLabels();
            if (labels == null) {
                continue;
            }
            for (String key : TOPOLOGY_LABELS) {
                String value = labels.get(key);
                if (value == null) {
                    continue;
                }
                Set<String> zones = labelZonesToSet(value);
                if (zones == null) {
                    continue; // unparsable: ignored, as upstream
                }
                out.add(new Topology(pvName, key, translateToGA(key), zones));
            }
        }
        return new Lookup(List.copyOf(out), null);
    }

    /** Upstream's volumehelpers.LabelZonesToSet: "a__b" is {a, b}; null when a zone is empty. */
    static Set<String> labelZonesToSet(String value) {
        Set<String> zones = new HashSet<>();
        if (value.isEmpty()) {
            return zones;
        }
        for (String z : value.split("__", -1)) {
            String t = z.trim();
            if (t.isEmpty()) {
                return null;
            }
            zones.add(t);
        }
        return Set.copyOf(zones);
    }

    private static String translateToGA(String key) {
        return switch (key) {
            case BETA_REGION -> REGION;
            case BETA_ZONE -> ZONE;
            default -> key;
        };
    }

    static String claimClass(PersistentVolumeClaim claim) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(BETA_STORAGE_CLASS_ANNOTATION)) {
            return annotations.get(BETA_STORAGE_CLASS_ANNOTATION);
        }
        String name = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        return name == null ? "" : name;
    }

    @Override
    public Status filter(CycleState cycleState, Pod pod, NodeInfo nodeInfo) {
        if (volumesOf(pod).isEmpty()) {
            return Status.SUCCESS;
        }
        List<Topology> topologies;
        State s = cycleState.read(STATE_KEY, State.class);
        if (s != null) {
            topologies = s.topologies;
        } else {
            Lookup lookup = topologiesOf(pod);
            if (lookup.status != null) {
                return lookup.status;
            }
            topologies = lookup.topologies;
        }
        Map<String, String> labels = nodeInfo.node().getMetadata().getLabels();
        if (labels == null || !hasAnyTopologyLabel(labels)) {
            return Status.SUCCESS;
        }
        for (int i = 0; i < topologies.size(); i++) {
            Topology t = topologies.get(i);
            String v = labels.get(t.key);
            if (v == null) {
                v = labels.get(t.gaKey);
            }
            if (v == null || !t.values.contains(v)) {
                return Status.unresolvable(ERR_REASON_CONFLICT);
            }
        }
        return Status.SUCCESS;
    }

    private static boolean hasAnyTopologyLabel(Map<String, String> labels) {
        for (String key : TOPOLOGY_LABELS) {
            if (labels.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    private static List<Volume> volumesOf(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                // A new WaitForFirstConsumer class; volumeBindingMode is immutable, so updates never help.
                EventWithHint.of("StorageClass", ClusterEvent.ADD),
                // A new node, or new zone labels (taint updates catch nodes that were not ready when added).
                EventWithHint.of(ClusterEvent.NODE,
                        ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT),
                // The claim appeared or got its volume.
                EventWithHint.of("PersistentVolumeClaim", ClusterEvent.ADD | ClusterEvent.UPDATE, this::afterClaimChange),
                // A new volume or new zone labels on one.
                EventWithHint.of("PersistentVolume", ClusterEvent.ADD | ClusterEvent.UPDATE));
    }

    QueueingHint afterClaimChange(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof PersistentVolumeClaim claim)) {
            return QueueingHint.QUEUE;
        }
        if (!Objects.equals(pod.getMetadata().getNamespace(), claim.getMetadata().getNamespace())) {
            return QueueingHint.SKIP;
        }
        for (Volume v : volumesOf(pod)) {
            if (v.getPersistentVolumeClaim() != null
                    && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName())) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }
}
