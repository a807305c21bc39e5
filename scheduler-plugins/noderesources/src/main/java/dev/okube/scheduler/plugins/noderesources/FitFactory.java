package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;

/** Registers NodeResourcesFit; args are NodeResourcesFitArgs. */
@Component(service = PluginFactory.class)
public final class FitFactory implements PluginFactory {
    @Override
    public String name() {
        return Fit.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new Fit(FitArgs.parse(args));
    }
}
