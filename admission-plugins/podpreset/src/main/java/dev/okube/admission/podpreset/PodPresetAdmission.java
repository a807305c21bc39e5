package dev.okube.admission.podpreset;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The PodPreset admission plugin, with upstream's semantics (1.14–1.19): when a pod is created, the
 * PodPresets of its namespace whose selector matches the pod's labels inject their env, envFrom and
 * volumeMounts into every container and init container, and their volumes into the pod, and the pod
 * is annotated {@code podpreset.admission.kubernetes.io/podpreset-<name>: <resourceVersion>}. If any
 * injection would conflict with what the pod or another preset says (same env name, volume name or
 * mount path with a different value), nothing is injected: the pod is admitted as it is, with a
 * warning. Mirror pods and pods annotated {@code podpreset.admission.kubernetes.io/exclude: "true"}
 * are left alone.
 */
@Component(service = MutatingAdmission.class)
public final class PodPresetAdmission implements MutatingAdmission {
    static final ResourceType PODPRESETS = ResourceType.of(PodPresetKind.GROUP, PodPresetKind.PLURAL);
    static final String ANNOTATION_PREFIX = "podpreset.admission.kubernetes.io";
    static final String EXCLUDE_ANNOTATION = ANNOTATION_PREFIX + "/exclude";
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final Logger LOG = LoggerFactory.getLogger(PodPresetAdmission.class);

    private final ClusterResources resources;

    @Activate
    public PodPresetAdmission(@Reference ClusterResources resources) {
        this.resources = resources;
    }

    @Override
    public String name() {
        return "PodPreset";
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (!request.subresource().isEmpty() || !request.group().isEmpty() || !request.resource().equals("pods")
                || request.operation() != AdmissionRequest.Operation.CREATE || request.object() == null) {
            return AdmissionResponse.allow();
        }
        ObjectNode pod = request.object();
        JsonNode annotations = pod.path("metadata").path("annotations");
        if (annotations.has(MIRROR_ANNOTATION) || annotations.path(EXCLUDE_ANNOTATION).asString("").equals("true")) {
            return AdmissionResponse.allow();
        }
        if (!resources.serves(PODPRESETS)) {
            return AdmissionResponse.allow();
        }
        List<ObjectNode> matching = new ArrayList<>();
        JsonNode labels = pod.path("metadata").path("labels");
        for (ObjectNode preset : resources.list(PODPRESETS, request.namespace())) {
            try {
                if (LabelSelector.matches(preset.path("spec").get("selector"), labels)) {
                    matching.add(preset);
                }
            } catch (IllegalArgumentException e) {
                return AdmissionResponse.deny(500, "InternalError", "Internal error occurred: filtering pod presets "
                        + "failed: label selector conversion failed for PodPreset " + name(preset) + ": " + e.getMessage());
            }
        }
        if (matching.isEmpty()) {
            return AdmissionResponse.allow();
        }
        matching.sort(Comparator.comparing(PodPresetAdmission::name));
        List<String> names = matching.stream().map(PodPresetAdmission::name).toList();
        List<String> conflicts = PodPresetMerge.conflicts(pod, matching);
        if (!conflicts.isEmpty()) {
            String message = "conflict occurred while applying podpresets: " + String.join(",", names) + " on pod: "
                    + podName(pod) + " err: " + String.join("; ", conflicts);
            LOG.warn(message);
            return AdmissionResponse.allow().withWarning(message);
        }
        PodPresetMerge.apply(pod, matching);
        LOG.debug("applied podpresets: {} successfully on Pod: {}", names, podName(pod));
        return AdmissionResponse.allow();
    }

    static String name(JsonNode preset) {
        return preset.path("metadata").path("name").asString("");
    }

    private static String podName(ObjectNode pod) {
        String name = pod.path("metadata").path("name").asString("");
        return name.isEmpty() ? pod.path("metadata").path("generateName").asString("") : name;
    }
}
