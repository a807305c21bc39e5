package dev.okube.apiserver.rest;

import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.ResourceStrategy.ScalePaths;
import dev.okube.apiserver.selection.LabelSelector;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The autoscaling/v1 Scale of a Deployment, ReplicaSet, StatefulSet or ReplicationController, or of a
 * custom resource through the paths its CRD declares.
 */
final class Scales {
    private Scales() {
    }

    static ObjectNode of(ResourceDefinition def, ObjectNode object) {
        ScalePaths paths = def.strategy().scalePaths();
        if (paths == null) {
            return of(object);
        }
        ObjectNode scale = of(object);
        // Upstream's custom resource scale: a missing replicas field is 0, the selector is the declared string.
        JsonNode spec = at(object, paths.specReplicas());
        scale.putObject("spec").put("replicas", spec != null && spec.isNumber() ? spec.asInt() : 0);
        ObjectNode status = scale.putObject("status");
        JsonNode current = at(object, paths.statusReplicas());
        status.put("replicas", current != null && current.isNumber() ? current.asInt() : 0);
        JsonNode selector = paths.labelSelector() == null ? null : at(object, paths.labelSelector());
        if (selector != null && selector.isString() && !selector.asString().isEmpty()) {
            status.put("selector", selector.asString());
        }
        return scale;
    }

    /** Writes the desired replicas where the resource keeps them. */
    static void setReplicas(ResourceDefinition def, ObjectNode object, int replicas) {
        ScalePaths paths = def.strategy().scalePaths();
        String path = paths == null ? ".spec.replicas" : paths.specReplicas();
        String[] parts = path.replaceFirst("^\\.", "").split("\\.");
        ObjectNode parent = object;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = Json.objectAt(parent, parts[i]);
        }
        parent.put(parts[parts.length - 1], replicas);
    }

    private static JsonNode at(JsonNode object, String dotted) {
        return Json.at(object, dotted.replaceFirst("^\\.", "").split("\\."));
    }

    private static ObjectNode of(ObjectNode workload) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            JsonNode value = Json.at(workload, "metadata", field);
            if (value != null) {
                meta.set(field, value);
            }
        }
        JsonNode replicas = Json.at(workload, "spec", "replicas");
        scale.putObject("spec").put("replicas", replicas == null ? 1 : replicas.asInt());
        ObjectNode status = scale.putObject("status");
        JsonNode current = Json.at(workload, "status", "replicas");
        status.put("replicas", current == null ? 0 : current.asInt());
        String selector = selector(Json.at(workload, "spec", "selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    /** A metav1.LabelSelector (apps) or a plain label map (ReplicationController) as selector text. */
    private static String selector(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "";
        }
        if (selector.has("matchLabels") || selector.has("matchExpressions")) {
            return LabelSelector.fromJson(selector).toString();
        }
        Map<String, String> labels = new TreeMap<>(Json.stringMap(selector));
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
