package dev.okube.apiserver.rest;

import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.Optional;

/**
 * What an API path names, as upstream's RequestInfoFactory: discovery, or a resource with its
 * namespace, name and subresource.
 *
 * @param group        API group ("" for core)
 * @param version      API version, "" for group discovery
 * @param definition   the resource, empty for discovery paths
 * @param namespace    namespace from the path, "" if none
 * @param name         object name, "" for collections
 * @param subresource  "", "status", "binding", ...
 */
public record RequestInfo(String group, String version, Optional<ResourceDefinition> definition, String namespace,
        String name, String subresource) {

    public boolean isDiscovery() {
        return definition.isEmpty();
    }

    /**
     * Parses {@code /api/v1/...} and {@code /apis/<group>/<version>/...}. Returns empty for paths that
     * are not API paths at all; throws NotFound for API paths naming nothing served.
     */
    public static Optional<RequestInfo> parse(String path, Registry registry) {
        String[] parts = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (parts.length == 0) {
            return Optional.empty();
        }
        String group;
        String version;
        int rest;
        if (parts[0].equals("api")) {
            group = "";
            version = parts.length > 1 ? parts[1] : "";
            rest = 2;
        } else if (parts[0].equals("apis")) {
            group = parts.length > 1 ? parts[1] : "";
            version = parts.length > 2 ? parts[2] : "";
            rest = 3;
        } else {
            return Optional.empty();
        }
        if (parts.length <= rest) {
            return Optional.of(new RequestInfo(group, version, Optional.empty(), "", "", ""));
        }
        int n = parts.length - rest;
        String[] p = java.util.Arrays.copyOfRange(parts, rest, parts.length);
        // /namespaces/<ns>/<resource>[/<name>[/<subresource>]] when <resource> is namespaced;
        // otherwise /namespaces is the cluster-scoped resource itself.
        if (p[0].equals("namespaces") && n >= 3) {
            Optional<ResourceDefinition> inNamespace = registry.find(group, version, p[2]).filter(ResourceDefinition::namespaced);
            if (inNamespace.isPresent()) {
                if (n > 5) {
                    throw ApiException.notFoundPath();
                }
                return Optional.of(new RequestInfo(group, version, inNamespace, p[1], n > 3 ? p[3] : "", n > 4 ? p[4] : ""));
            }
        }
        if (n > 3) {
            throw ApiException.notFoundPath();
        }
        ResourceDefinition def = registry.find(group, version, p[0]).orElseThrow(ApiException::notFoundPath);
        return Optional.of(new RequestInfo(group, version, Optional.of(def), "", n > 1 ? p[1] : "", n > 2 ? p[2] : ""));
    }
}
