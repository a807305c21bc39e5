package dev.okube.auth.rbac;

import dev.okube.api.authorization.AuthorizationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One rbac.authorization.k8s.io/v1 PolicyRule, immutable, with upstream's matching (rbac.go
 * RuleAllows) and covering (validation.Covers) semantics.
 */
record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
        List<String> nonResourceURLs) {
    static final String ALL = "*";

    PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    static PolicyRule resource(List<String> verbs, List<String> apiGroups, List<String> resources,
            List<String> resourceNames) {
        return new PolicyRule(verbs, apiGroups, resources, resourceNames, List.of());
    }

    static PolicyRule nonResource(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    /** The rules of a Role or ClusterRole object ({@code rules}, absent or null = none). */
    static List<PolicyRule> rulesOf(JsonNode role) {
        List<PolicyRule> rules = new ArrayList<>();
        for (JsonNode rule : role.path("rules")) {
            rules.add(parse(rule));
        }
        return List.copyOf(rules);
    }

    static PolicyRule parse(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")),
                strings(rule.path("resources")), strings(rule.path("resourceNames")),
                strings(rule.path("nonResourceURLs")));
    }

    static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        for (JsonNode n : array) {
            result.add(n.asString(""));
        }
        return result;
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        put(node, "verbs", verbs, true);
        put(node, "apiGroups", apiGroups, !resources.isEmpty() || !apiGroups.isEmpty());
        put(node, "resources", resources, false);
        put(node, "resourceNames", resourceNames, false);
        put(node, "nonResourceURLs", nonResourceURLs, false);
        return node;
    }

    private static void put(ObjectNode node, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) {
            return;
        }
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

    // ---- matching a request (upstream RuleAllows) ----

    boolean allows(AuthorizationRequest request) {
        if (request.resourceRequest()) {
            return verbMatches(request.verb()) && apiGroupMatches(nz(request.group()))
                    && resourceMatches(nz(request.resource()), nz(request.subresource()))
                    && resourceNameMatches(nz(request.name()));
        }
        return verbMatches(request.verb()) && nonResourceURLMatches(nz(request.path()));
    }

    boolean verbMatches(String verb) {
        return verbs.contains(ALL) || verbs.contains(verb);
    }

    boolean apiGroupMatches(String group) {
        return apiGroups.contains(ALL) || apiGroups.contains(group);
    }

    boolean resourceMatches(String resource, String subresource) {
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            // "*/status" grants the status subresource of every resource
            if (!subresource.isEmpty() && r.length() == subresource.length() + 2 && r.startsWith("*/")
                    && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    /** No names = every object; with names, only a request naming one of them (never a collection). */
    boolean resourceNameMatches(String name) {
        return resourceNames.isEmpty() || (!name.isEmpty() && resourceNames.contains(name));
    }

    boolean nonResourceURLMatches(String path) {
        for (String url : nonResourceURLs) {
            if (url.equals(ALL) || url.equals(path)
                    || (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ---- covering (upstream validation.Covers / BreakdownRule / ruleCovers) ----

    /** This rule split into rules of one verb, one group, one resource, one name (or one URL). */
    List<PolicyRule> breakdown() {
        List<PolicyRule> result = new ArrayList<>();
        for (String group : apiGroups) {
            for (String resource : resources) {
                for (String verb : verbs) {
                    if (resourceNames.isEmpty()) {
                        result.add(resource(List.of(verb), List.of(group), List.of(resource), List.of()));
                    } else {
                        for (String name : resourceNames) {
                            result.add(resource(List.of(verb), List.of(group), List.of(resource), List.of(name)));
                        }
                    }
                }
            }
        }
        for (String url : nonResourceURLs) {
            for (String verb : verbs) {
                result.add(nonResource(List.of(verb), List.of(url)));
            }
        }
        return result;
    }

    boolean covers(PolicyRule sub) {
        boolean verbOk = verbs.contains(ALL) || verbs.containsAll(sub.verbs);
        boolean groupOk = apiGroups.contains(ALL) || apiGroups.containsAll(sub.apiGroups);
        boolean resourceOk = resourcesCover(sub.resources);
        boolean urlOk = urlsCover(sub.nonResourceURLs);
        boolean namesOk = sub.resourceNames.isEmpty() ? resourceNames.isEmpty()
                : resourceNames.isEmpty() || resourceNames.containsAll(sub.resourceNames);
        return verbOk && groupOk && resourceOk && namesOk && urlOk;
    }

    private boolean resourcesCover(List<String> wanted) {
        if (resources.contains(ALL) || resources.containsAll(wanted)) {
            return true;
        }
        for (String path : wanted) {
            if (resources.contains(path)) {
                continue;
            }
            int slash = path.indexOf('/');
            if (slash < 0 || !resources.contains("*" + path.substring(slash))) {
                return false;
            }
        }
        return true;
    }

    private boolean urlsCover(List<String> wanted) {
        for (String path : wanted) {
            boolean covered = false;
            for (String owner : nonResourceURLs) {
                if (owner.equals(path)
                        || (owner.endsWith("*") && path.startsWith(owner.substring(0, owner.length() - 1)))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /** The atomic parts of {@code wanted} that no rule of {@code owner} covers (empty: all covered). */
    static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> wanted) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule rule : wanted) {
            for (PolicyRule sub : rule.breakdown()) {
                if (owner.stream().noneMatch(o -> o.covers(sub)) && !missing.contains(sub)) {
                    missing.add(sub);
                }
            }
        }
        return missing;
    }

    /**
     * Merges atomic resource rules that differ only in their verbs (upstream CompactRules), keeping
     * the order in which they first appear; non-resource rules stay as they are.
     */
    static List<PolicyRule> compact(List<PolicyRule> rules) {
        java.util.LinkedHashMap<List<List<String>>, List<String>> merged = new java.util.LinkedHashMap<>();
        List<PolicyRule> unmerged = new ArrayList<>();
        for (PolicyRule r : rules) {
            if (!r.nonResourceURLs.isEmpty()) {
                unmerged.add(r);
                continue;
            }
            List<List<String>> key = List.of(r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs);
            List<String> verbsOf = merged.computeIfAbsent(key, k -> new ArrayList<>());
            for (String v : r.verbs) {
                if (!verbsOf.contains(v)) {
                    verbsOf.add(v);
                }
            }
        }
        List<PolicyRule> result = new ArrayList<>();
        merged.forEach((key, v) -> result.add(new PolicyRule(v, key.get(0), key.get(1), key.get(2), key.get(3))));
        result.addAll(unmerged);
        return result;
    }

    /** Upstream's CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}. */
    String compactString() {
        List<String> parts = new ArrayList<>();
        if (!apiGroups.isEmpty()) {
            parts.add("APIGroups:" + quoted(apiGroups));
        }
        if (!resources.isEmpty()) {
            parts.add("Resources:" + quoted(resources));
        }
        if (!nonResourceURLs.isEmpty()) {
            parts.add("NonResourceURLs:" + quoted(nonResourceURLs));
        }
        if (!resourceNames.isEmpty()) {
            parts.add("ResourceNames:" + quoted(resourceNames));
        }
        if (!verbs.isEmpty()) {
            parts.add("Verbs:" + quoted(verbs));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** Go's %q of a []string: ["a" "b"]. */
    static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(" ", "[", "]"));
    }
}
