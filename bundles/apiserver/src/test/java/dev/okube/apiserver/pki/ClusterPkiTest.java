package dev.okube.apiserver.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final SubjectAlternativeNames SANS = SubjectAlternativeNames.forApiServer("node-1",
            List.of(SubjectAlternativeNames.literal("192.0.2.7")), "127.0.0.1", "api.example.com");

    @TempDir
    Path dir;

    @Test
    void firstBootWritesACaAndLeavesThatVerifyAgainstIt() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir, SANS, CLOCK);

        assertEquals(3, pki.changes().size(), pki.changes().toString());
        for (String f : List.of("ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "admin.crt", "admin.key")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        for (String key : List.of("ca.key", "apiserver.key", "admin.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))), key);
            assertTrue(Files.readString(dir.resolve(key)).startsWith("-----BEGIN EC PRIVATE KEY-----\n"), key);
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.crt"))));
        assertFalse(Files.exists(dir.resolve("sa.key")), "the service-account key belongs to another bundle");
        try (var files = Files.list(dir)) {
            assertEquals(6, files.count(), "no temporary files left behind");
        }

        X509Certificate ca = Pem.readCertificates(dir.resolve("ca.crt")).get(0);
        assertEquals(ca, pki.ca().certificate());
        assertEquals(0, ca.getBasicConstraints(), "a CA that signs leaves only");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
        assertEquals(NOW.plus(Duration.ofDays(3650)), ca.getNotAfter().toInstant());
        assertTrue(ca.getNotBefore().toInstant().isBefore(NOW), "backdated for clock skew");

        X509Certificate serving = Pem.readCertificates(dir.resolve("apiserver.crt")).get(0);
        validate(serving, ca);
        assertEquals(-1, serving.getBasicConstraints());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), serving.getExtendedKeyUsage(), "serverAuth");
        assertEquals("kube-apiserver", Certificates.commonName(serving.getSubjectX500Principal()));
        assertTrue(Pem.matches(Pem.readPrivateKey(dir.resolve("apiserver.key")), serving));

        X509Certificate admin = Pem.readCertificates(dir.resolve("admin.crt")).get(0);
        validate(admin, ca);
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), admin.getExtendedKeyUsage(), "clientAuth");
        assertEquals(List.of("O=system:masters", "CN=kubernetes-admin"), rdns(admin));
        assertTrue(Pem.matches(Pem.readPrivateKey(dir.resolve("admin.key")), admin));
        assertFalse(Pem.matches(Pem.readPrivateKey(dir.resolve("admin.key")), serving));
        assertEquals(NOW.plus(Duration.ofDays(365)), admin.getNotAfter().toInstant());
    }

    @Test
    void theServingCertificateCarriesEveryName() throws Exception {
        X509Certificate serving = ClusterPki.ensure(dir, SANS, CLOCK).serving().certificate();
        SubjectAlternativeNames sans = SubjectAlternativeNames.of(serving);
        assertEquals(Set.of("localhost", "node-1", "api.example.com", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"), sans.dnsNames());
        assertEquals(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"),
                InetAddress.getByName("192.0.2.7")), sans.ipAddresses());
        assertTrue(sans.missing(SANS).isEmpty());
    }

    @Test
    void wildcardBindAddressesAddNoName() {
        SubjectAlternativeNames sans = SubjectAlternativeNames.forApiServer("", List.of(), "0.0.0.0", "::", "[fd00::5]");
        assertEquals(Set.of(SubjectAlternativeNames.literal("127.0.0.1"), SubjectAlternativeNames.literal("::1"),
                SubjectAlternativeNames.literal("fd00::5")), sans.ipAddresses());
        assertFalse(sans.dnsNames().contains("0.0.0.0"));
    }

    @Test
    void laterBootsReuseEverything() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, SANS, CLOCK);
        String caPem = Files.readString(dir.resolve("ca.crt"));
        ClusterPki second = ClusterPki.ensure(dir, SANS, Clock.offset(CLOCK, Duration.ofDays(100)));
        assertEquals(List.of(), second.changes());
        assertEquals(first.ca().certificate(), second.ca().certificate());
        assertEquals(first.serving().certificate(), second.serving().certificate());
        assertEquals(first.admin().certificate(), second.admin().certificate());
        assertEquals(caPem, Files.readString(dir.resolve("ca.crt")));
    }

    @Test
    void aNewAddressRenewsOnlyTheServingCertificate() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, SANS, CLOCK);
        SubjectAlternativeNames moved = SubjectAlternativeNames.forApiServer("node-1",
                List.of(SubjectAlternativeNames.literal("192.0.2.7")), "10.0.0.9", "api.example.com");
        ClusterPki second = ClusterPki.ensure(dir, moved, CLOCK);

        assertEquals(1, second.changes().size(), second.changes().toString());
        assertTrue(second.changes().get(0).contains("lacks DNS [], IP [10.0.0.9]"), second.changes().get(0));
        assertEquals(first.ca().certificate(), second.ca().certificate());
        assertEquals(first.admin().certificate(), second.admin().certificate());
        assertNotEquals(first.serving().certificate(), second.serving().certificate());
        assertTrue(SubjectAlternativeNames.of(second.serving().certificate()).ipAddresses()
                .contains(SubjectAlternativeNames.literal("10.0.0.9")));
        validate(second.serving().certificate(), first.ca().certificate());
    }

    @Test
    void leavesAreRenewedWithinThirtyDaysOfTheirEnd() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, SANS, CLOCK);
        ClusterPki at334 = ClusterPki.ensure(dir, SANS, Clock.offset(CLOCK, Duration.ofDays(334)));
        assertEquals(List.of(), at334.changes());
        Clock at336 = Clock.offset(CLOCK, Duration.ofDays(336));
        ClusterPki renewed = ClusterPki.ensure(dir, SANS, at336);
        assertEquals(2, renewed.changes().size(), renewed.changes().toString());
        assertEquals(first.ca().certificate(), renewed.ca().certificate());
        assertEquals(at336.instant().plus(Duration.ofDays(365)), renewed.admin().certificate().getNotAfter().toInstant());
        assertEquals(renewed.serving().certificate(), Pem.readCertificates(dir.resolve("apiserver.crt")).get(0));
    }

    @Test
    void aLeafNeverOutlivesItsCa() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, SANS, CLOCK);
        Clock late = Clock.offset(CLOCK, Duration.ofDays(3600));
        ClusterPki renewed = ClusterPki.ensure(dir, SANS, late);
        assertEquals(first.ca().certificate().getNotAfter(), renewed.serving().certificate().getNotAfter());
    }

    @Test
    void leavesOfAnotherCaAreReplaced() throws Exception {
        ClusterPki.ensure(dir, SANS, CLOCK);
        Files.delete(dir.resolve("ca.crt"));
        Files.delete(dir.resolve("ca.key"));
        ClusterPki second = ClusterPki.ensure(dir, SANS, CLOCK);
        assertEquals(3, second.changes().size(), second.changes().toString());
        assertTrue(second.changes().get(1).contains("not signed by the cluster CA"), second.changes().get(1));
        validate(second.admin().certificate(), second.ca().certificate());
    }

    @Test
    void aFirstBootInterruptedAfterTheCaKeyStartsOver() throws Exception {
        Files.writeString(dir.resolve("ca.key"), "half written");
        ClusterPki pki = ClusterPki.ensure(dir, SANS, CLOCK);
        assertTrue(Pem.matches(Pem.readPrivateKey(dir.resolve("ca.key")), pki.ca().certificate()));
    }

    @Test
    void aCaCertificateWithoutItsKeyIsAClearError() throws Exception {
        ClusterPki.ensure(dir, SANS, CLOCK);
        Files.delete(dir.resolve("ca.key"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusterPki.ensure(dir, SANS, CLOCK));
        assertTrue(e.getMessage().contains("ca.crt exists without its key"), e.getMessage());
    }

    @Test
    void aMismatchedLeafKeyIsRenewed() throws Exception {
        ClusterPki first = ClusterPki.ensure(dir, SANS, CLOCK);
        Files.copy(dir.resolve("admin.key"), dir.resolve("apiserver.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ClusterPki second = ClusterPki.ensure(dir, SANS, CLOCK);
        assertEquals(1, second.changes().size());
        assertTrue(second.changes().get(0).contains("key does not match"));
        assertNotEquals(first.serving().certificate(), second.serving().certificate());
    }

    @Test
    void aUserServingCertificateMeansNoneIsGenerated() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir, null, CLOCK);
        assertEquals(null, pki.serving());
        assertFalse(Files.exists(dir.resolve("apiserver.crt")));
        assertTrue(Files.exists(dir.resolve("admin.crt")));
    }

    @Test
    void aRegisteredBouncyCastleProviderDoesNotChangeTheKeys() throws Exception {
        // Karaf registers BouncyCastle's provider (its ssh feature), whose EC keys call themselves "ECDSA".
        java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        try {
            ClusterPki first = ClusterPki.ensure(dir, SANS, CLOCK);
            ClusterPki second = ClusterPki.ensure(dir, SANS, CLOCK);
            assertEquals(List.of(), second.changes());
            assertEquals("EC", second.ca().key().getAlgorithm());
            assertEquals(first.admin().certificate(), second.admin().certificate());
        } finally {
            java.security.Security.removeProvider("BC");
        }
    }

    @Test
    void otherFilesInThePkiDirectoryAreLeftAlone() throws Exception {
        Files.writeString(dir.resolve("sa.key"), "owned by the service-account bundle");
        ClusterPki.ensure(dir, SANS, CLOCK);
        ClusterPki.ensure(dir, SANS, Clock.offset(CLOCK, Duration.ofDays(400)));
        assertEquals("owned by the service-account bundle", Files.readString(dir.resolve("sa.key")));
    }

    @Test
    void pemReadsTheCommonPrivateKeyEncodings() throws Exception {
        // Fixtures made with openssl: "EC PRIVATE KEY" (SEC 1) and "RSA PRIVATE KEY" (PKCS#1), each with a certificate.
        for (String name : List.of("openssl-ec", "openssl-rsa")) {
            String key = resource(name + ".key");
            X509Certificate cert = Pem.parseCertificates(resource(name + ".crt"), name).get(0);
            assertTrue(Pem.matches(Pem.parsePrivateKey(key, name), cert), name);
        }
        var keys = Certificates.newKeyPair();
        var ca = Certificates.selfSignedCa(keys, "t", NOW, Duration.ofDays(1));
        String sec1 = Pem.privateKey(keys.getPrivate(), keys.getPublic());
        assertTrue(sec1.startsWith("-----BEGIN EC PRIVATE KEY-----\n"), sec1);
        assertTrue(Pem.matches(Pem.parsePrivateKey(sec1, "sec1"), ca));
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertTrue(Pem.matches(Pem.parsePrivateKey(pkcs8, "pkcs8"), ca));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.parsePrivateKey(Pem.certificate(ca), "x.pem"));
        assertTrue(e.getMessage().startsWith("x.pem holds no unencrypted PEM private key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pem.parseCertificates("nothing", "y.pem"));
    }

    private static String resource(String name) throws Exception {
        try (var in = ClusterPkiTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(NOW.plus(Duration.ofDays(1))));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    private static List<String> rdns(X509Certificate cert) throws Exception {
        return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream().map(Rdn::toString).toList();
    }
}
