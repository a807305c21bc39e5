package dev.okube.scheduler.plugins.coscheduling;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;

/**
 * Registers Coscheduling with the scheduler. It reads PodGroups through the scheduler's informers and
 * writes their status through the process's KubernetesClient, on one thread of its own.
 */
@Component(service = PluginFactory.class)
public final class CoschedulingFactory implements PluginFactory {
    private final KubernetesClient client;
    private final ExecutorService statusWrites = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "okube-coscheduling-status");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public CoschedulingFactory(@Reference KubernetesClient client) {
        this.client = client;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        statusWrites.shutdown();
        statusWrites.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return Coscheduling.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        CoschedulingArgs parsed = CoschedulingArgs.parse(args);
        return new Coscheduling(handle.lister(PodGroup.class), handle.lister(Pod.class), handle,
                new Fabric8PodGroupStatusWriter(client), statusWrites, parsed, Clock.systemUTC(), System::nanoTime);
    }
}
