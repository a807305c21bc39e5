package dev.okube.scheduler.plugins.defaultpreemption;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;

/** Registers DefaultPreemption; args are DefaultPreemptionArgs. Victims are deleted through the shared API client. */
@Component(service = PluginFactory.class)
public final class DefaultPreemptionFactory implements PluginFactory {
    private final Cluster cluster;

    @Activate
    public DefaultPreemptionFactory(@Reference KubernetesClient client) {
        this.cluster = new Fabric8Cluster(client);
    }

    @Override
    public String name() {
        return DefaultPreemption.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        return new DefaultPreemption(PreemptionArgs.parse(args), handle, cluster);
    }
}
