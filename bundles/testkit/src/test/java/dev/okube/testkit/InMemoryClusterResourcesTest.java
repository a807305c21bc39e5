package dev.okube.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The in-memory ClusterResources keeps the contract plugins' unit tests rely on. */
class InMemoryClusterResourcesTest {
    private static final ResourceType CONFIGMAPS = ResourceType.core("configmaps");
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();

    @Test
    void writesAssignVersionsAndStaleUpdatesConflict() {
        ObjectNode created = cluster.create(CONFIGMAPS, Admission.json("{'metadata':{'name':'a','namespace':'ns'}}"));
        assertTrue(cluster.serves(CONFIGMAPS));
        assertFalse(created.path("metadata").path("uid").asString().isEmpty());
        ObjectNode updated = cluster.update(CONFIGMAPS, created);
        assertEquals(Long.parseLong(created.path("metadata").path("resourceVersion").asString()) + 1,
                Long.parseLong(updated.path("metadata").path("resourceVersion").asString()));
        assertTrue(assertThrows(ResourceException.class, () -> cluster.update(CONFIGMAPS, created)).isConflict());
        assertEquals("AlreadyExists", assertThrows(ResourceException.class, () -> cluster.create(CONFIGMAPS,
                Admission.json("{'metadata':{'name':'a','namespace':'ns'}}"))).reason());
        assertEquals(1, cluster.list(CONFIGMAPS, "ns").size());
        assertEquals(0, cluster.list(CONFIGMAPS, "other").size());
        cluster.delete(CONFIGMAPS, "ns", "a");
        assertTrue(cluster.get(CONFIGMAPS, "ns", "a").isEmpty());
        assertTrue(assertThrows(ResourceException.class, () -> cluster.delete(CONFIGMAPS, "ns", "a")).isNotFound());
    }

    @Test
    void watchersSeeWhatExistsThenEveryChangeUntilClosed() throws Exception {
        cluster.create(CONFIGMAPS, Admission.json("{'metadata':{'name':'before','namespace':'ns'}}"));
        List<ResourceEvent.Type> seen = new ArrayList<>();
        AutoCloseable watch = cluster.watch(CONFIGMAPS, e -> seen.add(e.type()));
        ObjectNode after = cluster.create(CONFIGMAPS, Admission.json("{'metadata':{'name':'after','namespace':'ns'}}"));
        cluster.update(CONFIGMAPS, after);
        cluster.delete(CONFIGMAPS, "ns", "after");
        watch.close();
        cluster.delete(CONFIGMAPS, "ns", "before");
        assertEquals(List.of(ResourceEvent.Type.ADDED, ResourceEvent.Type.ADDED, ResourceEvent.Type.MODIFIED,
                ResourceEvent.Type.DELETED), seen);
    }

    @Test
    void admissionRequestsCarryTheObjectsNamespaceAndName() {
        var request = Admission.create("pods", "Pod", Admission.json("{'metadata':{'name':'p','namespace':'ns'}}"));
        assertEquals("ns", request.namespace());
        assertEquals("p", request.name());
        assertEquals(Admission.ADMIN, request.user());
    }
}
