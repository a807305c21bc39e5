package dev.okube.scheduler.plugins.coscheduling;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** {@link PodGroupStatusWriter} through the process's fabric8 client, with the typed PodGroup resource. */
final class Fabric8PodGroupStatusWriter implements PodGroupStatusWriter {
    private final KubernetesClient client;

    Fabric8PodGroupStatusWriter(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void updateStatus(String namespace, String name, UnaryOperator<PodGroup> change) {
        client.resources(PodGroup.class).inNamespace(namespace).withName(name).editStatus(change);
    }
}
