package dev.okube.apiserver.rest;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.Authorizer.Verdict;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.okube.api.authorization.RuleSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The authorization.k8s.io review APIs, answered by the installed authorizer chain and never
 * stored: SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview
 * ({@code kubectl auth can-i}) and SelfSubjectRulesReview ({@code kubectl auth can-i --list}).
 */
final class AccessReviews {
    private final Function<AuthorizationRequest, Verdict> authorizer;
    private final BiFunction<UserInfo, String, RuleSet> rules;

    /**
     * @param authorizer the authorizer chain
     * @param rules      the chain's rules for a user in a namespace
     */
    AccessReviews(Function<AuthorizationRequest, Verdict> authorizer, BiFunction<UserInfo, String, RuleSet> rules) {
        this.authorizer = authorizer;
        this.rules = rules;
    }

    static boolean handles(ResourceDefinition def) {
        return def.group().equals("authorization.k8s.io");
    }

    ObjectNode review(ResourceDefinition def, String namespace, ObjectNode body, UserInfo requester) {
        ObjectNode review = body.deepCopy();
        review.put("apiVersion", def.apiVersion());
        review.put("kind", def.kind());
        ObjectNode spec = Json.objectAt(review, "spec");
        review.remove("status");
        ObjectNode status = review.putObject("status");
        switch (def.kind()) {
            case "SelfSubjectRulesReview" -> rules(spec, status, requester);
            case "SelfSubjectAccessReview" -> access(spec, status, requester, "");
            case "LocalSubjectAccessReview" -> {
                String ns = Json.text(spec, "resourceAttributes", "namespace");
                if (ns != null && !ns.isEmpty() && !ns.equals(namespace)) {
                    throw ApiException.badRequest("spec.resourceAttributes.namespace must match metadata.namespace");
                }
                Json.objectAt(review, "metadata").put("namespace", namespace);
                access(spec, status, subject(spec), namespace);
            }
            case "SubjectAccessReview" -> access(spec, status, subject(spec), "");
            default -> throw ApiException.methodNotAllowed();
        }
        return review;
    }

    private void access(ObjectNode spec, ObjectNode status, UserInfo user, String namespace) {
        JsonNode resource = Json.at(spec, "resourceAttributes");
        JsonNode nonResource = Json.at(spec, "nonResourceAttributes");
        if ((resource == null) == (nonResource == null)) {
            throw new ApiException(422, "Invalid", "exactly one of nonResourceAttributes or resourceAttributes must be "
                    + "specified");
        }
        AuthorizationRequest request = resource != null
                ? new AuthorizationRequest(user, text(resource, "verb"), true, text(resource, "group"),
                        text(resource, "version"), text(resource, "resource"), text(resource, "subresource"),
                        namespace.isEmpty() ? text(resource, "namespace") : namespace, text(resource, "name"), "")
                : new AuthorizationRequest(user, text(nonResource, "verb"), false, "", "", "", "", "", "",
                        text(nonResource, "path"));
        Verdict verdict = authorizer.apply(request);
        status.put("allowed", verdict.decision() == Decision.ALLOW);
        if (verdict.decision() == Decision.DENY) {
            status.put("denied", true);
        }
        if (!verdict.reason().isEmpty()) {
            status.put("reason", verdict.reason());
        }
    }

    private void rules(ObjectNode spec, ObjectNode status, UserInfo requester) {
        String namespace = Json.text(spec, "namespace");
        RuleSet set = rules.apply(requester, namespace == null ? "" : namespace);
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (RuleSet.ResourceRule r : set.resourceRules()) {
            ObjectNode rule = resourceRules.addObject();
            strings(rule, "verbs", r.verbs());
            strings(rule, "apiGroups", r.apiGroups());
            strings(rule, "resources", r.resources());
            if (!r.resourceNames().isEmpty()) {
                strings(rule, "resourceNames", r.resourceNames());
            }
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (RuleSet.NonResourceRule r : set.nonResourceRules()) {
            ObjectNode rule = nonResourceRules.addObject();
            strings(rule, "verbs", r.verbs());
            strings(rule, "nonResourceURLs", r.nonResourceURLs());
        }
        status.put("incomplete", set.incomplete());
        if (!set.evaluationError().isEmpty()) {
            status.put("evaluationError", set.evaluationError());
        }
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

    private static UserInfo subject(ObjectNode spec) {
        String user = Json.text(spec, "user");
        List<String> groups = new ArrayList<>();
        JsonNode g = Json.at(spec, "groups");
        if (g != null && g.isArray()) {
            g.forEach(n -> groups.add(n.asString()));
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        JsonNode e = Json.at(spec, "extra");
        if (e != null && e.isObject()) {
            for (Map.Entry<String, JsonNode> entry : e.properties()) {
                List<String> values = new ArrayList<>();
                entry.getValue().forEach(v -> values.add(v.asString()));
                extra.put(entry.getKey(), values);
            }
        }
        if ((user == null || user.isEmpty()) && groups.isEmpty()) {
            throw new ApiException(422, "Invalid", "at least one of user or group must be specified");
        }
        String uid = Json.text(spec, "uid");
        return new UserInfo(user == null ? "" : user, uid == null ? "" : uid, groups, extra);
    }

    private static String text(JsonNode node, String field) {
        String v = Json.text(node, field);
        return v == null ? "" : v;
    }
}
