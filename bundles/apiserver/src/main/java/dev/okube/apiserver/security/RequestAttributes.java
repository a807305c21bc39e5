package dev.okube.apiserver.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an HTTP request asks, for authorization, as upstream's RequestInfoFactory: parsed from the
 * path and method alone (no lookup of what is served), so a request for something that does not
 * exist is still authorized before it is answered 404 — nobody learns what exists without leave.
 *
 * @param resourceRequest whether the path names an API resource (else {@code path} is authorized)
 * @param verb            the Kubernetes verb: get, list, watch, create, update, patch, delete,
 *                        deletecollection; for non-resource requests the lower-case HTTP method
 * @param group           API group, "" for core
 * @param version         API version
 * @param resource        resource (plural)
 * @param subresource     subresource or ""
 * @param namespace       namespace or ""
 * @param name            object name or ""
 * @param path            the request path
 */
public record RequestAttributes(boolean resourceRequest, String verb, String group, String version, String resource,
        String subresource, String namespace, String name, String path) {

    /** Subresources of a namespace that follow its name directly: /namespaces/{ns}/status. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    public static RequestAttributes parse(String method, String path, boolean watchParam) {
        String lower = method.toLowerCase(Locale.ROOT);
        List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        String nonResourceVerb = lower.equals("head") ? "get" : lower;
        RequestAttributes nonResource = new RequestAttributes(false, nonResourceVerb, "", "", "", "", "", "", path);
        if (parts.isEmpty()) {
            return nonResource;
        }
        String group;
        String version;
        int skip;
        if (parts.get(0).equals("api")) {
            if (parts.size() < 3) {
                return nonResource; // /api and /api/v1 are discovery
            }
            group = "";
            version = parts.get(1);
            skip = 2;
        } else if (parts.get(0).equals("apis")) {
            if (parts.size() < 4) {
                return nonResource; // /apis, /apis/g and /apis/g/v are discovery
            }
            group = parts.get(1);
            version = parts.get(2);
            skip = 3;
        } else {
            return nonResource;
        }
        List<String> rest = new ArrayList<>(parts.subList(skip, parts.size()));
        String verb = switch (lower) {
            case "post" -> "create";
            case "get", "head" -> "get";
            case "put" -> "update";
            case "patch" -> "patch";
            case "delete" -> "delete";
            default -> lower;
        };
        boolean legacyWatch = false;
        if (rest.get(0).equals("watch")) {
            // The deprecated /watch/ path prefix.
            rest.remove(0);
            legacyWatch = true;
            if (rest.isEmpty()) {
                return nonResource;
            }
        }
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = new ArrayList<>(rest.subList(2, rest.size()));
            }
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        if (name.isEmpty() && verb.equals("get")) {
            verb = "list";
        }
        if (legacyWatch || (watchParam && (verb.equals("list") || verb.equals("get")))) {
            verb = "watch";
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RequestAttributes(true, verb, group, version, resource, subresource, namespace, name, path);
    }
}
