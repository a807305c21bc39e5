package dev.okube.scheduler.plugins.volumebinding;

import dev.okube.api.scheduler.testing.MapLister;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An apiserver stand-in: compare-and-set on resourceVersion, and the informers (listers) see every write at once. */
final class FakeWriter implements VolumeWriter {
    final MapLister<PersistentVolume> volumes;
    final MapLister<PersistentVolumeClaim> claims;
    final AtomicLong revision = new AtomicLong(100);
    final List<String> writes = new ArrayList<>();

    FakeWriter(MapLister<PersistentVolume> volumes, MapLister<PersistentVolumeClaim> claims) {
        this.volumes = volumes;
        this.claims = claims;
    }

    private void check(HasMetadata stored, HasMetadata update) {
        if (stored == null) {
            throw new IllegalStateException(update.getMetadata().getName() + " not found");
        }
        if (!stored.getMetadata().getResourceVersion().equals(update.getMetadata().getResourceVersion())) {
            throw new IllegalStateException("Operation cannot be fulfilled on " + update.getMetadata().getName()
                    + ": the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    @Override
    public synchronized PersistentVolume updateVolume(PersistentVolume volume) {
        PersistentVolume stored = volumes.get(null, volume.getMetadata().getName());
        check(stored, volume);
        PersistentVolume next = new PersistentVolumeBuilder(volume).withStatus(stored.getStatus()).editMetadata()
                .withResourceVersion(Long.toString(revision.incrementAndGet())).endMetadata().build();
        volumes.put(next);
        writes.add("pv " + volume.getMetadata().getName());
        return next;
    }

    @Override
    public synchronized PersistentVolume updateVolumeStatus(PersistentVolume volume) {
        PersistentVolume stored = volumes.get(null, volume.getMetadata().getName());
        check(stored, volume);
        PersistentVolume next = new PersistentVolumeBuilder(stored).withStatus(volume.getStatus()).editMetadata()
                .withResourceVersion(Long.toString(revision.incrementAndGet())).endMetadata().build();
        volumes.put(next);
        writes.add("pv/status " + volume.getMetadata().getName());
        return next;
    }

    @Override
    public synchronized PersistentVolumeClaim updateClaim(PersistentVolumeClaim claim) {
        PersistentVolumeClaim stored = claims.get(claim.getMetadata().getNamespace(), claim.getMetadata().getName());
        check(stored, claim);
        PersistentVolumeClaim next = new PersistentVolumeClaimBuilder(claim).withStatus(stored.getStatus()).editMetadata()
                .withResourceVersion(Long.toString(revision.incrementAndGet())).endMetadata().build();
        claims.put(next);
        writes.add("pvc " + claim.getMetadata().getName());
        return next;
    }

    @Override
    public synchronized PersistentVolumeClaim updateClaimStatus(PersistentVolumeClaim claim) {
        PersistentVolumeClaim stored = claims.get(claim.getMetadata().getNamespace(), claim.getMetadata().getName());
        check(stored, claim);
        PersistentVolumeClaim next = new PersistentVolumeClaimBuilder(stored).withStatus(claim.getStatus()).editMetadata()
                .withResourceVersion(Long.toString(revision.incrementAndGet())).endMetadata().build();
        claims.put(next);
        writes.add("pvc/status " + claim.getMetadata().getName());
        return next;
    }
}
