package dev.okube.scheduler.plugins.schedulinggates;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers SchedulingGates; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class SchedulingGatesFactory implements PluginFactory {
    @Override
    public String name() {
        return SchedulingGates.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new SchedulingGates();
    }
}
