package dev.okube.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/** {@link VolumeWriter} through the process's fabric8 client (optimistic locking on resourceVersion). */
final class Fabric8VolumeWriter implements VolumeWriter {
    private final KubernetesClient client;

    Fabric8VolumeWriter(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public PersistentVolume updateVolume(PersistentVolume volume) {
        return client.persistentVolumes().resource(volume).update();
    }

    @Override
    public PersistentVolume updateVolumeStatus(PersistentVolume volume) {
        return client.persistentVolumes().resource(volume).updateStatus();
    }

    @Override
    public PersistentVolumeClaim updateClaim(PersistentVolumeClaim claim) {
        return client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(claim).update();
    }

    @Override
    public PersistentVolumeClaim updateClaimStatus(PersistentVolumeClaim claim) {
        return client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(claim).updateStatus();
    }
}
