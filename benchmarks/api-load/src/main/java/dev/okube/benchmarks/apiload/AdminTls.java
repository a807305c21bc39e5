package dev.okube.benchmarks.apiload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS context from okube's generated PKI: trusts pki/ca.crt, presents pki/admin.crt with pki/admin.key. */
final class AdminTls {
    private AdminTls() {
    }

    /** @throws IOException while the first boot has not written the files yet */
    static SSLContext sslContext(Path pki) throws IOException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(pki.resolve("ca.crt"))) {
                trust.setCertificateEntry("ca", cf.generateCertificate(in));
            }
            List<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(pki.resolve("admin.crt"))) {
                chain = List.copyOf(cf.generateCertificates(in));
            }
            char[] password = "admin".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", privateKey(Files.readString(pki.resolve("admin.key"))), password,
                    chain.toArray(Certificate[]::new));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException("unusable PKI in " + pki + ": " + e.getMessage(), e);
        }
    }

    /** PKCS#8 PEM ("PRIVATE KEY"), as okube writes it; EC or RSA. */
    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        byte[] der = Base64.getMimeDecoder().decode(body.trim());
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
