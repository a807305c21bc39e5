package dev.okube.benchmarks.apiload;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

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
            keys.setKeyEntry("admin", pemPrivateKey(Files.readString(pki.resolve("admin.key"))), password,
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

    /**
     * A PEM private key, PKCS#8 or SEC 1 ("EC PRIVATE KEY", what okube and kubeadm write), read by
     * BouncyCastle: the JDK reads only PKCS#8.
     */
    static PrivateKey pemPrivateKey(String pem) throws GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new GeneralSecurityException("no private key in the PEM text");
        } catch (IOException e) {
            throw new GeneralSecurityException("unreadable PEM private key: " + e.getMessage(), e);
        }
    }
}
