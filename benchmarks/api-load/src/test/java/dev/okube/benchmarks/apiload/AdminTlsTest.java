package dev.okube.benchmarks.apiload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The admin key as okube writes it (SEC 1) and as PKCS#8, both readable. */
class AdminTlsTest {
    @Test
    void readsPkcs8AndSec1EcKeys() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey key = ec.generateKeyPair().getPrivate();
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertEquals(key, AdminTls.pemPrivateKey(pkcs8));
        // SEC 1 names its curve inside, as okube, kubeadm and openssl write it.
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((java.security.interfaces.ECPrivateKey) key).getS(),
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1).getEncoded();
        String sec1Pem = "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(sec1)
                + "\n-----END EC PRIVATE KEY-----\n";
        assertEquals(((java.security.interfaces.ECPrivateKey) key).getS(),
                ((java.security.interfaces.ECPrivateKey) AdminTls.pemPrivateKey(sec1Pem)).getS());
        assertThrows(GeneralSecurityException.class, () -> AdminTls.pemPrivateKey("not a key"));
    }
}
