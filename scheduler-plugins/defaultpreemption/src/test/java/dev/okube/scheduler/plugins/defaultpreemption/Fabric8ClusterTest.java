package dev.okube.scheduler.plugins.defaultpreemption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Preemption's writes through a real fabric8 client, against fabric8's mock server. */
class Fabric8ClusterTest {
    private static final String POD = "/api/v1/namespaces/default/pods/p1";

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void statusPatchIsAStrategicMergePatchOfTheStatusSubresource() throws Exception {
        server.expect().patch().withPath(POD + "/status").andReturn(200, new PodBuilder().withNewMetadata()
                .withName("p1").withNamespace("default").endMetadata().build()).once();
        String patch = "{\"status\":{\"nominatedNodeName\":null}}";
        new Fabric8Cluster(client).patchPodStatus("default", "p1", patch);
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("PATCH", request.getMethod());
        assertEquals(POD + "/status", request.getPath());
        assertTrue(request.getHeader("Content-Type").startsWith("application/strategic-merge-patch+json"),
                request.getHeader("Content-Type"));
        assertEquals(patch, request.getUtf8Body());
        assertEquals(1, server.getRequestCount(), "one PATCH, no GET before it");
    }

    @Test
    void deleteIsOneDeleteAndNotFoundIsFalse() throws Exception {
        server.expect().delete().withPath(POD).andReturn(200, new PodBuilder().withNewMetadata().withName("p1")
                .withNamespace("default").endMetadata().build()).once();
        server.expect().delete().withPath(POD).andReturn(404, new StatusBuilder().withStatus("Failure").withCode(404)
                .withReason("NotFound").build()).once();
        Fabric8Cluster cluster = new Fabric8Cluster(client);
        assertTrue(cluster.deletePod("default", "p1"));
        assertEquals("DELETE", server.takeRequest(1, TimeUnit.SECONDS).getMethod());
        assertFalse(cluster.deletePod("default", "p1"));
        assertEquals(2, server.getRequestCount(), "one DELETE each, no GET");
    }

    @Test
    void otherErrorsThrow() {
        server.expect().delete().withPath(POD).andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403)
                .withReason("Forbidden").withMessage("pods \"p1\" is forbidden").build()).once();
        server.expect().patch().withPath(POD + "/status").andReturn(409, new StatusBuilder().withStatus("Failure")
                .withCode(409).withReason("Conflict").build()).once();
        Fabric8Cluster cluster = new Fabric8Cluster(client);
        assertThrows(KubernetesClientException.class, () -> cluster.deletePod("default", "p1"));
        assertThrows(KubernetesClientException.class, () -> cluster.patchPodStatus("default", "p1", "{}"));
    }
}
