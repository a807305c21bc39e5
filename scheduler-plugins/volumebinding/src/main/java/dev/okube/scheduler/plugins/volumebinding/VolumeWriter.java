package dev.okube.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

/**
 * The writes of volume binding, as compare-and-set updates (the objects carry the resourceVersion they
 * were read at; a stale one fails). Each returns the object as stored. Failures throw.
 */
public interface VolumeWriter {
    PersistentVolume updateVolume(PersistentVolume volume);

    PersistentVolume updateVolumeStatus(PersistentVolume volume);

    PersistentVolumeClaim updateClaim(PersistentVolumeClaim claim);

    PersistentVolumeClaim updateClaimStatus(PersistentVolumeClaim claim);
}
