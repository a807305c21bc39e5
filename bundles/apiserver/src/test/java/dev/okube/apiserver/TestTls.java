package dev.okube.apiserver;

import dev.okube.apiserver.pki.ClusterPki;
import dev.okube.apiserver.pki.Pem;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS clients for tests: trusting the cluster CA of a data directory, with or without the admin identity. */
public final class TestTls {
    private TestTls() {
    }

    /** A client that trusts {@code <data>/pki/ca.crt} and presents the admin client certificate. */
    public static HttpClient admin(Path data) throws Exception {
        return client(adminContext(data));
    }

    /** The TLS context of {@link #admin}. */
    public static SSLContext adminContext(Path data) throws Exception {
        Path pki = data.resolve("pki");
        return sslContext(Pem.readCertificates(pki.resolve(ClusterPki.CA_CERT)),
                Pem.readCertificates(pki.resolve(ClusterPki.ADMIN_CERT)), Pem.readPrivateKey(pki.resolve(ClusterPki.ADMIN_KEY)));
    }

    /** A client that trusts {@code <data>/pki/ca.crt} and presents no certificate. */
    public static HttpClient anonymous(Path data) throws Exception {
        return client(sslContext(Pem.readCertificates(data.resolve("pki").resolve(ClusterPki.CA_CERT)), null, null));
    }

    public static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static SSLContext sslContext(List<X509Certificate> trusted, List<X509Certificate> chain, PrivateKey key)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            trust.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (chain != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, "test".toCharArray(), chain.toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "test".toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }
}
