package dev.okube.admission.storageobjectinuseprotection;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's StorageObjectInUseProtection: every PersistentVolumeClaim is created with the finalizer
 * {@code kubernetes.io/pvc-protection} and every PersistentVolume with {@code kubernetes.io/pv-protection},
 * so that a claim used by a pod, or a volume bound to a claim, is not removed under it. The
 * {@link ProtectionController} in this bundle releases the finalizers once the object is unused.
 */
@Component(service = MutatingAdmission.class)
public final class StorageObjectInUseProtection implements MutatingAdmission {
    static final String NAME = "StorageObjectInUseProtection";
    static final String PVC_FINALIZER = "kubernetes.io/pvc-protection";
    static final String PV_FINALIZER = "kubernetes.io/pv-protection";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.group().isEmpty() || !request.subresource().isEmpty()
                || request.object() == null) {
            return AdmissionResponse.allow();
        }
        switch (request.resource()) {
            case "persistentvolumeclaims" -> addFinalizer(request.object(), PVC_FINALIZER);
            case "persistentvolumes" -> addFinalizer(request.object(), PV_FINALIZER);
            default -> {
            }
        }
        return AdmissionResponse.allow();
    }

    static void addFinalizer(ObjectNode object, String finalizer) {
        ObjectNode meta = object.withObjectProperty("metadata");
        JsonNode current = meta.get("finalizers");
        ArrayNode finalizers;
        if (current instanceof ArrayNode array) {
            for (JsonNode f : array) {
                if (finalizer.equals(f.asString(""))) {
                    return;
                }
            }
            finalizers = array;
        } else {
            finalizers = meta.putArray("finalizers");
        }
        finalizers.add(finalizer);
    }
}
