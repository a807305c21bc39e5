package dev.okube.apiserver.pki;

import dev.okube.apiserver.pki.Certificates.Issuer;
import dev.okube.apiserver.pki.Certificates.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The cluster CA and the certificates signed by it, kept under {@code <data dir>/pki}. {@link #ensure} creates
 * what is absent and renews what no longer fits; everything it does is listed in {@link #changes()}.
 *
 * @param ca      the cluster CA (certificate and key)
 * @param serving the apiserver's serving certificate and key (issued by {@code ca})
 * @param admin   the admin client certificate ({@code CN=kubernetes-admin, O=system:masters}) and key
 * @param changes what this boot generated, e.g. "generated the cluster CA", for the log
 */
public record ClusterPki(Issuer ca, Issuer serving, Issuer admin, List<String> changes) {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String SERVING_CERT = "apiserver.crt";
    public static final String SERVING_KEY = "apiserver.key";
    public static final String ADMIN_CERT = "admin.crt";
    public static final String ADMIN_KEY = "admin.key";
    public static final String ADMIN_USER = "kubernetes-admin";
    public static final String MASTERS_GROUP = "system:masters";

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** A leaf this close to its end is renewed at boot. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    public ClusterPki {
        changes = List.copyOf(changes);
    }

    /**
     * Loads the PKI under {@code dir}, generating what is missing: the CA when {@code ca.crt} is absent
     * (then every leaf too, since the old ones were signed by another CA), the serving certificate when it
     * is absent, not signed by the CA, lacks one of {@code requiredSans} or ends within 30 days, and the
     * admin certificate on the same terms (without SANs).
     *
     * @param requiredSans what the serving certificate must cover; null when the user provides the serving
     *                     certificate (tls.cert.file), so none is generated and {@link #serving()} is null
     *
     * @throws IllegalStateException when the files exist but are unusable (a CA certificate without its
     *                               key, a key that does not match its certificate, unreadable PEM)
     */
    public static ClusterPki ensure(Path dir, SubjectAlternativeNames requiredSans, Clock clock) throws IOException {
        Files.createDirectories(dir);
        Instant now = clock.instant();
        List<String> changes = new ArrayList<>();

        Issuer ca = loadCa(dir);
        if (ca == null) {
            KeyPair keys = Certificates.newKeyPair();
            X509Certificate cert = Certificates.selfSignedCa(keys, "okube-ca", now, CA_VALIDITY);
            ca = new Issuer(cert, keys.getPrivate());
            // The key first: ca.crt is the marker that the pair is complete.
            writeAtomically(dir.resolve(CA_KEY), Pem.privateKey(keys.getPrivate(), keys.getPublic()), OWNER_ONLY);
            writeAtomically(dir.resolve(CA_CERT), Pem.certificate(cert), WORLD_READABLE);
            changes.add("generated the cluster CA " + cert.getSubjectX500Principal().getName());
        }

        Issuer serving = requiredSans == null ? null : loadLeaf(dir, SERVING_CERT, SERVING_KEY);
        String servingProblem = requiredSans == null ? null : problem(serving, ca, now, requiredSans);
        if (servingProblem != null) {
            serving = issueLeaf(dir, SERVING_CERT, SERVING_KEY, ca, "kube-apiserver", List.of(), requiredSans,
                    Usage.SERVER, now);
            changes.add("generated the serving certificate (" + servingProblem + ") for " + requiredSans);
        }

        Issuer admin = loadLeaf(dir, ADMIN_CERT, ADMIN_KEY);
        String adminProblem = problem(admin, ca, now, null);
        if (adminProblem != null) {
            admin = issueLeaf(dir, ADMIN_CERT, ADMIN_KEY, ca, ADMIN_USER, List.of(MASTERS_GROUP), null, Usage.CLIENT, now);
            changes.add("generated the admin client certificate (" + adminProblem + ")");
        }
        return new ClusterPki(ca, serving, admin, changes);
    }

    private static Issuer loadCa(Path dir) throws IOException {
        Path cert = dir.resolve(CA_CERT);
        Path key = dir.resolve(CA_KEY);
        if (!Files.exists(cert)) {
            return null; // a lone ca.key is a first boot interrupted between the two writes
        }
        if (!Files.exists(key)) {
            throw new IllegalStateException(cert + " exists without its key " + key
                    + "; restore the key, or remove both to create a new cluster CA (every issued credential changes)");
        }
        Issuer ca = new Issuer(Pem.readCertificates(cert).get(0), Pem.readPrivateKey(key));
        if (!Pem.matches(ca.key(), ca.certificate())) {
            throw new IllegalStateException(key + " is not the key of " + cert);
        }
        if (ca.certificate().getBasicConstraints() < 0) {
            throw new IllegalStateException(cert + " is not a CA certificate (basicConstraints CA:FALSE)");
        }
        return ca;
    }

    private static Issuer loadLeaf(Path dir, String certFile, String keyFile) throws IOException {
        Path cert = dir.resolve(certFile);
        Path key = dir.resolve(keyFile);
        if (!Files.exists(cert) || !Files.exists(key)) {
            return null;
        }
        try {
            return new Issuer(Pem.readCertificates(cert).get(0), Pem.readPrivateKey(key));
        } catch (IllegalArgumentException unreadable) {
            return new Issuer(null, null); // renewed below, with the reason
        }
    }

    /** Why a leaf must be (re)issued, or null when it is fine. */
    static String problem(Issuer leaf, Issuer ca, Instant now, SubjectAlternativeNames requiredSans) {
        if (leaf == null) {
            return "absent";
        }
        if (leaf.certificate() == null) {
            return "unreadable";
        }
        X509Certificate cert = leaf.certificate();
        if (!Pem.matches(leaf.key(), cert)) {
            return "key does not match";
        }
        try {
            cert.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return "not signed by the cluster CA";
        }
        if (cert.getNotBefore().toInstant().isAfter(now)) {
            return "not valid yet";
        }
        if (cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "expires " + cert.getNotAfter().toInstant();
        }
        if (requiredSans != null) {
            SubjectAlternativeNames missing = SubjectAlternativeNames.of(cert).missing(requiredSans);
            if (!missing.isEmpty()) {
                return "lacks " + missing;
            }
        }
        return null;
    }

    private static Issuer issueLeaf(Path dir, String certFile, String keyFile, Issuer ca, String cn, List<String> orgs,
            SubjectAlternativeNames sans, Usage usage, Instant now) throws IOException {
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate cert = Certificates.issue(ca, keys.getPublic(), cn, orgs, sans, usage, now, LEAF_VALIDITY);
        writeAtomically(dir.resolve(keyFile), Pem.privateKey(keys.getPrivate(), keys.getPublic()), OWNER_ONLY);
        writeAtomically(dir.resolve(certFile), Pem.certificate(cert), WORLD_READABLE);
        return new Issuer(cert, keys.getPrivate());
    }

    /**
     * Writes a file so that readers see the old content or the new one, never a part: a temporary file in
     * the same directory, created with its final permissions (a key is never readable by others, not even
     * for a moment), then renamed over the target.
     */
    public static void writeAtomically(Path file, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(permissions);
            Files.createFile(tmp, attr);
            Files.setPosixFilePermissions(tmp, permissions); // the umask may have narrowed "rw-r--r--"
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp); // Windows: the data directory's ACL applies
        } catch (FileAlreadyExistsException raced) {
            throw new IOException("another process is writing " + file, raced);
        }
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes an owner-only file atomically (credentials: keys, the admin kubeconfig). */
    public static void writePrivate(Path file, String content) throws IOException {
        writeAtomically(file, content, OWNER_ONLY);
    }
}
