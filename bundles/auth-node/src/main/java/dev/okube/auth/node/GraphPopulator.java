package dev.okube.auth.node;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the {@link NodeGraph} current from watches of pods, persistent volumes and (when served)
 * volume attachments, as upstream's graph populator does from informers.
 */
final class GraphPopulator implements AutoCloseable {
    static final ResourceType PODS = ResourceType.core("pods");
    static final ResourceType PVS = ResourceType.core("persistentvolumes");
    static final ResourceType VOLUME_ATTACHMENTS = ResourceType.of("storage.k8s.io", "volumeattachments");
    private static final Logger LOG = LoggerFactory.getLogger(GraphPopulator.class);

    private final List<AutoCloseable> watches = new ArrayList<>();

    GraphPopulator(ClusterResources resources, NodeGraph graph) {
        try {
            watch(resources, PODS, event -> {
                ObjectNode pod = event.object();
                if (event.type() == ResourceEvent.Type.DELETED) {
                    graph.removePod(namespace(pod), name(pod));
                } else {
                    graph.putPod(pod);
                }
            });
            watch(resources, PVS, event -> {
                if (event.type() == ResourceEvent.Type.DELETED) {
                    graph.removePv(name(event.object()));
                } else {
                    graph.putPv(event.object());
                }
            });
            watch(resources, VOLUME_ATTACHMENTS, event -> {
                if (event.type() == ResourceEvent.Type.DELETED) {
                    graph.removeAttachment(name(event.object()));
                } else {
                    graph.putAttachment(event.object());
                }
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void watch(ClusterResources resources, ResourceType type, Consumer<ResourceEvent> handler) {
        if (!resources.serves(type)) {
            LOG.info("{} are not served: the node authorizer does not follow them", type);
            return;
        }
        try {
            watches.add(resources.watch(type, event -> {
                try {
                    handler.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("node authorizer graph: could not take {} {}/{}", type, namespace(event.object()),
                            name(event.object()), e);
                }
            }));
        } catch (ResourceException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            LOG.info("{} are not served: the node authorizer does not follow them", type);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable watch : watches) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing a watch", e);
            }
        }
        watches.clear();
    }

    private static String namespace(ObjectNode o) {
        return o == null ? "" : o.path("metadata").path("namespace").asString("");
    }

    private static String name(ObjectNode o) {
        return o == null ? "" : o.path("metadata").path("name").asString("");
    }
}
