package dev.okube.api.resources;

import java.util.Objects;

/**
 * A resource, by API group ("" for core) and plural name, e.g. {@code ("", "pods")} or
 * {@code ("rbac.authorization.k8s.io", "clusterroles")}. The version is the one the apiserver
 * serves (stored objects are the same whatever the version asked).
 */
public record ResourceType(String group, String resource) {
    public ResourceType {
        Objects.requireNonNull(group, "group should not be null");
        Objects.requireNonNull(resource, "resource should not be null");
    }

    public static ResourceType of(String group, String resource) {
        return new ResourceType(group, resource);
    }

    public static ResourceType core(String resource) {
        return new ResourceType("", resource);
    }

    @Override
    public String toString() {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
