package dev.okube.api.authorization;

import dev.okube.api.admission.UserInfo;
import java.util.Objects;

/**
 * What is asked, as upstream's authorizer.Attributes: a resource request (verb on group/resource/
 * subresource/namespace/name) or a non-resource request (verb on a path such as {@code /healthz}).
 *
 * @param user            who asks
 * @param verb            get, list, watch, create, update, patch, delete, deletecollection, or another verb
 * @param resourceRequest whether this is a resource request (else {@code path} applies)
 * @param group           API group of the resource ("" for core)
 * @param version         API version, may be empty
 * @param resource        resource (plural), e.g. "pods"
 * @param subresource     subresource, e.g. "status", or ""
 * @param namespace       namespace, "" for cluster-scoped or all namespaces
 * @param name            object name, "" for collections
 * @param path            the URL path of a non-resource request
 */
public record AuthorizationRequest(UserInfo user, String verb, boolean resourceRequest, String group, String version,
        String resource, String subresource, String namespace, String name, String path) {
    public AuthorizationRequest {
        Objects.requireNonNull(user, "user should not be null");
        Objects.requireNonNull(verb, "verb should not be null");
    }
}
