package dev.okube.scheduler.plugins.nodeunschedulable;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers NodeUnschedulable; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class NodeUnschedulableFactory implements PluginFactory {
    @Override
    public String name() {
        return NodeUnschedulable.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new NodeUnschedulable();
    }
}
