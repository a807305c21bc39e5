package dev.okube.admission.defaultingressclass;

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
 * Upstream's DefaultIngressClass: an Ingress created without {@code spec.ingressClassName} and
 * without the legacy {@code kubernetes.io/ingress.class} annotation gets the default IngressClass,
 * the one annotated {@code ingressclass.kubernetes.io/is-default-class: "true"}. When several are
 * marked default the newest wins, then the first by name, as upstream.
 */
@Component(service = MutatingAdmission.class)
public final class DefaultIngressClass implements MutatingAdmission {
    static final String NAME = "DefaultIngressClass";
    static final ResourceType INGRESS_CLASSES = ResourceType.of("networking.k8s.io", "ingressclasses");
    static final String DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final ClusterResources resources;

    @Activate
    public DefaultIngressClass(@Reference ClusterResources resources) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !"networking.k8s.io".equals(request.group())
                || !"ingresses".equals(request.resource()) || !request.subresource().isEmpty()
                || request.object() == null) {
            return AdmissionResponse.allow();
        }
        ObjectNode ingress = request.object();
        JsonNode className = ingress.path("spec").get("ingressClassName");
        if (className != null && !className.isNull()) {
            return AdmissionResponse.allow();
        }
        if (ingress.path("metadata").path("annotations").has(LEGACY_CLASS_ANNOTATION)) {
            return AdmissionResponse.allow();
        }
        defaultClass().ifPresent(name -> ingress.withObjectProperty("spec").put("ingressClassName", name));
        return AdmissionResponse.allow();
    }

    /** The newest IngressClass marked default (then the first by name), if any. */
    Optional<String> defaultClass() {
        return resources.list(INGRESS_CLASSES, "").stream()
                .filter(c -> "true".equals(c.path("metadata").path("annotations").path(DEFAULT_ANNOTATION).asString("")))
                .sorted(Comparator.comparing(DefaultIngressClass::created).reversed()
                        .thenComparing(c -> c.path("metadata").path("name").asString("")))
                .map(c -> c.path("metadata").path("name").asString(""))
                .filter(n -> !n.isEmpty())
                .findFirst();
    }

    private static Instant created(ObjectNode object) {
        try {
            return Instant.parse(object.path("metadata").path("creationTimestamp").asString(""));
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
