package dev.okube.admission.serviceaccount;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Await;
import dev.okube.testkit.InMemoryClusterResources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class RootCaPublisherTest {
    private static final ResourceType NS = ResourceType.core("namespaces");
    private static final ResourceType CM = RootCaPublisher.CONFIG_MAPS;
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBdjCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAj\n-----END CERTIFICATE-----\n";
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    @TempDir
    Path pki;
    private RootCaPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
        }
    }

    private void namespace(String name, String phase) {
        cluster.put(NS, json("{'metadata':{'name':'" + name + "'},'status':{'phase':'" + phase + "'}}"));
    }

    private Path caFile() throws Exception {
        Path file = pki.resolve("ca.crt");
        Files.writeString(file, CA);
        return file;
    }

    private String published(String namespace) {
        return cluster.get(CM, namespace, "kube-root-ca.crt").map(cm -> cm.path("data").path("ca.crt").asString())
                .orElse(null);
    }

    @Test
    void everyActiveNamespaceGetsTheCa() throws Exception {
        namespace("default", "Active");
        namespace("leaving", "Terminating");
        publisher = new RootCaPublisher(cluster, caFile(), 0);
        namespace("team", "Active");
        Await.until("published", () -> CA.equals(published("default")) && CA.equals(published("team")));
        Await.until("idle", publisher::idle);
        assertEquals(null, published("leaving"));
        ObjectNode cm = cluster.get(CM, "team", "kube-root-ca.crt").orElseThrow();
        assertEquals(RootCaPublisher.DESCRIPTION,
                cm.path("metadata").path("annotations").path("kubernetes.io/description").asString());
        assertEquals(1, cm.path("data").size());
    }

    @Test
    void aDeletedConfigMapIsRecreated() throws Exception {
        namespace("team", "Active");
        publisher = new RootCaPublisher(cluster, caFile(), 0);
        Await.until("published", () -> CA.equals(published("team")));
        cluster.delete(CM, "team", "kube-root-ca.crt");
        Await.until("republished", () -> CA.equals(published("team")));
    }

    @Test
    void aChangedConfigMapIsPutBack() throws Exception {
        namespace("team", "Active");
        publisher = new RootCaPublisher(cluster, caFile(), 0);
        Await.until("published", () -> CA.equals(published("team")));
        ObjectNode tampered = cluster.get(CM, "team", "kube-root-ca.crt").orElseThrow().deepCopy();
        tampered.putObject("data").put("ca.crt", "forged").put("extra", "x");
        tampered.withObjectProperty("metadata").remove("annotations");
        cluster.update(CM, tampered);
        Await.until("restored", () -> CA.equals(published("team"))
                && cluster.get(CM, "team", "kube-root-ca.crt").get().path("data").size() == 1
                && cluster.get(CM, "team", "kube-root-ca.crt").get().path("metadata").path("annotations")
                        .has("kubernetes.io/description"));
    }

    @Test
    void withoutCaFileNothingIsPublishedUntilItAppears() throws Exception {
        namespace("team", "Active");
        Path file = pki.resolve("ca.crt");
        publisher = new RootCaPublisher(cluster, file, 0);
        Await.until("idle", publisher::idle);
        assertFalse(cluster.get(CM, "team", "kube-root-ca.crt").isPresent());
        Files.writeString(file, CA);
        publisher.recheckCa();
        Await.until("published once the file exists", () -> CA.equals(published("team")));
    }

    @Test
    void aRotatedCaIsPublishedEverywhere() throws Exception {
        namespace("a", "Active");
        namespace("b", "Active");
        Path file = caFile();
        publisher = new RootCaPublisher(cluster, file, 0);
        Await.until("published", () -> CA.equals(published("a")) && CA.equals(published("b")));
        String rotated = CA + CA;
        Files.writeString(file, rotated);
        publisher.recheckCa();
        Await.until("rotated", () -> rotated.equals(published("a")) && rotated.equals(published("b")));
    }

    @Test
    void theFileIsRecheckedPeriodically() throws Exception {
        namespace("team", "Active");
        Path file = pki.resolve("ca.crt");
        publisher = new RootCaPublisher(cluster, file, 1);
        Files.writeString(file, CA);
        Await.until("published by the periodic check", () -> CA.equals(published("team")));
    }
}
