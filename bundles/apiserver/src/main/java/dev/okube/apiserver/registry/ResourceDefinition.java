package dev.okube.apiserver.registry;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the generic registry needs to serve one resource: naming and discovery, scope,
 * subresources, storage layout and the per-kind strategy. One definition drives storage keys, REST
 * verbs, discovery and OpenAPI; no kind has CRUD code of its own.
 *
 * @param group       API group, "" for core
 * @param version     served (and stored) version
 * @param kind        the object kind, e.g. "Pod"
 * @param plural      the resource, e.g. "pods"
 * @param singular    e.g. "pod"
 * @param shortNames  e.g. ["po"]
 * @param categories  e.g. ["all"]
 * @param namespaced  namespace-scoped or cluster-scoped
 * @param subresources e.g. ["status", "binding"]
 * @param verbs       the REST verbs served, in discovery's vocabulary
 * @param strategy    defaulting, validation, status/spec handling, tables, field selectors
 */
public record ResourceDefinition(String group, String version, String kind, String plural, String singular,
        List<String> shortNames, List<String> categories, boolean namespaced, Set<String> subresources,
        List<String> verbs, ResourceStrategy strategy) {

    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceDefinition {
        Objects.requireNonNull(group, "group should not be null");
        Objects.requireNonNull(strategy, "strategy should not be null");
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = Set.copyOf(subresources);
        verbs = List.copyOf(verbs);
    }

    /** "v1" for core, "apps/v1" otherwise: the apiVersion objects carry. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    /** The storage key prefix of every object of this resource: {@code /registry/<group>/<resource>/}. */
    public String keyPrefix() {
        return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
    }

    /** The storage key prefix of the objects in one namespace, or of all objects when cluster-scoped. */
    public String keyPrefix(String namespace) {
        return namespaced && namespace != null && !namespace.isEmpty() ? keyPrefix() + namespace + "/" : keyPrefix();
    }

    public String key(String namespace, String name) {
        return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
    }

    /** The group-qualified resource as upstream names it in messages: "pods", "deployments.apps". */
    public String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }
}
