package dev.okube.shell;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the local administrator scripted shell access without a well-known password: on first boot
 * a key pair is generated, the private key is kept under {@code data/okube/client.key} (owner only),
 * and its public half is authorised for the {@code okube} user in {@code etc/keys.properties}, which
 * Karaf's SSH server consults on every login. {@code bin/client} logs in with that key.
 */
@Component(immediate = true)
public final class ShellAccessKey {
    static final String USER = "okube";
    private static final Logger LOG = LoggerFactory.getLogger(ShellAccessKey.class);

    @Activate
    public ShellAccessKey() {
        Path data = Paths.get(System.getProperty("karaf.data", "data"), "okube");
        Path etc = Paths.get(System.getProperty("karaf.etc", "etc"));
        // Generating an RSA key takes a second or more on a busy machine: keep it off the boot path.
        Thread generator = new Thread(() -> {
            try {
                ensure(data.resolve("client.key"), etc.resolve("keys.properties"));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.error("cannot set up the shell access key in {}: {}", data, e.toString());
            }
        }, "okube-shell-access-key");
        generator.setDaemon(true);
        generator.start();
    }

    /** Creates the key if it is missing, and makes sure keys.properties authorises exactly it for {@link #USER}. */
    static void ensure(Path privateKeyFile, Path keysProperties) throws IOException, GeneralSecurityException {
        RSAPrivateCrtKey privateKey;
        if (Files.exists(privateKeyFile)) {
            privateKey = readPrivateKey(privateKeyFile);
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            KeyPair pair = generator.generateKeyPair();
            privateKey = (RSAPrivateCrtKey) pair.getPrivate();
            writePrivateKey(privateKeyFile, privateKey);
            LOG.info("generated the shell access key {}", privateKeyFile);
        }
        authorise(keysProperties, sshPublicKeyBlob(privateKey));
    }

    /** The OpenSSH wire form of the RSA public key (RFC 4253 6.6), base64 as keys.properties wants it. */
    static String sshPublicKeyBlob(RSAPrivateCrtKey key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] type = "ssh-rsa".getBytes(StandardCharsets.US_ASCII);
            out.writeInt(type.length);
            out.write(type);
            for (BigInteger n : new BigInteger[] {key.getPublicExponent(), key.getModulus()}) {
                byte[] mpint = n.toByteArray();
                out.writeInt(mpint.length);
                out.write(mpint);
            }
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void authorise(Path keysProperties, String blob) throws IOException {
        String entry = USER + "=" + blob + ",_g_:admingroup";
        List<String> lines = Files.exists(keysProperties) ? Files.readAllLines(keysProperties) : new ArrayList<>();
        if (lines.contains(entry)) {
            return;
        }
        List<String> updated = new ArrayList<>();
        boolean hasAdminGroup = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith(USER + "=") || trimmed.startsWith(USER + " ")) {
                continue;
            }
            hasAdminGroup |= trimmed.startsWith("_g_\\:admingroup");
            updated.add(line);
        }
        if (!hasAdminGroup) {
            updated.add("_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh");
        }
        updated.add(entry);
        writeAtomically(keysProperties, String.join("\n", updated) + "\n", false);
    }

    private static void writePrivateKey(Path file, RSAPrivateCrtKey key) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        writeAtomically(file, pem, true);
    }

    static RSAPrivateCrtKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        // Fail here, not at login, if the file is damaged.
        rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        return key;
    }

    private static void writeAtomically(Path file, String content, boolean ownerOnly) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        if (ownerOnly) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's ACL applies.
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
