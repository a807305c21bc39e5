package dev.okube.scheduler.plugins.volumerestrictions;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers VolumeRestrictions with the scheduler; it takes no args. */
@Component(service = PluginFactory.class)
public final class VolumeRestrictionsFactory implements PluginFactory {
    @Override
    public String name() {
        return VolumeRestrictions.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new VolumeRestrictions(handle.lister(PersistentVolumeClaim.class));
    }
}
