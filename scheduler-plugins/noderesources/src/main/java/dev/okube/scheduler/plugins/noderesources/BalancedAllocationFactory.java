package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers NodeResourcesBalancedAllocation; args are NodeResourcesBalancedAllocationArgs. */
@Component(service = PluginFactory.class)
public final class BalancedAllocationFactory implements PluginFactory {
    @Override
    public String name() {
        return BalancedAllocation.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new BalancedAllocation(BalancedAllocation.parseArgs(args));
    }
}
