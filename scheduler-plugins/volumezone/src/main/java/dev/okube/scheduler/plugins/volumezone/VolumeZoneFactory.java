package dev.okube.scheduler.plugins.volumezone;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers VolumeZone with the scheduler; it takes no args. */
@Component(service = PluginFactory.class)
public final class VolumeZoneFactory implements PluginFactory {
    @Override
    public String name() {
        return VolumeZone.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new VolumeZone(handle.lister(PersistentVolume.class), handle.lister(PersistentVolumeClaim.class),
                handle.lister(StorageClass.class));
    }
}
