package dev.okube.scheduler.plugins.defaultbinder;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;

/** Registers DefaultBinder once the cluster's KubernetesClient service is there; it takes no arguments. */
@Component(service = PluginFactory.class)
public final class DefaultBinderFactory implements PluginFactory {
    private final KubernetesClient client;

    @Activate
    public DefaultBinderFactory(@Reference KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return DefaultBinder.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new DefaultBinder(client);
    }
}
