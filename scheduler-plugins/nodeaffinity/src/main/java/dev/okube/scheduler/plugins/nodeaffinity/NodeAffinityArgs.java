package dev.okube.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kubescheduler.config.k8s.io/v1 NodeAffinityArgs: {@code addedAffinity}, a node affinity every pod of
 * the profile must also satisfy (required) or is scored by (preferred). Validated as upstream's
 * ValidateNodeAffinityArgs (the terms must parse as node selectors).
 *
 * @param addedAffinity the added affinity, or null
 */
public record NodeAffinityArgs(NodeAffinity addedAffinity) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "addedAffinity");

    /** Parses and validates {@code args} (null, missing or an empty object mean no added affinity). */
    public static NodeAffinityArgs parse(JsonNode args) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return new NodeAffinityArgs(null);
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException("NodeAffinityArgs: expected an object, got " + args.getNodeType());
        }
        for (String field : args.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("NodeAffinityArgs: unknown field \"" + field + "\"");
            }
        }
        JsonNode added = args.get("addedAffinity");
        if (added == null || added.isNull()) {
            return new NodeAffinityArgs(null);
        }
        NodeAffinity affinity;
        try {
            affinity = MAPPER.treeToValue(added, NodeAffinity.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("NodeAffinityArgs: addedAffinity: " + e.getMessage(), e);
        }
        validate(affinity);
        return new NodeAffinityArgs(affinity);
    }

    static void validate(NodeAffinity affinity) {
        List<String> errs = new ArrayList<>();
        NodeSelector required = affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required != null) {
            String path = "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
            List<NodeSelectorTerm> terms = required.getNodeSelectorTerms();
            for (int i = 0; terms != null && i < terms.size(); i++) {
                validateTerm(terms.get(i), path + "[" + i + "]", errs);
            }
        }
        List<PreferredSchedulingTerm> preferred = affinity.getPreferredDuringSchedulingIgnoredDuringExecution();
        for (int i = 0; preferred != null && i < preferred.size(); i++) {
            PreferredSchedulingTerm t = preferred.get(i);
            String path = "addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
            if (t.getWeight() != null && (t.getWeight() < 0 || t.getWeight() > 100)) {
                errs.add(path + ".weight: Invalid value: " + t.getWeight() + ": must be in the range 0-100");
            }
            if (t.getPreference() != null) {
                validateTerm(t.getPreference(), path + ".preference", errs);
            }
        }
        if (!errs.isEmpty()) {
            throw new IllegalArgumentException("NodeAffinityArgs: " + String.join("; ", errs));
        }
    }

    private static void validateTerm(NodeSelectorTerm term, String path, List<String> errs) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions();
        for (int j = 0; exprs != null && j < exprs.size(); j++) {
            validateExpression(exprs.get(j), path + ".matchExpressions[" + j + "]", errs);
        }
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        for (int j = 0; fields != null && j < fields.size(); j++) {
            NodeSelectorRequirement r = fields.get(j);
            String p = path + ".matchFields[" + j + "]";
            if (!"metadata.name".equals(r.getKey())) {
                errs.add(p + ".key: Invalid value: \"" + r.getKey() + "\": not a valid field selector key");
            }
            if (!"In".equals(r.getOperator()) && !"NotIn".equals(r.getOperator())) {
                errs.add(p + ".operator: Invalid value: \"" + r.getOperator() + "\": not a valid selector operator");
            }
            if (r.getValues() == null || r.getValues().size() != 1) {
                errs.add(p + ".values: Required value: must have one element");
            }
        }
    }

    private static void validateExpression(NodeSelectorRequirement r, String path, List<String> errs) {
        int n = r.getValues() == null ? 0 : r.getValues().size();
        String op = r.getOperator() == null ? "" : r.getOperator();
        switch (op) {
            case "In", "NotIn" -> {
                if (n == 0) {
                    errs.add(path + ".values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (n > 0) {
                    errs.add(path + ".values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            case "Gt", "Lt" -> {
                if (n != 1) {
                    errs.add(path + ".values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
                } else {
                    try {
                        Long.parseLong(r.getValues().get(0));
                    } catch (NumberFormatException e) {
                        errs.add(path + ".values[0]: Invalid value: \"" + r.getValues().get(0)
                                + "\": must be an integer when `operator` is 'Lt' or 'Gt'");
                    }
                }
            }
            default -> errs.add(path + ".operator: Invalid value: \"" + op + "\": not a valid selector operator");
        }
        if (r.getKey() == null || r.getKey().isEmpty()) {
            errs.add(path + ".key: Invalid value: \"\": name part must be non-empty");
        }
    }
}
