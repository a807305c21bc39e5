package dev.okube.scheduler.plugins.imagelocality;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers ImageLocality; it takes no arguments; it needs the handle for the snapshot's node count. */
@Component(service = PluginFactory.class)
public final class ImageLocalityFactory implements PluginFactory {
    @Override
    public String name() {
        return ImageLocality.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new ImageLocality(handle);
    }
}
