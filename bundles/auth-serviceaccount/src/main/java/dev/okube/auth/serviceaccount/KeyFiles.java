package dev.okube.auth.serviceaccount;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The service-account signing key pair on disk: {@code sa.key} (PKCS#8 PEM, mode 0600) and
 * {@code sa.pub} (X.509 SubjectPublicKeyInfo PEM). Created once, atomically, under a file lock, so
 * neither a second thread nor a second process can see half a file or overwrite a key already in use.
 */
final class KeyFiles {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String RSA_PRIVATE = "RSA PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";
    /** Serialises callers of one JVM: a FileLock is held per JVM, not per thread. */
    private static final Object LOCK = new Object();

    private KeyFiles() {
    }

    /**
     * Reads the key pair, generating it (RSA 2048) when the private key file is absent. The public
     * key file is (re)written from the private key when it is missing.
     *
     * @param keyFile the private key, e.g. data/okube/pki/sa.key
     * @param pubFile the public key, e.g. data/okube/pki/sa.pub
     */
    static KeyPair loadOrCreate(Path keyFile, Path pubFile) throws IOException {
        Path dir = keyFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        synchronized (LOCK) {
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(".sa.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                KeyPair pair;
                if (Files.exists(keyFile)) {
                    pair = read(keyFile);
                } else {
                    pair = generate();
                    writeAtomically(keyFile, pem(PRIVATE, pair.getPrivate().getEncoded()), true);
                }
                if (!Files.exists(pubFile)) {
                    writeAtomically(pubFile, pem(PUBLIC, pair.getPublic().getEncoded()), false);
                }
                return pair;
            }
        }
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is not available", e);
        }
    }

    /** Reads an RSA private key (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" PEM) and derives its public key. */
    static KeyPair read(Path keyFile) throws IOException {
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        try {
            byte[] der;
            if (text.contains("-----BEGIN " + PRIVATE + "-----")) {
                der = unpem(text, PRIVATE);
            } else if (text.contains("-----BEGIN " + RSA_PRIVATE + "-----")) {
                der = pkcs1ToPkcs8(unpem(text, RSA_PRIVATE));
            } else {
                throw new IOException(keyFile + " holds no PEM \"PRIVATE KEY\" or \"RSA PRIVATE KEY\" block");
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(),
                    key.getPublicExponent()));
            return new KeyPair(pub, key);
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IOException(keyFile + " is not an RSA private key: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) RSA key. */
    static RSAPublicKey readPublic(Path pubFile) throws IOException {
        try {
            byte[] der = unpem(Files.readString(pubFile, StandardCharsets.US_ASCII), PUBLIC);
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IOException(pubFile + " is not an RSA public key: " + e.getMessage(), e);
        }
    }

    /**
     * The key id upstream puts in the JWT header: the unpadded base64url SHA-256 of the public key's
     * DER SubjectPublicKeyInfo, so verifiers can pick the key without trying each.
     */
    static String keyId(RSAPublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("no PEM \"" + type + "\" block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to).trim());
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL parameters). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /**
     * Writes a file whole or not at all: a temporary file beside it (created 0600 for secrets, before
     * any byte is written), then an atomic rename over the target.
     */
    static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
        Path tmp = posix
                ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, mode);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
