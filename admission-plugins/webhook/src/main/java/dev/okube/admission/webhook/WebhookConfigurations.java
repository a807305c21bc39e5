package dev.okube.admission.webhook;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The webhooks of every configuration of one kind, kept current by a watch. As upstream, the
 * configurations are ordered by name and each one's webhooks in their order; readers get an
 * immutable snapshot.
 */
final class WebhookConfigurations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurations.class);

    private final Map<String, List<Webhook>> byConfiguration = new TreeMap<>();
    private volatile List<Webhook> snapshot = List.of();
    private final AutoCloseable watch;
    private final CelEnvironment cel;

    WebhookConfigurations(ClusterResources resources, ResourceType type, CelEnvironment cel) {
        this.cel = cel;
        this.watch = resources.watch(type, this::onEvent);
    }

    List<Webhook> webhooks() {
        return snapshot;
    }

    private synchronized void onEvent(ResourceEvent event) {
        JsonNode object = event.object();
        String name = object.path("metadata").path("name").asString("");
        if (event.type() == ResourceEvent.Type.DELETED) {
            byConfiguration.remove(name);
        } else {
            byConfiguration.put(name, Webhook.of(object, cel));
        }
        List<Webhook> all = new ArrayList<>();
        byConfiguration.values().forEach(all::addAll);
        snapshot = List.copyOf(all);
        LOG.debug("{} {}: {} webhooks in effect", event.type(), name, all.size());
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (Exception e) {
            LOG.warn("closing the watch of webhook configurations failed", e);
        }
    }
}
