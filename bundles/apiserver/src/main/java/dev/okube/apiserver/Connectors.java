package dev.okube.apiserver;

import dev.okube.apiserver.pki.ClusterPki;
import dev.okube.apiserver.pki.Pem;
import dev.okube.apiserver.pki.SubjectAlternativeNames;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apiserver's listening sockets: HTTPS on {@code port} (HTTP/1.1) with the cluster's serving certificate,
 * asking for (not requiring) a client certificate issued by the cluster CA or a {@code client.ca.file} CA; and,
 * only when {@code insecure.port} is set, plain HTTP on the bind address.
 *
 * <p>A client certificate that is presented is verified during the handshake; one from an unknown CA ends the
 * handshake. Handlers read the verified chain with {@link #clientCertificates(Request)}.
 */
final class Connectors {
    private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);
    private final ClusterPki pki;
    private final ServerConnector secure;
    private final ServerConnector insecure;

    private Connectors(ClusterPki pki, ServerConnector secure, ServerConnector insecure) {
        this.pki = pki;
        this.secure = secure;
        this.insecure = insecure;
    }

    /** Ensures the PKI under {@code <dataDir>/pki} and adds the connectors to {@code server} (not started). */
    static Connectors create(Server server, ApiServer.Config config, Path dataDir) throws IOException {
        boolean ownCert = !config.tls_cert_file().isBlank() || !config.tls_key_file().isBlank();
        if (ownCert && (config.tls_cert_file().isBlank() || config.tls_key_file().isBlank())) {
            throw new IllegalArgumentException("tls.cert.file and tls.key.file go together; only one is set");
        }
        SubjectAlternativeNames host = SubjectAlternativeNames.localHost();
        SubjectAlternativeNames sans = SubjectAlternativeNames.forApiServer(
                host.dnsNames().stream().findFirst().orElse(null), host.ipAddresses(),
                config.bind_address(), config.advertise_address());
        long t0 = System.nanoTime();
        ClusterPki pki = ClusterPki.ensure(dataDir.resolve("pki"), ownCert ? null : sans, Clock.systemUTC());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        pki.changes().forEach(change -> LOG.info("pki: {}", change));
        LOG.info("pki: {} ready in {} ms", dataDir.resolve("pki"), millis);

        List<X509Certificate> chain;
        PrivateKey key;
        if (ownCert) {
            chain = Pem.readCertificates(Paths.get(config.tls_cert_file()));
            key = Pem.readPrivateKey(Paths.get(config.tls_key_file()));
            if (!Pem.matches(key, chain.get(0))) {
                throw new IllegalArgumentException(config.tls_key_file() + " is not the key of the certificate in "
                        + config.tls_cert_file());
            }
        } else {
            chain = List.of(pki.serving().certificate(), pki.ca().certificate());
            key = pki.serving().key();
        }
        List<X509Certificate> clientCas = new ArrayList<>(List.of(pki.ca().certificate()));
        if (!config.client_ca_file().isBlank()) {
            clientCas.addAll(Pem.readCertificates(Paths.get(config.client_ca_file())));
        }

        HttpConfiguration https = new HttpConfiguration();
        https.setSecureScheme("https");
        // Clients reach the apiserver by many names (an IP, kubernetes.default.svc...): no SNI-to-Host check.
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector secure = new ServerConnector(server,
                new SslConnectionFactory(sslContextFactory(chain, key, clientCas), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        secure.setHost(config.bind_address());
        secure.setPort(config.port());
        server.addConnector(secure);

        ServerConnector insecure = null;
        if (config.insecure_port() >= 0) {
            insecure = new ServerConnector(server);
            insecure.setHost(config.bind_address());
            insecure.setPort(config.insecure_port());
            server.addConnector(insecure);
        }
        return new Connectors(pki, secure, insecure);
    }

    static SslContextFactory.Server sslContextFactory(List<X509Certificate> chain, PrivateKey key,
            List<X509Certificate> clientCas) {
        try {
            // In-memory stores: the keys stay in the files written with mode 0600, never in a second copy.
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            char[] password = HexFormat.of().formatHex(random).toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("apiserver", key, password, chain.toArray(X509Certificate[]::new));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < clientCas.size(); i++) {
                trust.setCertificateEntry("client-ca-" + i, clientCas.get(i));
            }
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keys);
            ssl.setKeyStorePassword(new String(password));
            ssl.setTrustStore(trust);
            ssl.setWantClientAuth(true);
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the TLS key and trust stores", e);
        }
    }

    /** The verified client certificate chain of a request, leaf first; empty without TLS or client certificate. */
    static List<X509Certificate> clientCertificates(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                && ssl.peerCertificates() != null) {
            return List.of(ssl.peerCertificates());
        }
        return List.of();
    }

    ClusterPki pki() {
        return pki;
    }

    /** The HTTPS port, once started (the configured one, or the one picked for port 0). */
    int securePort() {
        return secure.getLocalPort();
    }

    /** The plain-HTTP port once started, or -1 when there is none. */
    int insecurePort() {
        return insecure == null ? -1 : insecure.getLocalPort();
    }
}
