package dev.okube.scheduler.plugins.volumerestrictions;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.AWSElasticBlockStoreVolumeSource;
import io.fabric8.kubernetes.api.model.GCEPersistentDiskVolumeSource;
import io.fabric8.kubernetes.api.model.ISCSIVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.RBDVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's VolumeRestrictions: a pod may not share an inline GCE PD, AWS EBS, Ceph RBD or iSCSI
 * volume with a pod on the node unless every mount is read-only (EBS: never), and may not use a
 * ReadWriteOncePod claim that another scheduled pod already uses.
 */
public final class VolumeRestrictions implements PreFilterPlugin, FilterPlugin, EnqueueExtensions,
        PreFilterPlugin.PreFilterExtensions {
    public static final String NAME = "VolumeRestrictions";
    static final String STATE_KEY = "PreFilter" + NAME;

    /** Upstream's ErrReasonDiskConflict. */
    public static final String ERR_REASON_DISK_CONFLICT = "node(s) had no available disk";
    /** Upstream's ErrReasonReadWriteOncePodConflict. */
    public static final String ERR_REASON_RWOP_CONFLICT =
            "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

    private final Lister<PersistentVolumeClaim> claims;

    public VolumeRestrictions(Lister<PersistentVolumeClaim> claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What PreFilter found: whether inline disks need checking, the RWOP claims, and how many pods use them. */
    static final class State implements CycleState.StateData {
        final boolean checkDisks;
        final String namespace;
        final Set<String> readWriteOncePodClaims;
        int conflictingClaimRefs;

        State(boolean checkDisks, String namespace, Set<String> readWriteOncePodClaims, int conflictingClaimRefs) {
            this.checkDisks = checkDisks;
            this.namespace = namespace;
            this.readWriteOncePodClaims = readWriteOncePodClaims;
            this.conflictingClaimRefs = conflictingClaimRefs;
        }

        @Override
        public State copy() {
            return new State(checkDisks, namespace, readWriteOncePodClaims, conflictingClaimRefs);
        }

        int refsOf(Pod pod) {
            if (readWriteOncePodClaims.isEmpty() || !namespace.equals(pod.getMetadata().getNamespace())) {
                return 0;
            }
            int n = 0;
            for (Volume v : volumes(pod)) {
                if (v.getPersistentVolumeClaim() != null
                        && readWriteOncePodClaims.contains(v.getPersistentVolumeClaim().getClaimName())) {
                    n++;
                }
            }
            return n;
        }
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        if (volumes(pod).isEmpty()) {
            return PreFilterResult.SKIP;
        }
        boolean checkDisks = false;
        Set<String> rwop = new HashSet<>();
        String ns = pod.getMetadata().getNamespace();
        for (Volume v : volumes(pod)) {
            if (needsRestrictionsCheck(v)) {
                checkDisks = true;
            }
            if (v.getPersistentVolumeClaim() == null) {
                continue;
            }
            String claimName = v.getPersistentVolumeClaim().getClaimName();
            PersistentVolumeClaim claim = claims.get(ns, claimName);
            if (claim == null) {
                return PreFilterResult.of(Status.unresolvable("persistentvolumeclaim \"" + claimName + "\" not found"));
            }
            if (claim.getSpec() != null && claim.getSpec().getAccessModes() != null
                    && claim.getSpec().getAccessModes().contains("ReadWriteOncePod")) {
                rwop.add(claimName);
            }
        }
        int conflicts = 0;
        for (String claim : rwop) {
            // At most one pod may use a ReadWriteOncePod claim, so one user anywhere is one conflict.
            String key = ns + "/" + claim;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).pvcRefCounts().containsKey(key)) {
                    conflicts++;
                    break;
                }
            }
        }
        if (!checkDisks && conflicts == 0) {
            return PreFilterResult.SKIP;
        }
        state.write(STATE_KEY, new State(checkDisks, ns, Set.copyOf(rwop), conflicts));
        return PreFilterResult.SUCCESS;
    }

    @Override
    public PreFilterExtensions preFilterExtensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState cycleState, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        State s = cycleState.read(STATE_KEY, State.class);
        if (s == null) {
            return Status.error("cannot read \"" + STATE_KEY + "\" from cycleState");
        }
        s.conflictingClaimRefs += s.refsOf(podToAdd.pod());
        return Status.SUCCESS;
    }

    @Override
    public Status removePod(CycleState cycleState, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        State s = cycleState.read(STATE_KEY, State.class);
        if (s == null) {
            return Status.error("cannot read \"" + STATE_KEY + "\" from cycleState");
        }
        s.conflictingClaimRefs -= s.refsOf(podToRemove.pod());
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState cycleState, Pod pod, NodeInfo nodeInfo) {
        State s = cycleState.read(STATE_KEY, State.class);
        if (s == null) {
            return Status.error("cannot read \"" + STATE_KEY + "\" from cycleState");
        }
        if (s.checkDisks && !satisfiesVolumeConflicts(pod, nodeInfo.pods())) {
            return Status.unschedulable(ERR_REASON_DISK_CONFLICT);
        }
        if (s.conflictingClaimRefs > 0) {
            return Status.unschedulable(ERR_REASON_RWOP_CONFLICT);
        }
        return Status.SUCCESS;
    }

    static boolean satisfiesVolumeConflicts(Pod pod, List<PodInfo> podsOnNode) {
        List<Volume> volumes = volumes(pod);
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            if (!needsRestrictionsCheck(v)) {
                continue;
            }
            for (int j = 0; j < podsOnNode.size(); j++) {
                if (isVolumeConflict(v, podsOnNode.get(j).pod())) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean needsRestrictionsCheck(Volume v) {
        return v.getGcePersistentDisk() != null || v.getAwsElasticBlockStore() != null || v.getRbd() != null
                || v.getIscsi() != null;
    }

    /** Upstream's isVolumeConflict: whether {@code volume} conflicts with a volume of {@code existing}. */
    static boolean isVolumeConflict(Volume volume, Pod existing) {
        List<Volume> others = volumes(existing);
        for (int i = 0; i < others.size(); i++) {
            Volume other = others.get(i);
            GCEPersistentDiskVolumeSource disk = volume.getGcePersistentDisk();
            GCEPersistentDiskVolumeSource otherDisk = other.getGcePersistentDisk();
            if (disk != null && otherDisk != null && Objects.equals(disk.getPdName(), otherDisk.getPdName())
                    && !(isTrue(disk.getReadOnly()) && isTrue(otherDisk.getReadOnly()))) {
                return true;
            }
            AWSElasticBlockStoreVolumeSource ebs = volume.getAwsElasticBlockStore();
            AWSElasticBlockStoreVolumeSource otherEbs = other.getAwsElasticBlockStore();
            if (ebs != null && otherEbs != null && Objects.equals(ebs.getVolumeID(), otherEbs.getVolumeID())) {
                return true;
            }
            ISCSIVolumeSource iscsi = volume.getIscsi();
            ISCSIVolumeSource otherIscsi = other.getIscsi();
            if (iscsi != null && otherIscsi != null && Objects.equals(iscsi.getIqn(), otherIscsi.getIqn())
                    && !(isTrue(iscsi.getReadOnly()) && isTrue(otherIscsi.getReadOnly()))) {
                return true;
            }
            RBDVolumeSource rbd = volume.getRbd();
            RBDVolumeSource otherRbd = other.getRbd();
            if (rbd != null && otherRbd != null && haveOverlap(rbd.getMonitors(), otherRbd.getMonitors())
                    && Objects.equals(emptyIfNull(rbd.getPool()), emptyIfNull(otherRbd.getPool()))
                    && Objects.equals(rbd.getImage(), otherRbd.getImage())
                    && !(isTrue(rbd.getReadOnly()) && isTrue(otherRbd.getReadOnly()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean haveOverlap(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (b.contains(a.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTrue(Boolean b) {
        return b != null && b;
    }

    private static String emptyIfNull(String s) {
        return s == null ? "" : s;
    }

    static List<Volume> volumes(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        return pod.getSpec().getVolumes();
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                // Deleting a pod releases its disks and claims; spec.volumes is immutable, so updates never help.
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.DELETE, this::afterPodDeleted),
                // A new node may have none of the conflicting pods (label and taint updates cover nodes that
                // were not ready when added).
                EventWithHint.of(ClusterEvent.NODE,
                        ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT | ClusterEvent.UPDATE_NODE_LABEL),
                // The claim must exist for its access modes to be known.
                EventWithHint.of("PersistentVolumeClaim", ClusterEvent.ADD, this::afterClaimAdded));
    }

    QueueingHint afterClaimAdded(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof PersistentVolumeClaim claim)) {
            return QueueingHint.QUEUE;
        }
        if (!Objects.equals(claim.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) {
            return QueueingHint.SKIP;
        }
        for (Volume v : volumes(pod)) {
            if (v.getPersistentVolumeClaim() != null
                    && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName())) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }

    QueueingHint afterPodDeleted(Pod pod, Object oldObject, Object newObject) {
        if (!(oldObject instanceof Pod deleted)) {
            return QueueingHint.QUEUE;
        }
        if (!Objects.equals(deleted.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) {
            return QueueingHint.SKIP;
        }
        if (!satisfiesVolumeConflicts(pod, List.of(PodInfo.of(deleted)))) {
            return QueueingHint.QUEUE;
        }
        // The deleted pod may have held a ReadWriteOncePod claim this pod needs (the access mode is not
        // looked up here, as upstream, to keep hints cheap).
        Set<String> claimNames = new HashSet<>();
        for (Volume v : volumes(pod)) {
            if (v.getPersistentVolumeClaim() != null) {
                claimNames.add(v.getPersistentVolumeClaim().getClaimName());
            }
        }
        for (Volume v : volumes(deleted)) {
            if (v.getPersistentVolumeClaim() != null && claimNames.contains(v.getPersistentVolumeClaim().getClaimName())) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }
}
