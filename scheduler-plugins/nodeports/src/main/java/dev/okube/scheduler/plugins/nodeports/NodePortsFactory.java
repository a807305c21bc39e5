package dev.okube.scheduler.plugins.nodeports;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers NodePorts; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class NodePortsFactory implements PluginFactory {
    @Override
    public String name() {
        return NodePorts.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new NodePorts();
    }
}
