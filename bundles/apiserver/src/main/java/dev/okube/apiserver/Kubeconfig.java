package dev.okube.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The admin kubeconfig that {@code kubectl --kubeconfig data/okube/admin.kubeconfig} uses. */
final class Kubeconfig {
    static final String CLUSTER = "okube";
    static final String USER = "okube-admin";

    private Kubeconfig() {
    }

    static String admin(String serverUrl) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + CLUSTER + "\n"
                + "  cluster:\n"
                + "    server: " + serverUrl + "\n"
                + "users:\n"
                + "- name: " + USER + "\n"
                + "  user: {}\n"
                + "contexts:\n"
                + "- name: " + USER + "@" + CLUSTER + "\n"
                + "  context:\n"
                + "    cluster: " + CLUSTER + "\n"
                + "    user: " + USER + "\n"
                + "current-context: " + USER + "@" + CLUSTER + "\n";
    }

    /** Writes atomically and readable by the owner only: it will carry admin credentials. */
    static void writeAdmin(Path file, String serverUrl) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, admin(serverUrl));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's ACL applies.
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
