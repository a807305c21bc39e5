package dev.okube.scheduler.plugins.volumebinding;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;

/** Registers VolumeBinding with the scheduler; it writes bindings through the process's KubernetesClient. */
@Component(service = PluginFactory.class)
public final class VolumeBindingFactory implements PluginFactory {
    /** Upstream's default VolumeBindingArgs.bindTimeoutSeconds. */
    static final long DEFAULT_BIND_TIMEOUT_SECONDS = 600;

    private final KubernetesClient client;

    @Activate
    public VolumeBindingFactory(@Reference KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return VolumeBinding.NAME;
    }

    @Override
    public Plugin create(JsonNode args, FrameworkHandle handle) {
        Duration timeout = bindTimeout(args);
        return new VolumeBinding(handle.lister(PersistentVolumeClaim.class), handle.lister(PersistentVolume.class),
                handle.lister(StorageClass.class), handle.lister(Node.class), new Fabric8VolumeWriter(client), timeout);
    }

    /**
     * VolumeBindingArgs (kubescheduler.config.k8s.io/v1): bindTimeoutSeconds (default 600, not negative) and
     * shape, which needs the StorageCapacityScoring feature that is off here, as upstream's default.
     */
    static Duration bindTimeout(JsonNode args) {
        long seconds = DEFAULT_BIND_TIMEOUT_SECONDS;
        if (args != null && !args.isNull() && !args.isMissingNode()) {
            if (!args.isObject()) {
                throw new IllegalArgumentException("VolumeBindingArgs: expected an object, got " + args);
            }
            JsonNode t = args.get("bindTimeoutSeconds");
            if (t != null && !t.isNull()) {
                if (!t.isIntegralNumber()) {
                    throw new IllegalArgumentException("bindTimeoutSeconds: Invalid value: " + t + ": must be an integer");
                }
                seconds = t.asLong();
                if (seconds < 0) {
                    throw new IllegalArgumentException("bindTimeoutSeconds: Invalid value: " + seconds
                            + ": invalid BindTimeoutSeconds, should not be a negative value");
                }
            }
            JsonNode shape = args.get("shape");
            if (shape != null && !shape.isNull() && !(shape.isArray() && shape.isEmpty())) {
                throw new IllegalArgumentException(
                        "shape: Invalid value: " + shape + ": unsupported field when StorageCapacityScoring is disabled");
            }
        }
        return Duration.ofSeconds(seconds);
    }
}
