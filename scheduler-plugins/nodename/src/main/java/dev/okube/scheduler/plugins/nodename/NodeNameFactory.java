package dev.okube.scheduler.plugins.nodename;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers NodeName; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class NodeNameFactory implements PluginFactory {
    @Override
    public String name() {
        return NodeName.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new NodeName();
    }
}
