package dev.okube.scheduler.plugins.volumebinding;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeSelectors;
import dev.okube.api.scheduler.PreBindPlugin;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.ReservePlugin;
import dev.okube.api.scheduler.Selector;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySelectorLabelRequirement;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeNodeAffinity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's VolumeBinding for what okube serves (claims, volumes, storage classes; no CSI capacity):
 * PreFilter checks that the pod's claims exist and that Immediate claims are bound; Filter checks bound
 * volumes' node affinity and finds, per node, an Available volume for each WaitForFirstConsumer claim
 * (or a class that can provision one there); Reserve assumes the choice so later pods see it; PreBind
 * writes it and waits, bounded, until the claims are bound; Unreserve reverts the assumptions.
 *
 * <p>okube has no PV controller yet, so PreBind also does the controller's side of a static binding
 * (the claim's {@code spec.volumeName}, bind-completed annotation and Bound phases). Score is not
 * implemented: upstream's is off by default (the StorageCapacityScoring feature).
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
    public static final String NAME = "VolumeBinding";
    static final String STATE_KEY = NAME;

    /** Upstream's ErrReasonBindConflict. */
    public static final String ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
    /** Upstream's ErrReasonNodeConflict. */
    public static final String ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict";
    /** Upstream's ErrReasonPVNotExist. */
    public static final String ERR_REASON_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    public static final String ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

    static final String ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    static final String ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
    static final String NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner";

    private final Lister<PersistentVolumeClaim> claims;
    private final Lister<PersistentVolume> volumes;
    private final Lister<StorageClass> classes;
    private final Lister<Node> nodes;
    private final VolumeWriter writer;
    private final Duration bindTimeout;

    /** Volumes this scheduler bound in its head but whose update the informer has not shown yet, by name. */
    private final Map<String, Assumed<PersistentVolume>> assumedVolumes = new ConcurrentHashMap<>();
    /** Claims given a selected node in the scheduler's head, by namespace/name. */
    private final Map<String, Assumed<PersistentVolumeClaim>> assumedClaims = new ConcurrentHashMap<>();

    /** An assumed object and the resourceVersion of the informer's object it was derived from. */
    record Assumed<T>(T object, String baseResourceVersion) {
    }

    public VolumeBinding(Lister<PersistentVolumeClaim> claims, Lister<PersistentVolume> volumes, Lister<StorageClass> classes,
            Lister<Node> nodes, VolumeWriter writer, Duration bindTimeout) {
        this.claims = Objects.requireNonNull(claims);
        this.volumes = Objects.requireNonNull(volumes);
        this.classes = Objects.requireNonNull(classes);
        this.nodes = Objects.requireNonNull(nodes);
        this.writer = Objects.requireNonNull(writer);
        this.bindTimeout = Objects.requireNonNull(bindTimeout);
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---- state ----

    /** A WaitForFirstConsumer claim with its candidate volumes (everything but node affinity checked). */
    record UnboundClaim(PersistentVolumeClaim claim, BigDecimal request, List<PersistentVolume> preBound,
            List<PersistentVolume> available) {
    }

    /** A claim to be provisioned on the node: its class's allowed topologies, or null when the class cannot provision. */
    record Provision(PersistentVolumeClaim claim, List<TopologySelectorTerm> allowedTopologies, boolean provisionable) {
    }

    record Binding(PersistentVolume volume, PersistentVolumeClaim claim) {
    }

    /** What one node needs: static bindings and claims to provision there. */
    record PodVolumes(List<Binding> staticBindings, List<PersistentVolumeClaim> dynamicProvisions) {
    }

    static final class State implements CycleState.StateData {
        final List<PersistentVolume> boundVolumes;
        final boolean boundVolumesFound;
        final List<PersistentVolumeClaim> selectedNodeClaims;
        final List<UnboundClaim> unboundClaims;
        final Map<String, Provision> provisions;
        final Map<String, PodVolumes> podVolumesByNode = new ConcurrentHashMap<>();
        volatile boolean allBound;

        State(List<PersistentVolume> boundVolumes, boolean boundVolumesFound, List<PersistentVolumeClaim> selectedNodeClaims,
                List<UnboundClaim> unboundClaims, Map<String, Provision> provisions) {
            this.boundVolumes = boundVolumes;
            this.boundVolumesFound = boundVolumesFound;
            this.selectedNodeClaims = selectedNodeClaims;
            this.unboundClaims = unboundClaims;
            this.provisions = provisions;
        }

        /** The state of a pod without claims: nothing to find, reserve or bind (shared; never changes). */
        static final State EMPTY = new State(List.of(), true, List.of(), List.of(), Map.of());

        static {
            EMPTY.allBound = true;
        }

        /** Shared, as upstream: Filter results are per node and preemption does not change them. */
        @Override
        public State copy() {
            return this;
        }
    }

    // ---- PreFilter ----

    @Override
    public PreFilterResult preFilter(CycleState cycleState, Pod pod, List<NodeInfo> allNodes) {
        if (volumesOf(pod).isEmpty()) {
            cycleState.write(STATE_KEY, State.EMPTY);
            return PreFilterResult.SKIP;
        }
        String ns = pod.getMetadata().getNamespace();
        List<PersistentVolumeClaim> podClaims = new ArrayList<>();
        for (Volume v : volumesOf(pod)) {
            String claimName;
            boolean ephemeral = false;
            if (v.getPersistentVolumeClaim() != null) {
                claimName = v.getPersistentVolumeClaim().getClaimName();
            } else if (v.getEphemeral() != null) {
                claimName = pod.getMetadata().getName() + "-" + v.getName();
                ephemeral = true;
            } else {
                continue;
            }
            PersistentVolumeClaim claim = claim(ns, claimName);
            if (claim == null) {
                return PreFilterResult.of(Status.unresolvable(ephemeral
                        ? "waiting for ephemeral volume controller to create the persistentvolumeclaim \"" + claimName + "\""
                        : "persistentvolumeclaim \"" + claimName + "\" not found"));
            }
            if (claim.getStatus() != null && "Lost".equals(claim.getStatus().getPhase())) {
                return PreFilterResult.of(Status.unresolvable("persistentvolumeclaim \"" + claimName
                        + "\" bound to non-existent persistentvolume \"" + volumeName(claim) + "\""));
            }
            if (claim.getMetadata().getDeletionTimestamp() != null) {
                return PreFilterResult.of(Status.unresolvable("persistentvolumeclaim \"" + claimName + "\" is being deleted"));
            }
            if (ephemeral && !ownedBy(claim, pod)) {
                return PreFilterResult.of(Status.unresolvable("PVC " + ns + "/" + claimName + " was not created for pod "
                        + ns + "/" + pod.getMetadata().getName() + " (pod is not owner)"));
            }
            podClaims.add(claim);
        }
        if (podClaims.isEmpty()) {
            cycleState.write(STATE_KEY, State.EMPTY);
            return PreFilterResult.SKIP;
        }

        List<PersistentVolume> bound = new ArrayList<>();
        boolean boundFound = true;
        List<PersistentVolumeClaim> selectedNode = new ArrayList<>();
        List<PersistentVolumeClaim> toMatch = new ArrayList<>();
        boolean unboundImmediate = false;
        for (PersistentVolumeClaim claim : podClaims) {
            if (isFullyBound(claim)) {
                PersistentVolume pv = volume(volumeName(claim));
                if (pv == null) {
                    boundFound = false;
                } else {
                    bound.add(pv);
                }
                continue;
            }
            boolean delay;
            try {
                delay = isDelayBindingMode(claim);
            } catch (IllegalStateException e) {
                return PreFilterResult.of(Status.error(e.getMessage()));
            }
            if (delay && volumeName(claim).isEmpty()) {
                if (annotation(claim, ANN_SELECTED_NODE) != null) {
                    selectedNode.add(claim);
                } else {
                    toMatch.add(claim);
                }
            } else {
                unboundImmediate = true;
            }
        }
        if (unboundImmediate) {
            return PreFilterResult.of(Status.unresolvable(ERR_UNBOUND_IMMEDIATE));
        }

        // Everything of the matching but the node: requests, candidates by class, provisioners.
        List<UnboundClaim> unbound = new ArrayList<>();
        Map<String, Provision> provisions = new HashMap<>();
        if (!toMatch.isEmpty() || !selectedNode.isEmpty()) {
            List<PersistentVolume> all = allVolumes();
            for (PersistentVolumeClaim claim : toMatch) {
                unbound.add(candidates(claim, all));
            }
            // Upstream matches the smallest claims first.
            unbound.sort(Comparator.comparing(UnboundClaim::request));
            List<PersistentVolumeClaim> mayProvision = new ArrayList<>(toMatch);
            mayProvision.addAll(selectedNode);
            for (PersistentVolumeClaim claim : mayProvision) {
                String className = claimClass(claim);
                if (className.isEmpty()) {
                    return PreFilterResult.of(Status.error("no class for claim \"" + claim.getMetadata().getName() + "\""));
                }
                StorageClass sc = classes.get(null, className);
                if (sc == null) {
                    return PreFilterResult.of(Status.error("storageclass.storage.k8s.io \"" + className + "\" not found"));
                }
                String provisioner = sc.getProvisioner();
                boolean provisionable = provisioner != null && !provisioner.isEmpty()
                        && !NOT_SUPPORTED_PROVISIONER.equals(provisioner);
                provisions.put(key(claim), new Provision(claim, sc.getAllowedTopologies(), provisionable));
            }
        }
        State state = new State(List.copyOf(bound), boundFound, List.copyOf(selectedNode), List.copyOf(unbound), provisions);
        cycleState.write(STATE_KEY, state);
        return PreFilterResult.SUCCESS;
    }

    private UnboundClaim candidates(PersistentVolumeClaim claim, List<PersistentVolume> all) {
        BigDecimal request = storage(claim.getSpec().getResources() == null ? null
                : claim.getSpec().getResources().getRequests());
        String requestedClass = claimClass(claim);
        Selector selector = claim.getSpec().getSelector() == null ? null : Selector.of(claim.getSpec().getSelector());
        String claimMode = orFilesystem(claim.getSpec().getVolumeMode());
        String claimVac = emptyIfNull(claim.getSpec().getVolumeAttributesClassName());
        List<PersistentVolume> preBound = new ArrayList<>();
        List<PersistentVolume> available = new ArrayList<>();
        Map<PersistentVolume, BigDecimal> sizes = new HashMap<>();
        for (PersistentVolume pv : all) {
            if (pv.getSpec() == null) {
                continue;
            }
            boolean boundToClaim = isVolumeBoundToClaim(pv, claim);
            if (pv.getSpec().getClaimRef() != null && !boundToClaim) {
                continue;
            }
            BigDecimal size = storage(pv.getSpec().getCapacity());
            if (size.compareTo(request) < 0) {
                continue;
            }
            if (!claimMode.equals(orFilesystem(pv.getSpec().getVolumeMode()))) {
                continue;
            }
            if (!claimVac.equals(emptyIfNull(pv.getSpec().getVolumeAttributesClassName()))) {
                continue;
            }
            if (pv.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (boundToClaim) {
                preBound.add(pv);
                continue;
            }
            if (pv.getStatus() == null || !"Available".equals(pv.getStatus().getPhase())) {
                continue;
            }
            if (selector != null && !selector.matches(pv.getMetadata().getLabels())) {
                continue;
            }
            if (!requestedClass.equals(emptyIfNull(pv.getSpec().getStorageClassName()))) {
                continue;
            }
            List<String> pvModes = pv.getSpec().getAccessModes() == null ? List.of() : pv.getSpec().getAccessModes();
            if (claim.getSpec().getAccessModes() != null && !pvModes.containsAll(claim.getSpec().getAccessModes())) {
                continue;
            }
            available.add(pv);
            sizes.put(pv, size);
        }
        available.sort(Comparator.comparing(sizes::get)); // stable: the first of equal sizes wins, as upstream
        return new UnboundClaim(claim, request, List.copyOf(preBound), List.copyOf(available));
    }

    // ---- Filter ----

    @Override
    public Status filter(CycleState cycleState, Pod pod, NodeInfo nodeInfo) {
        State state = cycleState.read(STATE_KEY, State.class);
        if (state == null) {
            return Status.error("cannot read \"" + STATE_KEY + "\" from cycleState");
        }
        Node node = nodeInfo.node();
        boolean boundSatisfied = true;
        for (int i = 0; i < state.boundVolumes.size(); i++) {
            if (!nodeAffinityMatches(state.boundVolumes.get(i), node)) {
                boundSatisfied = false;
                break;
            }
        }
        boolean unboundSatisfied = true;
        List<Binding> bindings = List.of();
        List<PersistentVolumeClaim> provisions = List.of();
        String nodeName = node.getMetadata().getName();
        for (int i = 0; i < state.selectedNodeClaims.size(); i++) {
            if (!nodeName.equals(annotation(state.selectedNodeClaims.get(i), ANN_SELECTED_NODE))) {
                unboundSatisfied = false; // fast path: provisioning was already started for another node
            }
        }
        if (unboundSatisfied && (!state.unboundClaims.isEmpty() || !state.selectedNodeClaims.isEmpty())) {
            List<PersistentVolumeClaim> toProvision = new ArrayList<>(state.selectedNodeClaims);
            if (!state.unboundClaims.isEmpty()) {
                bindings = new ArrayList<>(state.unboundClaims.size());
                for (UnboundClaim c : state.unboundClaims) {
                    PersistentVolume pv = match(c, node, bindings);
                    if (pv == null) {
                        toProvision.add(c.claim);
                    } else {
                        bindings.add(new Binding(pv, c.claim));
                    }
                }
            }
            if (!toProvision.isEmpty()) {
                Map<String, String> labels = node.getMetadata().getLabels();
                for (PersistentVolumeClaim claim : toProvision) {
                    Provision p = state.provisions.get(key(claim));
                    if (p == null || !p.provisionable || !matchTopologySelectorTerms(p.allowedTopologies, labels)) {
                        unboundSatisfied = false;
                        break;
                    }
                }
                provisions = toProvision;
            }
        }
        if (!boundSatisfied || !unboundSatisfied || !state.boundVolumesFound) {
            List<String> reasons = new ArrayList<>(3);
            if (!boundSatisfied) {
                reasons.add(ERR_REASON_NODE_CONFLICT);
            }
            if (!unboundSatisfied) {
                reasons.add(ERR_REASON_BIND_CONFLICT);
            }
            if (!state.boundVolumesFound) {
                reasons.add(ERR_REASON_PV_NOT_EXIST);
            }
            return Status.unresolvable(reasons.toArray(String[]::new));
        }
        state.podVolumesByNode.put(nodeName, new PodVolumes(bindings, provisions));
        return Status.SUCCESS;
    }

    /** Upstream's FindMatchingVolume on precomputed candidates: a pre-bound volume decides; else the smallest fitting. */
    private static PersistentVolume match(UnboundClaim c, Node node, List<Binding> chosen) {
        for (PersistentVolume pv : c.preBound) {
            if (!chosenAlready(pv, chosen)) {
                return nodeAffinityMatches(pv, node) ? pv : null;
            }
        }
        for (PersistentVolume pv : c.available) {
            if (!chosenAlready(pv, chosen) && nodeAffinityMatches(pv, node)) {
                return pv;
            }
        }
        return null;
    }

    private static boolean chosenAlready(PersistentVolume pv, List<Binding> chosen) {
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.get(i).volume.getMetadata().getName().equals(pv.getMetadata().getName())) {
                return true;
            }
        }
        return false;
    }

    /** Upstream's CheckNodeAffinity: the volume's required node affinity against the node. */
    static boolean nodeAffinityMatches(PersistentVolume pv, Node node) {
        VolumeNodeAffinity affinity = pv.getSpec().getNodeAffinity();
        if (affinity == null || affinity.getRequired() == null) {
            return true;
        }
        return NodeSelectors.matches(affinity.getRequired(), node);
    }

    /** Upstream's MatchTopologySelectorTerms: no terms match everything; terms are ORed, expressions ANDed. */
    static boolean matchTopologySelectorTerms(List<TopologySelectorTerm> terms, Map<String, String> labels) {
        if (terms == null || terms.isEmpty()) {
            return true;
        }
        for (TopologySelectorTerm term : terms) {
            List<TopologySelectorLabelRequirement> reqs = term.getMatchLabelExpressions();
            if (reqs == null || reqs.isEmpty()) {
                continue;
            }
            boolean all = true;
            for (TopologySelectorLabelRequirement r : reqs) {
                String v = labels == null ? null : labels.get(r.getKey());
                if (v == null || r.getValues() == null || !r.getValues().contains(v)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    // ---- Reserve / Unreserve ----

    @Override
    public Status reserve(CycleState cycleState, Pod pod, String nodeName) {
        State state = cycleState.read(STATE_KEY, State.class);
        if (state == null) {
            return Status.error("cannot read \"" + STATE_KEY + "\" from cycleState");
        }
        PodVolumes podVolumes = state.podVolumesByNode.get(nodeName);
        if (podVolumes == null) {
            state.allBound = true; // the pod uses no claim
            return Status.SUCCESS;
        }
        if (arePodVolumesBound(pod)) {
            state.allBound = true;
            return Status.SUCCESS;
        }
        List<Binding> assumed = new ArrayList<>(podVolumes.staticBindings.size());
        for (Binding b : podVolumes.staticBindings) {
            PersistentVolume bound = bindVolumeToClaim(b.volume, b.claim);
            String base = b.volume.getMetadata().getResourceVersion();
            Assumed<PersistentVolume> prior = assumedVolumes.get(b.volume.getMetadata().getName());
            if (prior != null) {
                base = prior.baseResourceVersion;
            }
            assumedVolumes.put(bound.getMetadata().getName(), new Assumed<>(bound, base));
            assumed.add(new Binding(bound, b.claim));
        }
        List<PersistentVolumeClaim> provisions = new ArrayList<>(podVolumes.dynamicProvisions.size());
        for (PersistentVolumeClaim claim : podVolumes.dynamicProvisions) {
            PersistentVolumeClaim selected = new PersistentVolumeClaimBuilder(claim).editMetadata()
                    .addToAnnotations(ANN_SELECTED_NODE, nodeName).endMetadata().build();
            assumedClaims.put(key(claim), new Assumed<>(selected, claim.getMetadata().getResourceVersion()));
            provisions.add(selected);
        }
        state.podVolumesByNode.put(nodeName, new PodVolumes(List.copyOf(assumed), List.copyOf(provisions)));
        state.allBound = false;
        return Status.SUCCESS;
    }

    @Override
    public void unreserve(CycleState cycleState, Pod pod, String nodeName) {
        State state = cycleState.read(STATE_KEY, State.class);
        if (state == null) {
            return;
        }
        PodVolumes podVolumes = state.podVolumesByNode.get(nodeName);
        if (podVolumes == null) {
            return;
        }
        for (Binding b : podVolumes.staticBindings) {
            assumedVolumes.remove(b.volume.getMetadata().getName());
        }
        for (PersistentVolumeClaim claim : podVolumes.dynamicProvisions) {
            assumedClaims.remove(key(claim));
        }
    }

    private boolean arePodVolumesBound(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        for (Volume v : volumesOf(pod)) {
            String name = v.getPersistentVolumeClaim() != null ? v.getPersistentVolumeClaim().getClaimName()
                    : v.getEphemeral() != null ? pod.getMetadata().getName() + "-" + v.getName() : null;
            if (name == null) {
                continue;
            }
            PersistentVolumeClaim claim = claim(ns, name);
            if (claim == null || !isFullyBound(claim)) {
                return false;
            }
        }
        return true;
    }

    /** Upstream's GetBindVolumeToClaim: a copy of the volume with its claimRef set (and bound-by-controller). */
    static PersistentVolume bindVolumeToClaim(PersistentVolume pv, PersistentVolumeClaim claim) {
        boolean byController = !isVolumeBoundToClaim(pv, claim);
        ObjectReference ref = pv.getSpec().getClaimRef();
        PersistentVolumeBuilder b = new PersistentVolumeBuilder(pv);
        if (ref == null || !Objects.equals(ref.getName(), claim.getMetadata().getName())
                || !Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
                || !Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
            b.editSpec().withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion())
                    .build()).endSpec();
        }
        if (byController && annotation(pv, ANN_BOUND_BY_CONTROLLER) == null) {
            b.editMetadata().addToAnnotations(ANN_BOUND_BY_CONTROLLER, "yes").endMetadata();
        }
        return b.build();
    }

    // ---- PreBind ----

    @Override
    public Status preBind(CycleState cycleState, Pod pod, String nodeName) {
        State state = cycleState.read(STATE_KEY, State.class);
        if (state == null) {
            return Status.error("cannot read \"" + STATE_KEY + "\" from cycleState");
        }
        if (state.allBound) {
            return Status.SUCCESS;
        }
        PodVolumes podVolumes = state.podVolumesByNode.get(nodeName);
        if (podVolumes == null) {
            return Status.error("no pod volumes found for node \"" + nodeName + "\"");
        }
        try {
            List<String> expected = bindApiUpdate(podVolumes);
            long deadline = System.nanoTime() + bindTimeout.toNanos();
            while (true) {
                if (checkBindings(podVolumes, nodeName, expected)) {
                    return Status.SUCCESS;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return Status.error("binding volumes: timed out waiting for the condition");
                }
                // The informer's cache is the only view of the result: re-read it shortly.
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error("binding volumes: interrupted");
        } catch (RuntimeException e) {
            return Status.error(new IllegalStateException("binding volumes: " + e.getMessage(), e));
        }
    }

    /**
     * Writes the bindings: the volume's claimRef (upstream's binder) and, because no PV controller runs in
     * okube yet, the rest of the controller's binding; the selected node on claims to provision. Returns
     * the resourceVersions written, volume names first then claim keys, for checkBindings.
     */
    private List<String> bindApiUpdate(PodVolumes podVolumes) {
        List<String> written = new ArrayList<>();
        for (Binding b : podVolumes.staticBindings) {
            PersistentVolume pv = writer.updateVolume(b.volume);
            if (pv.getStatus() == null || !"Bound".equals(pv.getStatus().getPhase())) {
                pv = writer.updateVolumeStatus(new PersistentVolumeBuilder(pv).editOrNewStatus().withPhase("Bound")
                        .withMessage(null).withReason(null).endStatus().build());
            }
            PersistentVolumeClaim current = claims.get(b.claim.getMetadata().getNamespace(), b.claim.getMetadata().getName());
            if (current == null) {
                throw new IllegalStateException("persistentvolumeclaim \"" + b.claim.getMetadata().getName() + "\" not found");
            }
            PersistentVolumeClaim claim = current;
            if (!isFullyBound(current) || !pv.getMetadata().getName().equals(volumeName(current))) {
                claim = writer.updateClaim(new PersistentVolumeClaimBuilder(current)
                        .editMetadata().addToAnnotations(ANN_BIND_COMPLETED, "yes")
                        .addToAnnotations(ANN_BOUND_BY_CONTROLLER, "yes").endMetadata()
                        .editSpec().withVolumeName(pv.getMetadata().getName()).endSpec().build());
            }
            if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
                claim = writer.updateClaimStatus(new PersistentVolumeClaimBuilder(claim).editOrNewStatus()
                        .withPhase("Bound").withAccessModes(pv.getSpec().getAccessModes())
                        .withCapacity(pv.getSpec().getCapacity()).endStatus().build());
            }
            assumedVolumes.put(pv.getMetadata().getName(), new Assumed<>(pv, pv.getMetadata().getResourceVersion()));
            written.add(pv.getMetadata().getResourceVersion());
            written.add(claim.getMetadata().getResourceVersion());
        }
        for (PersistentVolumeClaim selected : podVolumes.dynamicProvisions) {
            PersistentVolumeClaim claim = writer.updateClaim(selected);
            assumedClaims.put(key(claim), new Assumed<>(claim, claim.getMetadata().getResourceVersion()));
            written.add(claim.getMetadata().getResourceVersion());
        }
        return written;
    }

    /** Upstream's checkBindings, on the informer's objects; throws when the binding was undone. */
    private boolean checkBindings(PodVolumes podVolumes, String nodeName, List<String> written) {
        Node node = nodes.get(null, nodeName);
        if (node == null) {
            throw new IllegalStateException("node \"" + nodeName + "\" not found");
        }
        int i = 0;
        for (Binding b : podVolumes.staticBindings) {
            PersistentVolume pv = volumes.get(null, b.volume.getMetadata().getName());
            PersistentVolumeClaim claim = claims.get(b.claim.getMetadata().getNamespace(), b.claim.getMetadata().getName());
            String pvVersion = written.get(i++);
            String claimVersion = written.get(i++);
            if (pv == null || claim == null) {
                throw new IllegalStateException("failed to check binding: " + (pv == null
                        ? "persistentvolume \"" + b.volume.getMetadata().getName() + "\" not found"
                        : "persistentvolumeclaim \"" + b.claim.getMetadata().getName() + "\" not found"));
            }
            if (olderThan(pv.getMetadata().getResourceVersion(), pvVersion)
                    || olderThan(claim.getMetadata().getResourceVersion(), claimVersion)) {
                return false; // our write has not reached the informer yet
            }
            if (!nodeAffinityMatches(pv, node)) {
                throw new IllegalStateException("pv \"" + pv.getMetadata().getName() + "\" node affinity doesn't match node \""
                        + nodeName + "\"");
            }
            if (pv.getSpec().getClaimRef() == null || emptyIfNull(pv.getSpec().getClaimRef().getUid()).isEmpty()) {
                throw new IllegalStateException("ClaimRef got reset for pv \"" + pv.getMetadata().getName() + "\"");
            }
            if (!isFullyBound(claim)) {
                return false;
            }
            assumedVolumes.remove(pv.getMetadata().getName()); // the informer knows it now
        }
        for (PersistentVolumeClaim selected : podVolumes.dynamicProvisions) {
            PersistentVolumeClaim claim = claims.get(selected.getMetadata().getNamespace(), selected.getMetadata().getName());
            String version = written.get(i++);
            if (claim == null) {
                throw new IllegalStateException("failed to check binding: persistentvolumeclaim \""
                        + selected.getMetadata().getName() + "\" not found");
            }
            if (olderThan(claim.getMetadata().getResourceVersion(), version)) {
                return false;
            }
            if (!nodeName.equals(annotation(claim, ANN_SELECTED_NODE))) {
                // A provisioner that fails removes the annotation to have the scheduler retry.
                throw new IllegalStateException("provisioning failed for PVC \"" + claim.getMetadata().getName() + "\"");
            }
            if (!volumeName(claim).isEmpty()) {
                PersistentVolume pv = volumes.get(null, volumeName(claim));
                if (pv == null) {
                    return false;
                }
                if (!nodeAffinityMatches(pv, node)) {
                    throw new IllegalStateException("pv \"" + pv.getMetadata().getName()
                            + "\" node affinity doesn't match node \"" + nodeName + "\"");
                }
            }
            if (!isFullyBound(claim)) {
                return false;
            }
            assumedClaims.remove(key(claim));
        }
        return true;
    }

    // ---- the assume cache over the informers ----

    private PersistentVolumeClaim claim(String ns, String name) {
        PersistentVolumeClaim informer = claims.get(ns, name);
        Assumed<PersistentVolumeClaim> assumed = assumedClaims.get(ns + "/" + name);
        return effective(informer, assumed);
    }

    private PersistentVolume volume(String name) {
        return effective(volumes.get(null, name), assumedVolumes.get(name));
    }

    private List<PersistentVolume> allVolumes() {
        List<PersistentVolume> informer = volumes.list();
        if (assumedVolumes.isEmpty()) {
            return informer;
        }
        List<PersistentVolume> out = new ArrayList<>(informer.size());
        for (PersistentVolume pv : informer) {
            out.add(effective(pv, assumedVolumes.get(pv.getMetadata().getName())));
        }
        return out;
    }

    /** The assumed object while the informer has nothing newer than what it was derived from. */
    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T effective(T informer, Assumed<T> assumed) {
        if (assumed == null) {
            return informer;
        }
        if (informer == null) {
            return null;
        }
        String rv = informer.getMetadata().getResourceVersion();
        return olderThan(assumed.baseResourceVersion, rv) ? informer : assumed.object;
    }

    /** Whether resourceVersion {@code a} is older than {@code b} (numbers, as the apiserver's are). */
    static boolean olderThan(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return Long.parseLong(a) < Long.parseLong(b);
        } catch (NumberFormatException e) {
            return !a.equals(b);
        }
    }

    // ---- helpers ----

    private boolean isDelayBindingMode(PersistentVolumeClaim claim) {
        String className = claimClass(claim);
        if (className.isEmpty()) {
            return false;
        }
        StorageClass sc = classes.get(null, className);
        if (sc == null) {
            return false;
        }
        if (sc.getVolumeBindingMode() == null) {
            throw new IllegalStateException("VolumeBindingMode not set for StorageClass \"" + className + "\"");
        }
        return "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
    }

    static boolean isFullyBound(PersistentVolumeClaim claim) {
        return !volumeName(claim).isEmpty() && claim.getMetadata().getAnnotations() != null
                && claim.getMetadata().getAnnotations().containsKey(ANN_BIND_COMPLETED);
    }

    static boolean isVolumeBoundToClaim(PersistentVolume pv, PersistentVolumeClaim claim) {
        ObjectReference ref = pv.getSpec().getClaimRef();
        if (ref == null) {
            return false;
        }
        if (!Objects.equals(claim.getMetadata().getName(), ref.getName())
                || !Objects.equals(claim.getMetadata().getNamespace(), ref.getNamespace())) {
            return false;
        }
        return emptyIfNull(ref.getUid()).isEmpty() || Objects.equals(ref.getUid(), claim.getMetadata().getUid());
    }

    private static boolean ownedBy(PersistentVolumeClaim claim, Pod pod) {
        List<OwnerReference> owners = claim.getMetadata().getOwnerReferences();
        if (owners != null) {
            for (OwnerReference o : owners) {
                if (Boolean.TRUE.equals(o.getController())) {
                    return Objects.equals(o.getUid(), pod.getMetadata().getUid());
                }
            }
        }
        return false;
    }

    static String claimClass(PersistentVolumeClaim claim) {
        String beta = annotation(claim, BETA_STORAGE_CLASS_ANNOTATION);
        if (beta != null) {
            return beta;
        }
        return claim.getSpec() == null ? "" : emptyIfNull(claim.getSpec().getStorageClassName());
    }

    static String volumeName(PersistentVolumeClaim claim) {
        return claim.getSpec() == null ? "" : emptyIfNull(claim.getSpec().getVolumeName());
    }

    private static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static BigDecimal storage(Map<String, Quantity> resources) {
        Quantity q = resources == null ? null : resources.get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static String orFilesystem(String mode) {
        return mode == null || mode.isEmpty() ? "Filesystem" : mode;
    }

    private static String emptyIfNull(String s) {
        return s == null ? "" : s;
    }

    private static String key(PersistentVolumeClaim claim) {
        return claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName();
    }

    private static List<Volume> volumesOf(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }

    // ---- events ----

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                // A missing or misconfigured class (allowedTopologies, volumeBindingMode) may be fixed.
                EventWithHint.of("StorageClass", ClusterEvent.ADD | ClusterEvent.UPDATE),
                // Claims get bound, created, annotated.
                EventWithHint.of("PersistentVolumeClaim", ClusterEvent.ADD | ClusterEvent.UPDATE),
                EventWithHint.of("PersistentVolume", ClusterEvent.ADD | ClusterEvent.UPDATE, VolumeBinding::afterVolumeChange),
                // Node labels decide volume node affinity and allowed topologies (taint updates catch nodes
                // that were not ready when added).
                EventWithHint.of(ClusterEvent.NODE,
                        ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT));
    }

    static QueueingHint afterVolumeChange(Pod pod, Object oldObject, Object newObject) {
        for (Volume v : volumesOf(pod)) {
            if (v.getPersistentVolumeClaim() != null || v.getEphemeral() != null) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }
}
