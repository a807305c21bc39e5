package dev.okube.scheduler.plugins.nodeaffinity;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers NodeAffinity; its arguments are NodeAffinityArgs ({"addedAffinity": {...}}). */
@Component(service = PluginFactory.class)
public final class NodeAffinityFactory implements PluginFactory {
    @Override
    public String name() {
        return NodeAffinity.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new NodeAffinity(NodeAffinityArgs.parse(args));
    }
}
