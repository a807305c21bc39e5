package dev.okube.apiserver.rest;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.security.AuthenticatorChain;
import dev.okube.apiserver.security.Users;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The authentication.k8s.io review APIs, answered and never stored: TokenReview (does a token
 * authenticate, as whom, for which audiences) and SelfSubjectReview ({@code kubectl auth whoami}).
 */
final class AuthenticationReviews {
    private final AuthenticatorChain authenticators;

    AuthenticationReviews(AuthenticatorChain authenticators) {
        this.authenticators = authenticators;
    }

    static boolean handles(ResourceDefinition def) {
        return def.group().equals("authentication.k8s.io");
    }

    ObjectNode review(ResourceDefinition def, ObjectNode body, UserInfo requester) {
        ObjectNode review = body.deepCopy();
        review.put("apiVersion", def.apiVersion());
        review.put("kind", def.kind());
        Json.objectAt(review, "metadata");
        review.remove("status");
        ObjectNode status = review.putObject("status");
        switch (def.kind()) {
            case "TokenReview" -> tokenReview(Json.objectAt(review, "spec"), status);
            case "SelfSubjectReview" -> putUser(status.putObject("userInfo"), requester);
            default -> throw ApiException.methodNotAllowed();
        }
        return review;
    }

    private void tokenReview(ObjectNode spec, ObjectNode status) {
        String token = Json.text(spec, "token");
        if (token == null || token.isEmpty()) {
            throw ApiException.badRequest("token is required for TokenReview");
        }
        List<String> wanted = new ArrayList<>();
        JsonNode audiences = spec.get("audiences");
        if (audiences != null && audiences.isArray()) {
            audiences.forEach(a -> wanted.add(a.asString()));
        }
        AuthenticationResult result = authenticators.authenticate(new AuthenticationRequest(
                Map.of("authorization", List.of("Bearer " + token)), List.of(), ""));
        if (result.outcome() != Outcome.AUTHENTICATED || result.user().name().equals(Users.ANONYMOUS)) {
            status.put("authenticated", false);
            status.put("error", result.error().isEmpty() ? "invalid bearer token" : result.error());
            return;
        }
        // A credential naming audiences is valid only for those; one naming none (a static token, a
        // certificate) is valid for whatever audiences were asked, as upstream's audience-agnostic ones.
        List<String> granted = new ArrayList<>();
        if (result.audiences().isEmpty()) {
            granted.addAll(wanted);
        } else if (wanted.isEmpty()) {
            granted.addAll(result.audiences());
        } else {
            wanted.stream().filter(result.audiences()::contains).forEach(granted::add);
            if (granted.isEmpty()) {
                status.put("authenticated", false);
                status.put("error", "token audiences " + result.audiences() + " is invalid for the target audiences "
                        + wanted);
                return;
            }
        }
        status.put("authenticated", true);
        putUser(status.putObject("user"), result.user());
        ArrayNode a = status.putArray("audiences");
        granted.forEach(a::add);
    }

    private static void putUser(ObjectNode node, UserInfo user) {
        node.put("username", user.name());
        if (!user.uid().isEmpty()) {
            node.put("uid", user.uid());
        }
        ArrayNode groups = node.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = node.putObject("extra");
            user.extra().forEach((k, v) -> {
                ArrayNode values = extra.putArray(k);
                v.forEach(values::add);
            });
        }
    }
}
