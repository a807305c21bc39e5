package dev.okube.auth.serviceaccount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void generatesAPkcs8KeyReadableOnlyByItsOwnerAndItsPublicKey() throws IOException {
        Path key = dir.resolve("pki/sa.key");
        Path pub = dir.resolve("pki/sa.pub");
        KeyPair pair = KeyFiles.loadOrCreate(key, pub);

        String keyText = Files.readString(key);
        assertTrue(keyText.startsWith("-----BEGIN PRIVATE KEY-----\n"), keyText);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals(2048, ((RSAPublicKey) pair.getPublic()).getModulus().bitLength());
        assertEquals(pair.getPublic(), KeyFiles.readPublic(pub));
        try (var leftovers = Files.list(dir.resolve("pki"))) {
            assertEquals(Set.of("sa.key", "sa.pub", ".sa.lock"),
                    leftovers.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void anExistingKeyIsKeptAndAMissingPublicKeyIsWrittenAgain() throws IOException {
        Path key = dir.resolve("sa.key");
        Path pub = dir.resolve("sa.pub");
        KeyPair first = KeyFiles.loadOrCreate(key, pub);
        Files.delete(pub);
        KeyPair second = KeyFiles.loadOrCreate(key, pub);
        assertEquals(first.getPublic(), second.getPublic());
        assertEquals(first.getPrivate(), second.getPrivate());
        assertEquals(first.getPublic(), KeyFiles.readPublic(pub));
    }

    @Test
    void concurrentCallersAllGetTheSameKey() throws Exception {
        Path key = dir.resolve("sa.key");
        Path pub = dir.resolve("sa.pub");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<KeyPair>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> KeyFiles.loadOrCreate(key, pub));
            }
            Set<Object> keys = new HashSet<>();
            for (Future<KeyPair> f : pool.invokeAll(calls)) {
                keys.add(f.get().getPublic());
            }
            assertEquals(1, keys.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readsAPkcs1Key() throws IOException {
        // PKCS#1 is what openssl genrsa (1.x) and kubeadm write; strip the PKCS#8 wrapper of a fresh key.
        KeyPair pair = KeyFiles.generate();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] pkcs1 = pkcs1Of(pkcs8);
        Path key = dir.resolve("rsa.key");
        Files.writeString(key, KeyFiles.pem("RSA PRIVATE KEY", pkcs1));
        KeyPair read = KeyFiles.read(key);
        assertEquals(pair.getPublic(), read.getPublic());
    }

    @Test
    void aFileThatIsNoKeyIsRefusedWithItsName() throws IOException {
        Path key = dir.resolve("sa.key");
        Files.writeString(key, "not a key\n");
        IOException e = assertThrows(IOException.class, () -> KeyFiles.loadOrCreate(key, dir.resolve("sa.pub")));
        assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
    }

    @Test
    void theKeyIdIsTheUnpaddedBase64UrlSha256OfThePublicKey() throws Exception {
        KeyPair a = KeyFiles.generate();
        KeyPair b = KeyFiles.generate();
        String id = KeyFiles.keyId((RSAPublicKey) a.getPublic());
        assertEquals(43, id.length());
        assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(a.getPublic().getEncoded());
        assertEquals(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(expected), id);
        assertNotEquals(id, KeyFiles.keyId((RSAPublicKey) b.getPublic()));
    }

    /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the content of its OCTET STRING. */
    private static byte[] pkcs1Of(byte[] pkcs8) {
        int i = 0;
        i = skipHeader(pkcs8, i); // SEQUENCE
        i = skipWhole(pkcs8, i); // version
        i = skipWhole(pkcs8, i); // algorithm
        int[] len = length(pkcs8, i + 1);
        return java.util.Arrays.copyOfRange(pkcs8, len[1], len[1] + len[0]);
    }

    private static int skipHeader(byte[] der, int i) {
        return length(der, i + 1)[1];
    }

    private static int skipWhole(byte[] der, int i) {
        int[] len = length(der, i + 1);
        return len[1] + len[0];
    }

    /** {length, offset of the content} of the length octets at i. */
    private static int[] length(byte[] der, int i) {
        int first = der[i] & 0xff;
        if (first < 0x80) {
            return new int[] {first, i + 1};
        }
        int n = first & 0x7f;
        int len = 0;
        for (int k = 0; k < n; k++) {
            len = (len << 8) | (der[i + 1 + k] & 0xff);
        }
        return new int[] {len, i + 1 + n};
    }
}
