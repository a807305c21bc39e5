package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.resources.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumeClaims: count and requested storage, in total and per storage class
 * ({@code <class>.storageclass.storage.k8s.io/requests.storage}), as upstream's PVC evaluator.
 */
final class PvcEvaluator implements Evaluator {
    static final ResourceType PVCS = ResourceType.core("persistentvolumeclaims");
    static final String STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";
    private static final List<String> PVC_RESOURCES = List.of("persistentvolumeclaims", "requests.storage");

    @Override
    public ResourceType resource() {
        return PVCS;
    }

    @Override
    public boolean handles(AdmissionRequest request) {
        return switch (request.subresource()) {
            case "" -> request.operation() == AdmissionRequest.Operation.CREATE
                    || request.operation() == AdmissionRequest.Operation.UPDATE;
            // A resize the volume driver granted shows in status.allocatedResources.
            case "status" -> request.operation() == AdmissionRequest.Operation.UPDATE && request.oldObject() != null
                    && request.object() != null && allocatedChanged(request.oldObject(), request.object());
            default -> false;
        };
    }

    static boolean allocatedChanged(ObjectNode oldPvc, ObjectNode pvc) {
        return !Objects.equals(oldPvc.path("status").path("allocatedResources").get("storage"),
                pvc.path("status").path("allocatedResources").get("storage"));
    }

    @Override
    public List<String> matchingResources(Collection<String> input) {
        List<String> result = new ArrayList<>();
        for (String name : input) {
            if (name.equals("count/persistentvolumeclaims") || PVC_RESOURCES.contains(name)) {
                result.add(name);
                continue;
            }
            for (String resource : PVC_RESOURCES) {
                if (name.endsWith(STORAGE_CLASS_SUFFIX + resource)) {
                    result.add(name);
                    break;
                }
            }
        }
        return result;
    }

    @Override
    public Map<String, Quantity> usage(ObjectNode pvc, Instant now) {
        TreeMap<String, Quantity> usage = new TreeMap<>();
        usage.put("persistentvolumeclaims", Quantity.ONE);
        usage.put("count/persistentvolumeclaims", Quantity.ONE);
        String storageClass = storageClass(pvc);
        if (!storageClass.isEmpty()) {
            usage.put(storageClass + STORAGE_CLASS_SUFFIX + "persistentvolumeclaims", Quantity.ONE);
        }
        Quantity storage = storage(pvc);
        if (storage != null) {
            usage.put("requests.storage", storage);
            if (!storageClass.isEmpty()) {
                usage.put(storageClass + STORAGE_CLASS_SUFFIX + "requests.storage", storage);
            }
        }
        return usage;
    }

    /** The beta annotation wins over spec.storageClassName, as upstream's GetPersistentVolumeClaimClass. */
    static String storageClass(ObjectNode pvc) {
        JsonNode annotation = pvc.path("metadata").path("annotations").get("volume.beta.kubernetes.io/storage-class");
        if (annotation != null && annotation.isString()) {
            return annotation.asString();
        }
        return pvc.path("spec").path("storageClassName").asString("");
    }

    /** The larger of the request and the allocated size, in whole bytes. */
    private static Quantity storage(ObjectNode pvc) {
        JsonNode requested = pvc.path("spec").path("resources").path("requests").get("storage");
        if (requested == null || requested.isNull()) {
            return null;
        }
        Quantity result = Quantity.parse(requested).roundUpToInteger();
        JsonNode allocated = pvc.path("status").path("allocatedResources").get("storage");
        if (allocated != null && !allocated.isNull()) {
            Quantity a = Quantity.parse(allocated);
            if (a.compareTo(result) > 0) {
                result = a.roundUpToInteger();
            }
        }
        return result;
    }
}
