package dev.okube.itests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of okube's generated admin kubeconfig (server URL, cluster CA, admin client certificate
 * and key), as JDK HTTPS clients: one with the admin identity, one without a client certificate. JDK only,
 * so it also runs inside Karaf (Pax Exam probes).
 */
public final class KubeconfigTls {
    private final String server;
    private final List<X509Certificate> ca;
    private final List<X509Certificate> clientChain;
    private final PrivateKey clientKey;

    private KubeconfigTls(String server, List<X509Certificate> ca, List<X509Certificate> clientChain, PrivateKey key) {
        this.server = server;
        this.ca = ca;
        this.clientChain = clientChain;
        this.clientKey = key;
    }

    /** Reads a kubeconfig with embedded data (certificate-authority-data, client-certificate-data, client-key-data). */
    public static KubeconfigTls read(Path kubeconfig) throws IOException {
        String text = Files.readString(kubeconfig);
        return new KubeconfigTls(field(text, "server", kubeconfig), certificates(base64(field(text,
                "certificate-authority-data", kubeconfig))), certificates(base64(field(text, "client-certificate-data",
                kubeconfig))), pemKey(base64(field(text, "client-key-data", kubeconfig))));
    }

    /** Waits until the apiserver has written the kubeconfig, then reads it. */
    public static KubeconfigTls await(Path kubeconfig, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(kubeconfig)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(kubeconfig + " was not written within " + timeout);
            }
            Thread.sleep(100);
        }
        return read(kubeconfig);
    }

    /** The server URL, https://host:port. */
    public String server() {
        return server;
    }

    public List<X509Certificate> ca() {
        return ca;
    }

    /** Trusts the cluster CA and presents the admin client certificate (system:masters). */
    public HttpClient adminHttp() {
        return http(sslContext(true));
    }

    /** Trusts the cluster CA and presents no client certificate (an anonymous request). */
    public HttpClient anonymousHttp() {
        return http(sslContext(false));
    }

    public SSLContext sslContext(boolean withClientCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < ca.size(); i++) {
                trust.setCertificateEntry("ca-" + i, ca.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (withClientCertificate) {
                char[] password = "kubeconfig".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("admin", clientKey, password, clientChain.toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context from the kubeconfig", e);
        }
    }

    private static HttpClient http(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static PrivateKey pemKey(String pem) {
        try {
            return pemPrivateKey(pem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unusable client-key-data: " + e.getMessage(), e);
        }
    }

    private static String field(String text, String name, Path file) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*(\\S+)\\s*$").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + file);
        }
        return m.group(1);
    }

    private static String base64(String data) {
        return new String(Base64.getDecoder().decode(data), StandardCharsets.US_ASCII);
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> certs.add((X509Certificate) c));
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad certificate data in the kubeconfig", e);
        }
    }

    /**
     * A PEM private key: PKCS#8 ("PRIVATE KEY", EC or RSA) or SEC 1 ("EC PRIVATE KEY", what okube and kubeadm
     * write), the latter wrapped into PKCS#8 with the curve named in it, since the JDK reads only PKCS#8.
     */
    static PrivateKey pemPrivateKey(String pem) throws GeneralSecurityException {
        Matcher m = Pattern.compile("-----BEGIN (EC )?PRIVATE KEY-----([^-]+)-----END (EC )?PRIVATE KEY-----").matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException("not a PEM private key (PRIVATE KEY or EC PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
        if (m.group(1) != null) {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(sec1ToPkcs8(der)));
        }
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

    /** PKCS#8 {version 0, {id-ecPublicKey, curve}, OCTET STRING sec1}; the curve is SEC 1's [0] parameter. */
    private static byte[] sec1ToPkcs8(byte[] sec1) throws GeneralSecurityException {
        int[] outer = header(sec1, 0);
        int pos = outer[0];
        byte[] curve = null;
        while (pos < sec1.length) {
            int[] h = header(sec1, pos);
            if ((sec1[pos] & 0xff) == 0xa0) {
                curve = java.util.Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
            }
            pos = h[0] + h[1];
        }
        if (curve == null) {
            throw new GeneralSecurityException("the EC PRIVATE KEY does not name its curve");
        }
        byte[] ecPublicKey = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
        byte[] algorithm = tlv(0x30, concat(ecPublicKey, curve));
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, sec1)));
    }

    /** {offset of the content, its length} of the DER element at {@code pos}. */
    private static int[] header(byte[] der, int pos) throws GeneralSecurityException {
        if (pos + 1 >= der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        int first = der[pos + 1] & 0xff;
        if (first < 0x80) {
            return new int[] {pos + 2, first};
        }
        int n = first & 0x7f;
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos + 2 + i] & 0xff);
        }
        return new int[] {pos + 2 + n, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        int len = content.length;
        byte[] head = len < 0x80 ? new byte[] {(byte) tag, (byte) len}
                : len < 0x100 ? new byte[] {(byte) tag, (byte) 0x81, (byte) len}
                : new byte[] {(byte) tag, (byte) 0x82, (byte) (len >> 8), (byte) len};
        return concat(head, content);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
