package dev.okube.scheduler.plugins.podgroupkind;

import dev.okube.api.resources.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scheduling.x-k8s.io/v1alpha1 PodGroup kind of kubernetes-sigs/scheduler-plugins (its CRD's schema:
 * namespaced, short names pg and pgs, a status subresource), served by the apiserver while this bundle is
 * active. A component of its own, apart from the Coscheduling plugin, so that a scheduler-only Karaf
 * runs the plugin without an apiserver.
 */
@Component(service = ResourceKind.class)
public final class PodGroupKind implements ResourceKind {
    static final String GROUP = "scheduling.x-k8s.io";
    private static final Pattern QUANTITY = Pattern.compile(
            "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\\d+))?$");
    private static final long INT32_MAX = Integer.MAX_VALUE;

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
        return "PodGroup";
    }

    @Override
    public String plural() {
        return "podgroups";
    }

    @Override
    public boolean namespaced() {
        return true;
    }

    @Override
    public List<String> shortNames() {
        return List.of("pg", "pgs");
    }

    @Override
    public boolean hasStatus() {
        return true;
    }

    /** The CRD's openAPIV3Schema checks, with the apiserver's messages for them. */
    @Override
    public List<String> validate(ObjectNode podGroup) {
        List<String> errors = new ArrayList<>();
        JsonNode spec = podGroup.path("spec");
        if (!spec.isMissingNode() && !spec.isNull()) {
            if (!spec.isObject()) {
                errors.add("spec: Invalid value: \"" + type(spec) + "\": spec in body must be of type object: \"" + type(spec) + "\"");
                return errors;
            }
            JsonNode min = spec.path("minMember");
            if (int32(errors, "spec.minMember", min) && min.asLong() < 1) {
                errors.add("spec.minMember: Invalid value: " + min.asLong()
                        + ": spec.minMember in body should be greater than or equal to 1");
            }
            int32(errors, "spec.scheduleTimeoutSeconds", spec.path("scheduleTimeoutSeconds"));
            JsonNode resources = spec.path("minResources");
            if (!resources.isMissingNode() && !resources.isNull()) {
                if (!resources.isObject()) {
                    errors.add("spec.minResources: Invalid value: \"" + type(resources)
                            + "\": spec.minResources in body must be of type object: \"" + type(resources) + "\"");
                } else {
                    for (Map.Entry<String, JsonNode> e : resources.properties()) {
                        JsonNode q = e.getValue();
                        boolean ok = q.isIntegralNumber() || q.isNumber()
                                || (q.isString() && QUANTITY.matcher(q.asString()).matches());
                        if (!ok) {
                            errors.add("spec.minResources[" + e.getKey() + "]: Invalid value: " + q
                                    + ": quantities must match the regular expression '" + QUANTITY.pattern() + "'");
                        }
                    }
                }
            }
        }
        JsonNode status = podGroup.path("status");
        if (status.isObject()) {
            for (String field : List.of("scheduled", "running", "succeeded", "failed")) {
                int32(errors, "status." + field, status.path(field));
            }
            for (String field : List.of("phase", "occupiedBy", "scheduleStartTime")) {
                JsonNode v = status.path(field);
                if (!v.isMissingNode() && !v.isNull() && !v.isString()) {
                    errors.add("status." + field + ": Invalid value: \"" + type(v) + "\": status." + field
                            + " in body must be of type string: \"" + type(v) + "\"");
                }
            }
        }
        return errors;
    }

    /** Checks an optional int32 field; true when present and valid. */
    private static boolean int32(List<String> errors, String path, JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return false;
        }
        if (!v.isIntegralNumber()) {
            errors.add(path + ": Invalid value: \"" + type(v) + "\": " + path + " in body must be of type integer: \""
                    + type(v) + "\"");
            return false;
        }
        if (v.asLong() > INT32_MAX || v.asLong() < Integer.MIN_VALUE) {
            errors.add(path + ": Invalid value: " + v.asLong() + ": " + path + " in body should be a 32-bit integer");
            return false;
        }
        return true;
    }

    private static String type(JsonNode v) {
        if (v.isString()) {
            return "string";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isArray()) {
            return "array";
        }
        return v.isObject() ? "object" : "null";
    }
}
