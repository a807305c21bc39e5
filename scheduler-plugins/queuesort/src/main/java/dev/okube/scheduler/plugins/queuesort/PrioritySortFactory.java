package dev.okube.scheduler.plugins.queuesort;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers PrioritySort; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class PrioritySortFactory implements PluginFactory {
    @Override
    public String name() {
        return PrioritySort.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new PrioritySort();
    }
}
