package dev.okube.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Objects;

/** {@link Cluster} over the shared fabric8 client service. */
final class Fabric8Cluster implements Cluster {
    private static final PatchContext STRATEGIC_MERGE = PatchContext.of(PatchType.STRATEGIC_MERGE);

    private final KubernetesClient client;

    Fabric8Cluster(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void patchPodStatus(String namespace, String name, String strategicMergePatch) {
        // Through resource(item) rather than withName(name): fabric8 would GET the pod first to have an item.
        Pod item = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
        client.pods().inNamespace(namespace).resource(item).subresource("status").patch(STRATEGIC_MERGE, strategicMergePatch);
    }

    @Override
    public boolean deletePod(String namespace, String name) {
        // fabric8 answers a 404 with an empty list rather than an exception.
        return !client.resources(Pod.class).inNamespace(namespace).withName(name).delete().isEmpty();
    }
}
