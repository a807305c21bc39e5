package dev.okube.scheduler.plugins.tainttoleration;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers TaintToleration; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class TaintTolerationFactory implements PluginFactory {
    @Override
    public String name() {
        return TaintToleration.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new TaintToleration();
    }
}
