package dev.okube.apiserver;

import dev.okube.apiserver.pki.ClusterPki;
import dev.okube.apiserver.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The admin kubeconfig that {@code kubectl --kubeconfig data/okube/admin.kubeconfig} uses: the server's
 * HTTPS URL, the cluster CA to verify it, and the admin client certificate ({@code O=system:masters}).
 */
final class Kubeconfig {
    static final String CLUSTER = "okube";
    static final String USER = "okube-admin";

    private Kubeconfig() {
    }

    static String admin(String serverUrl, String caPem, String clientCertPem, String clientKeyPem) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + CLUSTER + "\n"
                + "  cluster:\n"
                + "    server: " + serverUrl + "\n"
                + "    certificate-authority-data: " + base64(caPem) + "\n"
                + "users:\n"
                + "- name: " + USER + "\n"
                + "  user:\n"
                + "    client-certificate-data: " + base64(clientCertPem) + "\n"
                + "    client-key-data: " + base64(clientKeyPem) + "\n"
                + "contexts:\n"
                + "- name: " + USER + "@" + CLUSTER + "\n"
                + "  context:\n"
                + "    cluster: " + CLUSTER + "\n"
                + "    user: " + USER + "\n"
                + "current-context: " + USER + "@" + CLUSTER + "\n";
    }

    /** Writes atomically and readable by the owner only: it carries the admin's private key. */
    static void writeAdmin(Path file, String serverUrl, ClusterPki pki) throws IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        ClusterPki.writePrivate(file, admin(serverUrl, Pem.certificate(pki.ca().certificate()),
                Pem.certificate(pki.admin().certificate()), Pem.privateKey(pki.admin().key(), pki.admin().certificate().getPublicKey())));
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
