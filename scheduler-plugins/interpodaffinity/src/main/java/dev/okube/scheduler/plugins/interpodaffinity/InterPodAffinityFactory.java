package dev.okube.scheduler.plugins.interpodaffinity;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers InterPodAffinity; its args are upstream's InterPodAffinityArgs. */
@Component(service = PluginFactory.class)
public final class InterPodAffinityFactory implements PluginFactory {
    @Override
    public String name() {
        return InterPodAffinity.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new InterPodAffinity(InterPodAffinityArgs.parse(args), handle);
    }
}
