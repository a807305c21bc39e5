package dev.okube.api.resources;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import tools.jackson.databind.node.ObjectNode;

/**
 * A kind a bundle contributes to the API (for example {@code settings.k8s.io/v1alpha1 PodPreset},
 * served by the PodPreset admission plugin's bundle). Register it as a service: the apiserver serves
 * the resource, with discovery, while the service is registered, and stops serving it (keeping the
 * stored objects) when it goes away.
 */
@ConsumerType
public interface ResourceKind {
    /** The API group, not empty. */
    String group();

    /** The served version, e.g. "v1alpha1". */
    String version();

    /** The kind, e.g. "PodPreset". */
    String kind();

    /** The plural resource name, e.g. "podpresets". */
    String plural();

    /** Whether objects live in namespaces. */
    boolean namespaced();

    default List<String> shortNames() {
        return List.of();
    }

    /** Whether the kind has a {@code status} subresource. */
    default boolean hasStatus() {
        return false;
    }

    /** Sets defaults on an object being created or updated; changes it in place. */
    default void applyDefaults(ObjectNode object) {
    }

    /**
     * Validates an object being created or updated (the apiserver already checked its metadata).
     * Returns upstream-style field errors, e.g. {@code "spec.selector: Required value"}; empty when valid.
     */
    default List<String> validate(ObjectNode object) {
        return List.of();
    }
}
