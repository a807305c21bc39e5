package dev.okube.admission.defaultstorageclass;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's DefaultStorageClass: a PersistentVolumeClaim created without a class (no
 * {@code spec.storageClassName}, no beta class annotation) gets the default StorageClass, the one
 * annotated {@code storageclass.kubernetes.io/is-default-class: "true"} (or its beta twin). When
 * several are marked default the newest wins, then the first by name, as upstream since 1.28. An
 * explicit {@code storageClassName: ""} asks for no class and is kept.
 */
@Component(service = MutatingAdmission.class)
public final class DefaultStorageClass implements MutatingAdmission {
    static final String NAME = "DefaultStorageClass";
    static final ResourceType STORAGE_CLASSES = ResourceType.of("storage.k8s.io", "storageclasses");
    static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final String BETA_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
    static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    private final ClusterResources resources;

    @Activate
    public DefaultStorageClass(@Reference ClusterResources resources) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.group().isEmpty()
                || !"persistentvolumeclaims".equals(request.resource()) || !request.subresource().isEmpty()
                || request.object() == null) {
            return AdmissionResponse.allow();
        }
        ObjectNode claim = request.object();
        if (hasClass(claim)) {
            return AdmissionResponse.allow();
        }
        defaultClass().ifPresent(name -> claim.withObjectProperty("spec").put("storageClassName", name));
        return AdmissionResponse.allow();
    }

    /** Upstream's PersistentVolumeClaimHasClass: the beta annotation or a non-null storageClassName. */
    static boolean hasClass(ObjectNode claim) {
        if (claim.path("metadata").path("annotations").has(BETA_CLASS_ANNOTATION)) {
            return true;
        }
        JsonNode name = claim.path("spec").get("storageClassName");
        return name != null && !name.isNull();
    }

    /** The newest StorageClass marked default (then the first by name), if any. */
    Optional<String> defaultClass() {
        return resources.list(STORAGE_CLASSES, "").stream()
                .filter(DefaultStorageClass::isDefault)
                .sorted(Comparator.comparing(DefaultStorageClass::created).reversed()
                        .thenComparing(c -> c.path("metadata").path("name").asString("")))
                .map(c -> c.path("metadata").path("name").asString(""))
                .filter(n -> !n.isEmpty())
                .findFirst();
    }

    static boolean isDefault(ObjectNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        return "true".equals(annotations.path(DEFAULT_ANNOTATION).asString(""))
                || "true".equals(annotations.path(BETA_DEFAULT_ANNOTATION).asString(""));
    }

    private static Instant created(ObjectNode object) {
        try {
            return Instant.parse(object.path("metadata").path("creationTimestamp").asString(""));
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
