package dev.okube.auth.x509;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Client-certificate authentication, as upstream's x509 request authenticator with its
 * CommonNameUserConversion: the leaf certificate's subject CN is the user name and its O values are the
 * groups. The TLS layer has already verified the chain against the trusted client CAs; this checks again
 * what matters at request time (the leaf is valid now and meant for client authentication), because a
 * long-lived connection can outlive its certificate.
 *
 * <p>No certificate, or one without a CN: no opinion, so the next authenticator decides. The user carries
 * upstream's {@code authentication.kubernetes.io/credential-id} extra ({@code X509SHA256=<hex>}, the
 * certificate's fingerprint). {@code system:authenticated} is added by the apiserver's chain, not here.
 */
@Component(service = Authenticator.class, property = "okube.authenticator.name=" + X509Authenticator.NAME)
public final class X509Authenticator implements Authenticator {
    static final String NAME = "x509";
    static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Clock clock;

    @Activate
    public X509Authenticator() {
        this(Clock.systemUTC());
    }

    X509Authenticator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        List<X509Certificate> chain = request.clientCertificates();
        if (chain.isEmpty()) {
            return AuthenticationResult.noOpinion();
        }
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();
        if (now.isBefore(leaf.getNotBefore().toInstant()) || now.isAfter(leaf.getNotAfter().toInstant())) {
            return AuthenticationResult.rejected(failed(leaf, "x509: certificate has expired or is not yet valid: "
                    + "current time " + now + " is outside " + leaf.getNotBefore().toInstant() + " - "
                    + leaf.getNotAfter().toInstant()));
        }
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
                return AuthenticationResult.rejected(failed(leaf, "x509: certificate specifies an incompatible key usage"));
            }
        } catch (CertificateParsingException e) {
            return AuthenticationResult.rejected(failed(leaf, "x509: unreadable extended key usage: " + e.getMessage()));
        }
        Subject subject;
        try {
            subject = Subject.of(leaf.getSubjectX500Principal());
        } catch (InvalidNameException e) {
            return AuthenticationResult.rejected(failed(leaf, "x509: unreadable subject: " + e.getMessage()));
        }
        if (subject.commonName().isEmpty()) {
            return AuthenticationResult.noOpinion(); // as upstream: no user name, no opinion
        }
        return AuthenticationResult.authenticated(new UserInfo(subject.commonName(), "", subject.organizations(),
                Map.of(CREDENTIAL_ID, List.of("X509SHA256=" + fingerprint(leaf)))));
    }

    /** Upstream's wording: "verifying certificate SN=..., SKID=..., AKID=... failed: ...". */
    private static String failed(X509Certificate cert, String why) {
        return "verifying certificate SN=" + cert.getSerialNumber() + ", SKID=" + keyId(cert, "2.5.29.14")
                + ", AKID=" + keyId(cert, "2.5.29.35") + " failed: " + why;
    }

    /** The key identifier of a SKID or AKID extension, as colon-separated upper-case hex; "" when absent. */
    static String keyId(X509Certificate cert, String oid) {
        byte[] ext = cert.getExtensionValue(oid);
        if (ext == null) {
            return "";
        }
        // OCTET STRING wrapping the extension: SKID is an OCTET STRING; AKID a SEQUENCE whose [0] is the key id.
        byte[] inner = Der.content(ext, 0x04);
        byte[] id = "2.5.29.14".equals(oid) ? Der.content(inner, 0x04) : Der.firstTagged(inner, 0x80);
        if (id == null) {
            return "";
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(id);
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + cert.getSubjectX500Principal(), e);
        }
    }

    /** The CN (the last one, as Go's pkix.Name keeps) and the O values (in order) of a subject. */
    record Subject(String commonName, List<String> organizations) {
        static Subject of(X500Principal principal) throws InvalidNameException {
            LdapName name = new LdapName(principal.getName(X500Principal.RFC2253));
            String cn = "";
            List<String> orgs = new ArrayList<>();
            // getRdns() lists the RDNs in the certificate's (ASN.1) order.
            for (Rdn rdn : name.getRdns()) {
                try {
                    NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
                    while (attributes.hasMore()) {
                        Attribute a = attributes.next();
                        String type = a.getID().toUpperCase(Locale.ROOT);
                        for (int i = 0; i < a.size(); i++) {
                            Object value = a.get(i);
                            if (!(value instanceof String s)) {
                                continue; // a hex-encoded value of an unknown string type
                            }
                            if (type.equals("CN") || type.equals("2.5.4.3")) {
                                cn = s;
                            } else if (type.equals("O") || type.equals("2.5.4.10")) {
                                orgs.add(s);
                            }
                        }
                    }
                } catch (NamingException e) {
                    throw new InvalidNameException(e.getMessage());
                }
            }
            return new Subject(cn, orgs);
        }
    }
}
