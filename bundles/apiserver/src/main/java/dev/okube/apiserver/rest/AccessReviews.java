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
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The authorization.k8s.io review APIs, answered by the installed authorizer chain and never
 * stored: SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview
 * ({@code kubectl auth can-i}) and SelfSubjectRulesReview ({@code kubectl auth can-i --list}).
 */
final class AccessReviews {
    private final Function<AuthorizationRequest, Verdict> authorizer;
    private final BooleanSupplier rulesEnumerable;

    /**
     * @param authorizer      the authorizer chain
     * @param rulesEnumerable whether every rule is known (true only while no authorizer restricts anything)
     */
    AccessReviews(Function<AuthorizationRequest, Verdict> authorizer, BooleanSupplier rulesEnumerable) {
        this.authorizer = authorizer;
        this.rulesEnumerable = rulesEnumerable;
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
            case "SelfSubjectRulesReview" -> rules(spec, status);
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

    private void rules(ObjectNode spec, ObjectNode status) {
        if (rulesEnumerable.getAsBoolean()) {
            ObjectNode resource = status.putArray("resourceRules").addObject();
            resource.putArray("verbs").add("*");
            resource.putArray("apiGroups").add("*");
            resource.putArray("resources").add("*");
            ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
            nonResource.putArray("verbs").add("*");
            nonResource.putArray("nonResourceURLs").add("*");
            status.put("incomplete", false);
        } else {
            status.putArray("resourceRules");
            status.putArray("nonResourceRules");
            status.put("incomplete", true);
            status.put("evaluationError", "the installed authorizers cannot list their rules");
        }
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
