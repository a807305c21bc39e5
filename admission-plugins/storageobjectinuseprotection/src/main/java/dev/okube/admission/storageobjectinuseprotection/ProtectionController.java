package dev.okube.admission.storageobjectinuseprotection;

import dev.okube.api.controller.WorkQueue;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.util.Objects;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's pvc-protection and pv-protection controllers, which the admission plugin's finalizers
 * need: without them a deleted claim or volume would stay Terminating for good. A claim being
 * deleted loses {@code kubernetes.io/pvc-protection} once no scheduled pod in its namespace uses it;
 * a volume being deleted loses {@code kubernetes.io/pv-protection} once it is no longer Bound. Objects
 * that lack the finalizer (created before the plugin was installed) get it, as upstream.
 */
@Component(service = {})
public final class ProtectionController {
    static final ResourceType CLAIMS = ResourceType.core("persistentvolumeclaims");
    static final ResourceType VOLUMES = ResourceType.core("persistentvolumes");
    static final ResourceType PODS = ResourceType.core("pods");
    private static final Logger LOG = LoggerFactory.getLogger(ProtectionController.class);
    private static final String CLAIM_KEY = "pvc/";
    private static final String VOLUME_KEY = "pv/";

    private final ClusterResources resources;
    private final WorkQueue queue;
    private final AutoCloseable claimWatch;
    private final AutoCloseable volumeWatch;
    private final AutoCloseable podWatch;

