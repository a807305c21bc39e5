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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
