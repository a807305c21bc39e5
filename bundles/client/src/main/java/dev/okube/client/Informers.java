package dev.okube.client;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The process's shared informers: one fabric8 {@code SharedIndexInformer} per resource type, watching all
 * namespaces, shared by every bundle that asks for that type.
 *
 * <p>An informer is created and started on the first request for its type and runs until the client
 * bundle's {@code KubernetesClient} goes away (client bundle stopped, or its configuration or kubeconfig
 * changed); then the {@code Informers} service goes away with it and comes back with fresh informers.
 * Consumers cannot stop an informer: they add event handlers and read its cache, nothing else.
 *
 * <p>The service is bundle-scoped: each consumer bundle gets its own {@code Informers} object, and when the
 * bundle releases it (it stops, or its last component using it deactivates) every handler it added and did
 * not remove is removed. Components should still {@link HandlerRegistration#close() close} their
 * registrations when they deactivate, since a bundle can hold the service longer than one component.
 *
 * <p>An informer that cannot list or watch (apiserver not up yet, connection lost, 410 Gone) retries with
 * fabric8's exponential backoff for as long as it runs; {@link Informer#synced()} completes on the first
 * success.
 */
@ProviderType
public interface Informers {
    /**
     * The shared informer of a built-in or otherwise typed kind, e.g. {@code informer(Pod.class)}. The same
     * informer is returned to every caller of the process for the same class.
     *
     * @throws IllegalStateException when the service is being shut down
     */
    <T extends HasMetadata> Informer<T> informer(Class<T> type);

    /**
     * The shared informer of a kind without a Java class (a custom resource, e.g. {@code
     * scheduling.x-k8s.io/v1alpha1} {@code podgroups}), keyed by group, version and plural: contexts that
     * name the same resource share one informer. Typed and generic informers of the same resource are
     * separate watches.
     *
     * @throws IllegalStateException when the service is being shut down
     */
    Informer<GenericKubernetesResource> informer(ResourceDefinitionContext resource);
}
