package dev.okube.admission.podpreset;

import dev.okube.api.resources.ResourceKind;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The settings.k8s.io/v1alpha1 PodPreset kind, served by the apiserver while this bundle is active
 * (upstream removed it in 1.20; here it lives and dies with its plugin).
 */
@Component(service = ResourceKind.class)
public final class PodPresetKind implements ResourceKind {
    static final String GROUP = "settings.k8s.io";
    static final String PLURAL = "podpresets";

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public String version() {
        return "v1alpha1";
    }

    @Override
    public String kind() {
        return "PodPreset";
    }

    @Override
    public String plural() {
        return PLURAL;
    }

    @Override
    public boolean namespaced() {
        return true;
    }

    /**
     * The defaults core/v1 gives the same fields in a pod (a preset's volumes and env are copied into
     * pods after the pods were defaulted, so they must carry them already).
     */
    @Override
    public void applyDefaults(ObjectNode preset) {
        JsonNode spec = preset.path("spec");
        for (JsonNode volume : spec.path("volumes")) {
            for (String source : List.of("configMap", "secret", "downwardAPI", "projected")) {
                if (volume.path(source).isObject() && !volume.path(source).has("defaultMode")) {
                    ((ObjectNode) volume.get(source)).put("defaultMode", 420);
                }
            }
        }
        for (JsonNode env : spec.path("env")) {
            JsonNode fieldRef = env.path("valueFrom").path("fieldRef");
            if (fieldRef.isObject() && !fieldRef.has("apiVersion")) {
                ((ObjectNode) fieldRef).put("apiVersion", "v1");
            }
        }
    }

    @Override
    public List<String> validate(ObjectNode preset) {
        return PodPresetValidation.validate(preset);
    }
}
