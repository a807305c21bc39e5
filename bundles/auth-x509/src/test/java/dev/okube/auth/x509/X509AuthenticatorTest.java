package dev.okube.auth.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class X509AuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final KeyPair CA_KEYS = keys();
    private static final X509Certificate CA = build("CN=test-ca", CA_KEYS, CA_KEYS.getPrivate(), null, NOW,
            Duration.ofDays(10), null, true);

    private final X509Authenticator x509 = new X509Authenticator(Clock.fixed(NOW, ZoneOffset.UTC));

    private static AuthenticationRequest request(X509Certificate... chain) {
        return new AuthenticationRequest(Map.of(), List.of(chain), "127.0.0.1:5000");
    }

    private static X509Certificate client(String subject) {
        return build(subject, keys(), CA_KEYS.getPrivate(), CA, NOW.minus(Duration.ofHours(1)), Duration.ofDays(1),
                KeyPurposeId.id_kp_clientAuth, false);
    }

    @Test
    void commonNameIsTheUserAndOrganizationsAreTheGroups() throws Exception {
        X509Certificate cert = client("CN=jane,O=dev,O=system:masters");
        AuthenticationResult r = x509.authenticate(request(cert, CA));
        assertEquals(Outcome.AUTHENTICATED, r.outcome(), r.error());
        assertEquals("jane", r.user().name());
        assertEquals("", r.user().uid());
        // Groups follow the O attributes in the certificate's encoding order, as Go's pkix.Name reads them.
        List<String> encodedOrder = java.util.Arrays.stream(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded())
                .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.O)).map(rdn -> rdn.getFirst().getValue().toString()).toList();
        assertEquals(List.of("dev", "system:masters"), encodedOrder);
        assertEquals(encodedOrder, r.user().groups());
        assertTrue(!r.user().groups().contains("system:authenticated"), "the apiserver's chain adds it");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        assertEquals(Map.of("authentication.kubernetes.io/credential-id", List.of("X509SHA256=" + sha)), r.user().extra());
        assertEquals(List.of(), r.audiences());
    }

    @Test
    void theAdminOfTheGeneratedKubeconfig() {
        AuthenticationResult r = x509.authenticate(request(client("O=system:masters,CN=kubernetes-admin")));
        assertEquals("kubernetes-admin", r.user().name());
        assertEquals(List.of("system:masters"), r.user().groups());
    }

    @Test
    void escapedAndUnicodeValuesArePlainStrings() {
        AuthenticationResult r = x509.authenticate(request(client("CN=Jos\u00e9 O\\, Brien,O=a\\+b,O=team\\=x")));
        assertEquals("Jos\u00e9 O, Brien", r.user().name());
        assertEquals(List.of("a+b", "team=x"), r.user().groups());
    }

    @Test
    void noGroupsWithoutOrganizations() {
        AuthenticationResult r = x509.authenticate(request(client("CN=system:node:n1,OU=ignored")));
        assertEquals("system:node:n1", r.user().name());
        assertEquals(List.of(), r.user().groups());
    }

    @Test
    void noCertificateIsNoOpinion() {
        AuthenticationResult r = x509.authenticate(new AuthenticationRequest(
                Map.of("authorization", List.of("Bearer abc")), List.of(), ""));
        assertEquals(Outcome.NO_OPINION, r.outcome());
    }

    @Test
    void aCertificateWithoutCommonNameIsNoOpinion() {
        assertEquals(Outcome.NO_OPINION, x509.authenticate(request(client("O=system:masters"))).outcome());
    }

    @Test
    void anExpiredLeafIsRejected() {
        X509Certificate expired = build("CN=old", keys(), CA_KEYS.getPrivate(), CA, NOW.minus(Duration.ofDays(3)),
                Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth, false);
        AuthenticationResult r = x509.authenticate(request(expired));
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.error().startsWith("verifying certificate SN=" + expired.getSerialNumber() + ", SKID="), r.error());
        assertTrue(r.error().contains("failed: x509: certificate has expired or is not yet valid"), r.error());
        assertTrue(r.error().matches(".*SKID=[0-9A-F]{2}(:[0-9A-F]{2}){19}, AKID=[0-9A-F]{2}(:[0-9A-F]{2}){19} failed.*"),
                r.error());
    }

    @Test
    void aLeafNotValidYetIsRejected() {
        X509Certificate future = build("CN=future", keys(), CA_KEYS.getPrivate(), CA, NOW.plus(Duration.ofHours(1)),
                Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth, false);
        assertEquals(Outcome.REJECTED, x509.authenticate(request(future)).outcome());
    }

    @Test
    void theValidityWindowMovesWithTheClock() {
        X509Certificate cert = client("CN=jane");
        X509Authenticator later = new X509Authenticator(Clock.fixed(NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC));
        assertEquals(Outcome.AUTHENTICATED, x509.authenticate(request(cert)).outcome());
        assertEquals(Outcome.REJECTED, later.authenticate(request(cert)).outcome());
    }

    @Test
    void aServerOnlyCertificateIsRejected() {
        X509Certificate serving = build("CN=kube-apiserver", keys(), CA_KEYS.getPrivate(), CA, NOW, Duration.ofDays(1),
                KeyPurposeId.id_kp_serverAuth, false);
        AuthenticationResult r = x509.authenticate(request(serving));
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.error().endsWith("x509: certificate specifies an incompatible key usage"), r.error());
    }

    @Test
    void withoutExtendedKeyUsageAnyUseIsAllowed() {
        X509Certificate plain = build("CN=plain", keys(), CA_KEYS.getPrivate(), CA, NOW, Duration.ofDays(1), null, false);
        assertEquals(Outcome.AUTHENTICATED, x509.authenticate(request(plain)).outcome());
        X509Certificate any = build("CN=any", keys(), CA_KEYS.getPrivate(), CA, NOW, Duration.ofDays(1),
                KeyPurposeId.anyExtendedKeyUsage, false);
        assertEquals(Outcome.AUTHENTICATED, x509.authenticate(request(any)).outcome());
    }

    @Test
    void nameIsX509() {
        assertEquals("x509", x509.name());
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(String subject, KeyPair keys, PrivateKey signer, X509Certificate issuer,
            Instant notBefore, Duration validity, KeyPurposeId usage, boolean ca) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuerName = issuer == null ? new X500Name(subject)
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notBefore.plus(validity)),
                    new X500Name(subject), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.getPublicKey()));
            }
            if (usage != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
