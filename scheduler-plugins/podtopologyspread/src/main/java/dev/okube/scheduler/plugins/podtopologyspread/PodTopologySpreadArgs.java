package dev.okube.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's kubescheduler.config.k8s.io/v1 PodTopologySpreadArgs, defaulted and validated as upstream:
 * {@code defaultingType} System (the default; then {@code defaultConstraints} must be empty) or List.
 *
 * @param defaultConstraints the constraints for pods without their own (with System, upstream's system defaults)
 * @param systemDefaulted    whether the defaults are the system's
 */
record PodTopologySpreadArgs(List<TopologySpreadConstraint> defaultConstraints, boolean systemDefaulted) {
    static final String SYSTEM = "System";
    static final String LIST = "List";
    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";
    static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
    static final String LABEL_ZONE = "topology.kubernetes.io/zone";

    /** Upstream's systemDefaultConstraints. */
    static final List<TopologySpreadConstraint> SYSTEM_DEFAULT_CONSTRAINTS = List.of(
            new TopologySpreadConstraintBuilder().withTopologyKey(LABEL_HOSTNAME)
                    .withWhenUnsatisfiable(SCHEDULE_ANYWAY).withMaxSkew(3).build(),
            new TopologySpreadConstraintBuilder().withTopologyKey(LABEL_ZONE)
                    .withWhenUnsatisfiable(SCHEDULE_ANYWAY).withMaxSkew(5).build());

    static PodTopologySpreadArgs parse(JsonNode args) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return new PodTopologySpreadArgs(SYSTEM_DEFAULT_CONSTRAINTS, true);
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException("PodTopologySpreadArgs must be an object, got " + args);
        }
        JsonNode typeNode = args.path("defaultingType");
        String type = typeNode.isMissingNode() || typeNode.isNull() || typeNode.asString().isEmpty()
                ? SYSTEM : typeNode.asString();
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        JsonNode list = args.path("defaultConstraints");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("defaultConstraints: must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                constraints.add(parseConstraint("defaultConstraints[" + i + "]", list.get(i)));
            }
        }
        List<String> errors = new ArrayList<>();
        if (!SYSTEM.equals(type) && !LIST.equals(type)) {
            errors.add("defaultingType: Unsupported value: \"" + type + "\": supported values: \"System\", \"List\"");
        } else if (SYSTEM.equals(type) && !constraints.isEmpty()) {
            errors.add("defaultingType: Invalid value: \"System\": when .defaultConstraints are not empty");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            TopologySpreadConstraint c = constraints.get(i);
            String p = "defaultConstraints[" + i + "]";
            if (c.getMaxSkew() == null || c.getMaxSkew() <= 0) {
                errors.add(p + ".maxSkew: Invalid value: " + c.getMaxSkew() + ": must be greater than zero");
            }
            if (c.getTopologyKey() == null || c.getTopologyKey().isEmpty()) {
                errors.add(p + ".topologyKey: Required value: can not be empty");
            }
            if (!DO_NOT_SCHEDULE.equals(c.getWhenUnsatisfiable()) && !SCHEDULE_ANYWAY.equals(c.getWhenUnsatisfiable())) {
                errors.add(p + ".whenUnsatisfiable: Unsupported value: \"" + c.getWhenUnsatisfiable()
                        + "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
            }
            if (c.getLabelSelector() != null) {
                errors.add(p + ".labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod");
            }
            if (!seen.add(c.getTopologyKey() + "\u0000" + c.getWhenUnsatisfiable())) {
                errors.add(p + ": Duplicate value: \"{" + c.getTopologyKey() + ", " + c.getWhenUnsatisfiable() + "}\"");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid PodTopologySpreadArgs: " + String.join("; ", errors));
        }
        return SYSTEM.equals(type) ? new PodTopologySpreadArgs(SYSTEM_DEFAULT_CONSTRAINTS, true)
                : new PodTopologySpreadArgs(List.copyOf(constraints), false);
    }

    private static TopologySpreadConstraint parseConstraint(String path, JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(path + ": must be an object");
        }
        TopologySpreadConstraintBuilder b = new TopologySpreadConstraintBuilder();
        JsonNode maxSkew = n.path("maxSkew");
        if (!maxSkew.isMissingNode() && !maxSkew.isNull()) {
            if (!maxSkew.isIntegralNumber()) {
                throw new IllegalArgumentException(path + ".maxSkew: must be an integer");
            }
            b.withMaxSkew(maxSkew.asInt());
        } else {
            b.withMaxSkew(0);
        }
        JsonNode minDomains = n.path("minDomains");
        if (!minDomains.isMissingNode() && !minDomains.isNull()) {
            if (!minDomains.isIntegralNumber()) {
                throw new IllegalArgumentException(path + ".minDomains: must be an integer");
            }
            b.withMinDomains(minDomains.asInt());
        }
        b.withTopologyKey(text(n, "topologyKey"));
        b.withWhenUnsatisfiable(text(n, "whenUnsatisfiable"));
        b.withNodeAffinityPolicy(text(n, "nodeAffinityPolicy"));
        b.withNodeTaintsPolicy(text(n, "nodeTaintsPolicy"));
        JsonNode keys = n.path("matchLabelKeys");
        if (keys.isArray()) {
            for (JsonNode k : keys) {
                b.addToMatchLabelKeys(k.asString());
            }
        }
        if (!n.path("labelSelector").isMissingNode() && !n.path("labelSelector").isNull()) {
            // Only its presence matters: validation forbids it.
            b.withNewLabelSelector().endLabelSelector();
        }
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asString();
    }
}
