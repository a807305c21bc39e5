package dev.okube.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.pki.Certificates;
import dev.okube.apiserver.pki.Certificates.Issuer;
import dev.okube.apiserver.pki.Certificates.Usage;
import dev.okube.apiserver.pki.ClusterPki;
import dev.okube.apiserver.pki.Pem;
import dev.okube.apiserver.pki.SubjectAlternativeNames;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS front on a real Jetty: which client identities reach a handler. */
class ConnectorsTest {
    @TempDir
    Path data;
    private Server server;
    private Connectors connectors;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Starts Jetty with the apiserver's connectors and a handler that echoes the client certificate subjects. */
    private String start(TestConfig config) throws Exception {
        server = new Server();
        connectors = Connectors.create(server, config, data);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                List<X509Certificate> chain = Connectors.clientCertificates(request);
                String body = chain.isEmpty() ? "no certificate"
                        : chain.stream().map(c -> Certificates.commonName(c.getSubjectX500Principal()))
                                .collect(Collectors.joining(","));
                response.write(true, java.nio.ByteBuffer.wrap(
                        (request.getHttpURI().getScheme() + " " + body).getBytes()), callback);
                return true;
            }
        });
        server.start();
        return "https://127.0.0.1:" + connectors.securePort();
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void theAdminCertificateReachesTheHandler() throws Exception {
        String url = start(new TestConfig(data));
        assertEquals("https kubernetes-admin", get(TestTls.admin(data), url));
    }

    @Test
    void noClientCertificateIsAllowedAndReachesTheHandlerAsNone() throws Exception {
        String url = start(new TestConfig(data));
        assertEquals("https no certificate", get(TestTls.anonymous(data), url));
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedDuringTheHandshake() throws Exception {
        String url = start(new TestConfig(data));
        Issuer otherCa = newCa("other-ca");
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate mallory = Certificates.issue(otherCa, keys.getPublic(), "mallory", List.of("system:masters"),
                null, Usage.CLIENT, Instant.now(), Duration.ofDays(1));
        // The JDK's own key manager would not offer a certificate the server did not ask for by issuer;
        // this one presents it regardless, as an attacker would.
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(new KeyManager[] {new Always(List.of(mallory, otherCa.certificate()), keys.getPrivate())},
                trustCa(), null);
        IOException e = assertThrows(IOException.class, () -> get(TestTls.client(ssl), url));
        assertTrue(e instanceof SSLException || e.getCause() instanceof SSLException
                || String.valueOf(e.getMessage()).contains("closed"), e.toString());
    }

    @Test
    void anExpiredClientCertificateOfTheClusterCaIsRefused() throws Exception {
        String url = start(new TestConfig(data));
        ClusterPki pki = connectors.pki();
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate old = Certificates.issue(pki.ca(), keys.getPublic(), "old", List.of(), null, Usage.CLIENT,
                Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(new KeyManager[] {new Always(List.of(old), keys.getPrivate())}, trustCa(), null);
        assertThrows(IOException.class, () -> get(TestTls.client(ssl), url));
    }

    @Test
    void aClientCaFileAddsTrustedIssuers() throws Exception {
        Issuer extra = newCa("corp-ca");
        Path caFile = data.resolve("corp-ca.crt");
        Files.writeString(caFile, Pem.certificate(extra.certificate()));
        TestConfig config = new TestConfig(data);
        config.clientCaFile = caFile.toString();
        String url = start(config);
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate alice = Certificates.issue(extra, keys.getPublic(), "alice", List.of("dev"), null, Usage.CLIENT,
                Instant.now(), Duration.ofDays(1));
        SSLContext ssl = TestTls.sslContext(List.of(connectors.pki().ca().certificate()), List.of(alice), keys.getPrivate());
        assertEquals("https alice", get(TestTls.client(ssl), url));
        assertEquals("https kubernetes-admin", get(TestTls.admin(data), url), "the cluster CA is still trusted");
    }

    @Test
    void theServingCertificateMatchesTheLoopbackAddressAndChainsToTheClusterCa() throws Exception {
        String url = start(new TestConfig(data));
        // TestTls trusts only pki/ca.crt and the JDK checks the IP SAN: a 200 proves both.
        get(TestTls.anonymous(data), url);
        X509Certificate served = Pem.readCertificates(data.resolve("pki/apiserver.crt")).get(0);
        assertTrue(SubjectAlternativeNames.of(served).dnsNames().contains("kubernetes.default.svc"));
    }

    @Test
    void aUserServingCertificateReplacesTheGeneratedOne() throws Exception {
        Issuer userCa = newCa("user-ca");
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate cert = Certificates.issue(userCa, keys.getPublic(), "my-apiserver", List.of(),
                SubjectAlternativeNames.forApiServer("", List.of()), Usage.SERVER, Instant.now(), Duration.ofDays(30));
        Path certFile = data.resolve("tls.crt");
        Path keyFile = data.resolve("tls.key");
        Files.writeString(certFile, Pem.certificates(List.of(cert, userCa.certificate())));
        Files.writeString(keyFile, Pem.privateKey(keys.getPrivate(), keys.getPublic()));
        TestConfig config = new TestConfig(data);
        config.tlsCertFile = certFile.toString();
        config.tlsKeyFile = keyFile.toString();
        String url = start(config);

        SSLContext trustsUserCa = TestTls.sslContext(List.of(userCa.certificate()), null, null);
        assertEquals("https no certificate", get(TestTls.client(trustsUserCa), url));
        assertThrows(IOException.class, () -> get(TestTls.anonymous(data), url), "not the generated certificate");
        assertTrue(!Files.exists(data.resolve("pki/apiserver.crt")));
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedAtStart() {
        TestConfig config = new TestConfig(data);
        config.tlsCertFile = "/nonexistent.crt";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Connectors.create(new Server(), config, data));
        assertTrue(e.getMessage().contains("tls.cert.file and tls.key.file go together"), e.getMessage());
    }

    @Test
    void thereIsNoPlainHttpPortUnlessConfigured() throws Exception {
        start(new TestConfig(data));
        assertEquals(-1, connectors.insecurePort());
        assertEquals(1, server.getConnectors().length);
    }

    @Test
    void anInsecurePortServesPlainHttp() throws Exception {
        TestConfig config = new TestConfig(data);
        config.insecurePort = 0;
        start(config);
        int port = connectors.insecurePort();
        assertTrue(port > 0);
        assertEquals("http no certificate", get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port));
        server.stop();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    private TrustManagerFactory trustFactory() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", connectors.pki().ca().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    private javax.net.ssl.TrustManager[] trustCa() throws Exception {
        return trustFactory().getTrustManagers();
    }

    private static Issuer newCa(String name) {
        KeyPair keys = Certificates.newKeyPair();
        return new Issuer(Certificates.selfSignedCa(keys, name, Instant.now(), Duration.ofDays(30)), keys.getPrivate());
    }

    /** A key manager that presents its one certificate whatever issuers the server asks for. */
    private static final class Always extends X509ExtendedKeyManager {
        private final X509Certificate[] chain;
        private final PrivateKey key;

        Always(List<X509Certificate> chain, PrivateKey key) {
            this.chain = chain.toArray(X509Certificate[]::new);
            this.key = key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"c"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "c";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "c";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    /** The apiserver's configuration with test values; fields are changed before start. */
    static final class TestConfig implements ApiServer.Config {
        private final Path data;
        int insecurePort = -1;
        String tlsCertFile = "";
        String tlsKeyFile = "";
        String clientCaFile = "";

        TestConfig(Path data) {
            this.data = data;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return ApiServer.Config.class;
        }

        @Override
        public String bind_address() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return 0;
        }

        @Override
        public int insecure_port() {
            return insecurePort;
        }

        @Override
        public String tls_cert_file() {
            return tlsCertFile;
        }

        @Override
        public String tls_key_file() {
            return tlsKeyFile;
        }

        @Override
        public String client_ca_file() {
            return clientCaFile;
        }

        @Override
        public String advertise_address() {
            return "";
        }

        @Override
        public String data_dir() {
            return data.toString();
        }

        @Override
        public int max_threads() {
            return 16;
        }

        @Override
        public String[] authenticators() {
            return new String[0];
        }

        @Override
        public String[] authorizers() {
            return new String[0];
        }
    }
}
