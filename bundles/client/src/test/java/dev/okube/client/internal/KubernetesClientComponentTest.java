package dev.okube.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesClientComponentTest {
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: okube
              cluster:
                server: https://127.0.0.1:6443
            users:
            - name: admin
              user:
                token: secret
            contexts:
            - name: admin@okube
              context:
                cluster: okube
                user: admin
            current-context: admin@okube
            """;

    KubernetesClient client;

    @Test
    void theKubeconfigIsReadAndTheSettingsApplied() {
        try (KubernetesClient built = KubernetesClientComponent.build(KUBECONFIG, config("", "", 2500, 1500))) {
            assertEquals("https://127.0.0.1:6443/", built.getConfiguration().getMasterUrl());
            assertEquals(2500, built.getConfiguration().getRequestTimeout());
            assertEquals(1500, built.getConfiguration().getConnectionTimeout());
            assertTrue(built.getConfiguration().isOnlyHttpWatches());
        }
    }

    @Test
    void theMasterUrlOverridesTheKubeconfigsServer() {
        try (KubernetesClient built = KubernetesClientComponent.build(KUBECONFIG,
                config("", "https://10.0.0.1:7443", 10_000, 10_000))) {
            assertEquals("https://10.0.0.1:7443/", built.getConfiguration().getMasterUrl());
        }
    }

    @Test
    void theDefaultKubeconfigIsTheOneTheApiserverWritesUnderKarafData() {
        String previous = System.setProperty("karaf.data", "/opt/okube/data");
        try {
            assertEquals(Path.of("/opt/okube/data/okube/admin.kubeconfig"),
                    KubernetesClientComponent.kubeconfig(config("", "", 1, 1)));
            assertEquals(Path.of("/etc/kube.conf"), KubernetesClientComponent.kubeconfig(config("/etc/kube.conf", "", 1, 1)));
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", previous);
            }
        }
    }

    @Test
    void consumersCannotCloseTheSharedClient() {
        KubernetesClient shared = KubernetesClientComponent.shared(client);
        shared.close();
        shared.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("still-open").endMetadata().build()).create();
        assertEquals(1, shared.configMaps().inNamespace("default").list().getItems().size());
        assertEquals(shared, shared);
        assertNotEquals(shared, client);
    }

    private static KubernetesClientComponent.Config config(String kubeconfig, String masterUrl, int requestTimeout,
            int connectionTimeout) {
        return new KubernetesClientComponent.Config() {
            @Override
            public String kubeconfig() {
                return kubeconfig;
            }

            @Override
            public String master_url() {
                return masterUrl;
            }

            @Override
            public int request_timeout_ms() {
                return requestTimeout;
            }

            @Override
            public int connection_timeout_ms() {
                return connectionTimeout;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return KubernetesClientComponent.Config.class;
            }
        };
    }
}