    @Activate
    public ProtectionController(@Reference ClusterResources resources) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
        this.queue = new WorkQueue("storage-protection", this::sync);
        this.claimWatch = resources.watch(CLAIMS, e -> objectChanged(e, CLAIM_KEY,
                StorageObjectInUseProtection.PVC_FINALIZER));
        this.volumeWatch = resources.watch(VOLUMES, e -> objectChanged(e, VOLUME_KEY,
                StorageObjectInUseProtection.PV_FINALIZER));
        this.podWatch = resources.watch(PODS, this::podChanged);
    }

    private void objectChanged(ResourceEvent event, String prefix, String finalizer) {
        if (event.type() == ResourceEvent.Type.DELETED) {
            return;
        }
        ObjectNode object = event.object();
        if (needsFinalizer(object, finalizer) || deletionCandidate(object, finalizer)) {
            queue.add(prefix + key(object));
        }
    }

    /** Pods that stop using their claims (deleted, finished, or never scheduled) may release them. */
    private void podChanged(ResourceEvent event) {
        ObjectNode pod = event.object();
        boolean deleted = event.type() == ResourceEvent.Type.DELETED;
        enqueueClaims(pod, deleted);
        ObjectNode old = event.oldObject();
        if (old != null && !old.path("metadata").path("uid").asString("").equals(pod.path("metadata").path("uid")
                .asString(""))) {
            enqueueClaims(old, true); // a pod replaced by another of the same name no longer uses the old claims
        }
    }

    private void enqueueClaims(ObjectNode pod, boolean deleted) {
        String phase = pod.path("status").path("phase").asString("");
        boolean terminated = "Succeeded".equals(phase) || "Failed".equals(phase);
        if (!deleted && !terminated && !pod.path("spec").path("nodeName").asString("").isEmpty()) {
            return;
        }
        String namespace = pod.path("metadata").path("namespace").asString("");
        String podName = pod.path("metadata").path("name").asString("");
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            String claim = volume.path("persistentVolumeClaim").path("claimName").asString("");
            if (!claim.isEmpty()) {
                queue.add(CLAIM_KEY + namespace + "/" + claim);
            } else if (volume.path("ephemeral").isObject()) {
                queue.add(CLAIM_KEY + namespace + "/" + podName + "-" + volume.path("name").asString(""));
            }
        }
    }

    void sync(String key) {
        if (key.startsWith(CLAIM_KEY)) {
            String rest = key.substring(CLAIM_KEY.length());
            int slash = rest.indexOf('/');
            syncClaim(rest.substring(0, slash), rest.substring(slash + 1));
        } else if (key.startsWith(VOLUME_KEY)) {
            syncVolume(key.substring(VOLUME_KEY.length()));
        }
    }

    private void syncClaim(String namespace, String name) {
        Optional<ObjectNode> found = resources.get(CLAIMS, namespace, name);
        if (found.isEmpty()) {
            return;
        }
        ObjectNode claim = found.get();
        String finalizer = StorageObjectInUseProtection.PVC_FINALIZER;
        if (needsFinalizer(claim, finalizer)) {
            write(CLAIMS, withFinalizer(claim, finalizer, true));
        } else if (deletionCandidate(claim, finalizer) && !inUse(claim)) {
            LOG.debug("claim {}/{} is unused: releasing it", namespace, name);
            write(CLAIMS, withFinalizer(claim, finalizer, false));
        }
    }

    private void syncVolume(String name) {
        Optional<ObjectNode> found = resources.get(VOLUMES, "", name);
        if (found.isEmpty()) {
            return;
        }
        ObjectNode volume = found.get();
        String finalizer = StorageObjectInUseProtection.PV_FINALIZER;
        if (needsFinalizer(volume, finalizer)) {
            write(VOLUMES, withFinalizer(volume, finalizer, true));
        } else if (deletionCandidate(volume, finalizer)
                && !"Bound".equals(volume.path("status").path("phase").asString(""))) {
            LOG.debug("volume {} is not bound: releasing it", name);
            write(VOLUMES, withFinalizer(volume, finalizer, false));
        }
    }

    private void write(ResourceType type, ObjectNode object) {
        try {
            resources.update(type, object);
        } catch (ResourceException e) {
            if (!e.isNotFound()) {
                throw e; // a conflict is retried against the newer version
            }
        }
    }

    /** Whether a scheduled pod of the claim's namespace uses it (upstream's podUsesPVC). */
    boolean inUse(ObjectNode claim) {
        String namespace = claim.path("metadata").path("namespace").asString("");
        String name = claim.path("metadata").path("name").asString("");
        for (ObjectNode pod : resources.list(PODS, namespace)) {
            if (pod.path("spec").path("nodeName").asString("").isEmpty()) {
                continue; // the kubelet never starts a pod whose claim is being deleted
            }
            for (JsonNode volume : pod.path("spec").path("volumes")) {
                if (name.equals(volume.path("persistentVolumeClaim").path("claimName").asString(null))) {
                    return true;
                }
                if (volume.path("ephemeral").isObject() && !shutDown(pod)
                        && name.equals(pod.path("metadata").path("name").asString("") + "-"
                                + volume.path("name").asString(""))
                        && controlledBy(claim, pod)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Deleted with no grace left: the kubelet is done with it, or it was force-deleted. */
    private static boolean shutDown(ObjectNode pod) {
        JsonNode meta = pod.path("metadata");
        return meta.has("deletionTimestamp") && !meta.get("deletionTimestamp").isNull()
                && meta.path("deletionGracePeriodSeconds").isNumber()
                && meta.path("deletionGracePeriodSeconds").asLong() == 0;
    }

    private static boolean controlledBy(ObjectNode claim, ObjectNode pod) {
        String uid = pod.path("metadata").path("uid").asString("");
        for (JsonNode owner : claim.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false) && uid.equals(owner.path("uid").asString(""))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasFinalizer(ObjectNode object, String finalizer) {
        for (JsonNode f : object.path("metadata").path("finalizers")) {
            if (finalizer.equals(f.asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static boolean deleting(ObjectNode object) {
        JsonNode ts = object.path("metadata").get("deletionTimestamp");
        return ts != null && !ts.isNull();
    }

    static boolean needsFinalizer(ObjectNode object, String finalizer) {
        return !deleting(object) && !hasFinalizer(object, finalizer);
    }

    static boolean deletionCandidate(ObjectNode object, String finalizer) {
        return deleting(object) && hasFinalizer(object, finalizer);
    }

    /** A copy with the finalizer added or removed (the cached object is never changed). */
    private static ObjectNode withFinalizer(ObjectNode object, String finalizer, boolean present) {
        ObjectNode copy = object.deepCopy();
        if (present) {
            StorageObjectInUseProtection.addFinalizer(copy, finalizer);
            return copy;
        }
        ObjectNode meta = copy.withObjectProperty("metadata");
        ArrayNode kept = meta.arrayNode();
        for (JsonNode f : meta.path("finalizers")) {
            if (!finalizer.equals(f.asString(""))) {
                kept.add(f);
            }
        }
        if (kept.isEmpty()) {
            meta.remove("finalizers");
        } else {
            meta.set("finalizers", kept);
        }
        return copy;
    }

    private static String key(ObjectNode object) {
        String namespace = object.path("metadata").path("namespace").asString("");
        String name = object.path("metadata").path("name").asString("");
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    boolean idle() {
        return queue.idle();
    }

    @Deactivate
    void stop() {
        for (AutoCloseable watch : new AutoCloseable[] {claimWatch, volumeWatch, podWatch}) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing a watch failed", e);
            }
        }
        queue.close();
    }
}
