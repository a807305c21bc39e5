package dev.okube.admission.podpreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merging PodPresets into a pod, as upstream's plugin: env by name, volumeMounts by name and by mount
 * path, volumes by name; an entry already there must be identical (compared as Go compares structs:
 * an absent field equals its zero value), else it is a conflict; envFrom is appended.
 */
final class PodPresetMerge {
    private PodPresetMerge() {
    }

    /** Every conflict the presets would cause; empty when they can all be applied. */
    static List<String> conflicts(ObjectNode pod, List<ObjectNode> presets) {
        List<String> errors = new ArrayList<>();
        mergeByName(pod.path("spec").path("volumes"), presets, "volumes", "volumes", " in container", errors);
        for (String field : List.of("containers", "initContainers")) {
            for (JsonNode container : pod.path("spec").path(field)) {
                mergeByName(container.path("env"), presets, "env", "env", " in container", errors);
                mergeVolumeMounts(container.path("volumeMounts"), presets, errors);
            }
        }
        return errors;
    }

    /** Applies the presets (checked with {@link #conflicts} first) and annotates the pod. */
    static void apply(ObjectNode pod, List<ObjectNode> presets) {
        ObjectNode spec = pod.withObjectProperty("spec");
        List<String> ignored = new ArrayList<>();
        ArrayNode volumes = mergeByName(spec.path("volumes"), presets, "volumes", "volumes", "", ignored);
        if (!volumes.isEmpty()) {
            spec.set("volumes", volumes);
        }
        for (String field : List.of("containers", "initContainers")) {
            for (JsonNode c : spec.path(field)) {
                ObjectNode container = (ObjectNode) c;
                setIfNotEmpty(container, "env", mergeByName(container.path("env"), presets, "env", "env", "", ignored));
                setIfNotEmpty(container, "volumeMounts", mergeVolumeMounts(container.path("volumeMounts"), presets, ignored));
                ArrayNode envFrom = JsonNodeFactory.instance.arrayNode();
                container.path("envFrom").forEach(e -> envFrom.add(e.deepCopy()));
                for (ObjectNode preset : presets) {
                    preset.path("spec").path("envFrom").forEach(e -> envFrom.add(e.deepCopy()));
                }
                setIfNotEmpty(container, "envFrom", envFrom);
            }
        }
        ObjectNode annotations = pod.withObjectProperty("metadata").withObjectProperty("annotations");
        for (ObjectNode preset : presets) {
            annotations.put(PodPresetAdmission.ANNOTATION_PREFIX + "/podpreset-" + PodPresetAdmission.name(preset),
                    preset.path("metadata").path("resourceVersion").asString(""));
        }
    }

    private static void setIfNotEmpty(ObjectNode container, String field, ArrayNode list) {
        if (!list.isEmpty()) {
            container.set(field, list);
        }
    }

    /** Merges a preset field keyed by "name" into a list, recording conflicts. */
    private static ArrayNode mergeByName(JsonNode original, List<ObjectNode> presets, String field, String what,
            String where, List<String> errors) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : original) {
            byName.put(item.path("name").asString(""), item);
            merged.add(item.deepCopy());
        }
        for (ObjectNode preset : presets) {
            for (JsonNode item : preset.path("spec").path(field)) {
                String name = item.path("name").asString("");
                JsonNode found = byName.get(name);
                if (found == null) {
                    byName.put(name, item);
                    merged.add(item.deepCopy());
                } else if (!sameValue(found, item)) {
                    errors.add("merging " + what + " for " + PodPresetAdmission.name(preset) + " has a conflict on "
                            + name + ": " + item + " does not match " + found + where);
                }
            }
        }
        return merged;
    }

    private static ArrayNode mergeVolumeMounts(JsonNode original, List<ObjectNode> presets, List<String> errors) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        Map<String, JsonNode> byPath = new LinkedHashMap<>();
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        for (JsonNode m : original) {
            byName.put(m.path("name").asString(""), m);
            byPath.put(m.path("mountPath").asString(""), m);
            merged.add(m.deepCopy());
        }
        for (ObjectNode preset : presets) {
            String presetName = PodPresetAdmission.name(preset);
            for (JsonNode m : preset.path("spec").path("volumeMounts")) {
                String name = m.path("name").asString("");
                String path = m.path("mountPath").asString("");
                JsonNode found = byName.get(name);
                if (found == null) {
                    byName.put(name, m);
                    merged.add(m.deepCopy());
                } else if (!sameValue(found, m)) {
                    errors.add("merging volume mounts for " + presetName + " has a conflict on " + name + ": " + m
                            + " does not match " + found + " in container");
                }
                found = byPath.get(path);
                if (found == null) {
                    byPath.put(path, m);
                } else if (!sameValue(found, m)) {
                    errors.add("merging volume mounts for " + presetName + " has a conflict on mount path " + path
                            + ": " + m + " does not match " + found + " in container");
                }
            }
        }
        return merged;
    }

    /** Equal as Go structs: fields holding their zero value (null, false, 0, "", empty) count as absent. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        return normalize(a).equals(normalize(b));
    }

    private static JsonNode normalize(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode value = normalize(e.getValue());
                if (!isZero(value)) {
                    result.set(e.getKey(), value);
                }
            }
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> result.add(normalize(item)));
            return result;
        }
        if (node.isNumber()) {
            return JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }

    private static boolean isZero(JsonNode value) {
        return value == null || value.isNull() || value.isBoolean() && !value.asBoolean()
                || value.isNumber() && value.decimalValue().signum() == 0
                || value.isString() && value.asString().isEmpty()
                || value.isContainer() && value.isEmpty();
    }
}
