package dev.okube.scheduler.plugins.podtopologyspread;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers PodTopologySpread; its args are upstream's PodTopologySpreadArgs. */
@Component(service = PluginFactory.class)
public final class PodTopologySpreadFactory implements PluginFactory {
    @Override
    public String name() {
        return PodTopologySpread.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new PodTopologySpread(PodTopologySpreadArgs.parse(args), handle);
    }
}
