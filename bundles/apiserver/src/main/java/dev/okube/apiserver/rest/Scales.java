package dev.okube.apiserver.rest;

import dev.okube.apiserver.selection.LabelSelector;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The autoscaling/v1 Scale of a Deployment, ReplicaSet, StatefulSet or ReplicationController. */
final class Scales {
    private Scales() {
    }

    static ObjectNode of(ObjectNode workload) {
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
