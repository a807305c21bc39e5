package dev.okube.scheduler.plugins.defaultbinder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream's TestDefaultBinder (defaultbinder): a successful bind POSTs exactly one Binding to the pod's
 * binding subresource, and a failed one returns an Error status. Against fabric8's mock server, through
 * a real fabric8 client.
 */
class DefaultBinderTest {
    private static final String PATH = "/api/v1/namespaces/ns/pods/foo/binding";

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

    static Pod pod() {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("foo").withUid("foo-uid").endMetadata()
                .withNewSpec().endSpec().build();
    }

    @Test
    void bindPostsOneBindingToThePodsBindingSubresource() throws Exception {
        server.expect().post().withPath(PATH).andReturn(201, new StatusBuilder().withStatus("Success").withCode(201).build())
                .once();
        Status status = new DefaultBinder(client).bind(new CycleState(), pod(), "foohost.kubernetes.mydomain.com");
        assertEquals(Status.SUCCESS, status);

        assertEquals(1, server.getRequestCount(), "a bind is one request: no GET before the POST");
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals(PATH, request.getPath());
        Binding sent = client.getKubernetesSerialization().unmarshal(request.getUtf8Body(), Binding.class);
        assertEquals("v1", sent.getApiVersion());
        assertEquals("Binding", sent.getKind());
        assertEquals("ns", sent.getMetadata().getNamespace());
        assertEquals("foo", sent.getMetadata().getName());
        assertEquals("foo-uid", sent.getMetadata().getUid());
        assertEquals("Node", sent.getTarget().getKind());
        assertEquals("foohost.kubernetes.mydomain.com", sent.getTarget().getName());
    }

    @Test
    void aRejectedBindIsAnError() {
        server.expect().post().withPath(PATH).andReturn(409, new StatusBuilder().withStatus("Failure").withCode(409)
                .withReason("Conflict").withMessage("pod foo is already assigned to node \"other\"").build()).once();
        Status status = new DefaultBinder(client).bind(new CycleState(), pod(), "foohost");
        assertEquals(Status.Code.ERROR, status.code());
        assertTrue(status.message().contains("already assigned"), status.message());
    }

    @Test
    void aMissingPodIsAnError() {
        server.expect().post().withPath(PATH).andReturn(404, new StatusBuilder().withStatus("Failure").withCode(404)
                .withReason("NotFound").withMessage("pods \"foo\" not found").build()).once();
        Status status = new DefaultBinder(client).bind(new CycleState(), pod(), "foohost");
        assertEquals(Status.Code.ERROR, status.code());
        assertTrue(status.message().contains("not found"), status.message());
    }

    @Test
    void factoryCreatesDefaultBinder() {
        DefaultBinderFactory factory = new DefaultBinderFactory(client);
        assertEquals("DefaultBinder", factory.name());
        assertEquals("DefaultBinder", factory.create(null, null).name());
    }
}
