package dev.okube.apiserver.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** PEM in and out: certificates, and private keys (EC as SEC 1, as kubeadm writes them; others PKCS#8). */
public final class Pem {
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    public static String certificate(X509Certificate cert) {
        try {
            return block("CERTIFICATE", cert.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    public static String certificates(List<X509Certificate> chain) {
        StringBuilder sb = new StringBuilder();
        chain.forEach(c -> sb.append(certificate(c)));
        return sb.toString();
    }

    /**
     * A private key as PEM, in the encoding kubeadm (Go's keyutil) and openssl write: EC keys as SEC 1
     * ("EC PRIVATE KEY", with the named curve and the public key), which every Kubernetes client reads (the
     * fabric8 client reads EC keys only so); other keys as PKCS#8 ("PRIVATE KEY").
     *
     * @param publicKey the key's public half (an EC key's SEC 1 encoding carries it)
     */
    public static String privateKey(PrivateKey key, PublicKey publicKey) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("a " + key.getAlgorithm() + " key in format " + key.getFormat()
                    + " cannot be written as PEM");
        }
        if (!(key instanceof ECPrivateKey ec)) {
            return block("PRIVATE KEY", key.getEncoded());
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ASN1Primitive curve = info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive();
            DERBitString point = new DERBitString(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getOctets());
            int orderBits = ec.getParams().getOrder().bitLength();
            return block("EC PRIVATE KEY",
                    new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, ec.getS(), point, curve).getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the EC key as SEC 1", e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Every certificate of a PEM text, in order. */
    public static List<X509Certificate> parseCertificates(String pem, String source) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> certs.add((X509Certificate) c));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(source + " holds no PEM certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(source + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** A private key in PKCS#8 ("PRIVATE KEY"), SEC 1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") PEM. */
    public static PrivateKey parsePrivateKey(String pem, String source) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return jdkKey(info, source);
                }
                if (o instanceof PEMKeyPair pair) {
                    // SEC 1 and PKCS#1: BouncyCastle wraps them as PKCS#8; the public key may be absent.
                    return jdkKey(pair.getPrivateKeyInfo(), source);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not a PEM private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(source + " holds no unencrypted PEM private key "
                + "(PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
    }

    /**
     * A JDK key from PKCS#8, by the JDK's own KeyFactory: BouncyCastle's converter would pick whatever provider
     * is registered (Karaf registers BouncyCastle's, whose EC keys call themselves "ECDSA").
     */
    private static PrivateKey jdkKey(PrivateKeyInfo info, String source) throws IOException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm;
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            algorithm = "EC";
        } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            algorithm = "RSA";
        } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            algorithm = "Ed25519";
        } else {
            throw new IllegalArgumentException(source + " holds a private key of unsupported algorithm " + oid);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + " holds an unusable " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** Whether a private key belongs to a certificate: it signs, the certificate's public key verifies. */
    public static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "EC", "ECDSA" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
            };
            byte[] probe = "okube key match".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
