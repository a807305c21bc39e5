package dev.okube.admission.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTPS admission webhook on loopback for tests: a fresh CA, a server certificate for
 * 127.0.0.1 and the given DNS names, and a handler from the AdmissionReview request to the response
 * object ({@code allowed}, {@code patch}...). Records the reviews it received.
 */
final class TestWebhookServer implements AutoCloseable {
    final List<JsonNode> reviews = new CopyOnWriteArrayList<>();
    private final HttpsServer server;
    private final String caPem;
    volatile Function<JsonNode, ObjectNode> handler;
    volatile long delayMillis;
    /** When set, the whole review to answer (to test malformed answers); the uid is filled in. */
    volatile Function<JsonNode, JsonNode> rawHandler;

    TestWebhookServer(String... dnsNames) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair caKeys = gen.generateKeyPair();
        Date from = new Date(System.currentTimeMillis() - 60_000);
        Date to = new Date(System.currentTimeMillis() + 3_600_000);
        X500Name caName = new X500Name("CN=test-webhook-ca");
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName, caKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        KeyPair keys = gen.generateKeyPair();
        GeneralName[] names = new GeneralName[dnsNames.length + 1];
        names[0] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        for (int i = 0; i < dnsNames.length; i++) {
            names[i + 1] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, to, new X500Name("CN=webhook"),
                        keys.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(ca);
        }
        caPem = pem.toString();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", keys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        handler = review -> allow();
        server.createContext("/", exchange -> {
            try {
                JsonNode review = WebhookClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
                reviews.add(review);
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                JsonNode answer;
                if (rawHandler != null) {
                    answer = rawHandler.apply(review);
                } else {
                    ObjectNode response = handler.apply(review);
                    response.put("uid", review.path("request").path("uid").asString());
                    ObjectNode out = WebhookClient.JSON.createObjectNode();
                    out.put("apiVersion", review.path("apiVersion").asString());
                    out.put("kind", "AdmissionReview");
                    out.set("response", response);
                    answer = out;
                }
                byte[] body = WebhookClient.JSON.writeValueAsBytes(answer);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    String caBundle() {
        return Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    }

    static ObjectNode allow() {
        ObjectNode r = WebhookClient.JSON.createObjectNode();
        r.put("allowed", true);
        return r;
    }

    static ObjectNode deny(int code, String message) {
        ObjectNode r = WebhookClient.JSON.createObjectNode();
        r.put("allowed", false);
        ObjectNode status = r.putObject("status");
        status.put("code", code);
        status.put("message", message);
        return r;
    }

    static ObjectNode patch(String jsonPatch) {
        ObjectNode r = allow();
        r.put("patchType", "JSONPatch");
        r.put("patch", Base64.getEncoder().encodeToString(jsonPatch.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
