package dev.okube.api.resources;

import dev.okube.api.admission.UserInfo;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cluster's objects for plugins running inside the apiserver's Karaf. Reads come from the
 * apiserver's watch caches (no storage round trip); writes go through the apiserver's registry with
 * defaulting, validation and admission, as the user {@link #SYSTEM_USER}. Objects returned are
 * shared: never change them, {@code deepCopy()} first.
 */
@ProviderType
public interface ClusterResources {
    /** Who in-process writes act as: a member of system:masters, like upstream's loopback client. */
    UserInfo SYSTEM_USER = new UserInfo("system:apiserver", "", List.of("system:masters", "system:authenticated"),
            java.util.Map.of());

    /** Whether the resource is served right now (built-in, CRD, or contributed by a bundle). */
    boolean serves(ResourceType type);

    /** One object; {@code namespace} is "" for cluster-scoped resources. */
    Optional<ObjectNode> get(ResourceType type, String namespace, String name);

    /** Every object of a resource in a namespace, or in all namespaces when {@code namespace} is "". */
    List<ObjectNode> list(ResourceType type, String namespace);

    /**
     * Watches a resource in every namespace: first an ADDED event for each object that exists, then
     * every change, in order, on a thread of the subscription's own. Close the handle to stop.
     *
     * @throws ResourceException 404 when the resource is not served
     */
    AutoCloseable watch(ResourceType type, Consumer<ResourceEvent> handler);

    /** Creates an object (namespace from its metadata) and returns it as stored. */
    ObjectNode create(ResourceType type, ObjectNode object);

    /** Replaces an object; a metadata.resourceVersion, when present, must match (409 otherwise). */
    ObjectNode update(ResourceType type, ObjectNode object);

    /** Replaces an object's status subresource. */
    ObjectNode updateStatus(ResourceType type, ObjectNode object);

    /** Deletes an object. */
    void delete(ResourceType type, String namespace, String name);
}
