package dev.okube.benchmarks.apiload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * SSH to okube's Karaf shell, as user okube with the key the first boot generated
 * (data/okube/client.key), for running shell commands with the client's start-up kept out of the
 * timing: bin/client starts a JVM per command. Karaf ends a session after its exec command, so each
 * command gets a session; {@link #lastSentNanos()} is when the command itself was sent.
 */
final class KarafShell implements AutoCloseable {
    private final SshClient client;
    private final int sshPort;
    private final KeyPair key;
    private volatile long lastSent;

    KarafShell(Path home, int sshPort) throws Exception {
        this.sshPort = sshPort;
        // The first boot writes the key in the background; it is there within seconds.
        Path keyFile = home.resolve("data/okube/client.key");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(keyFile) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        this.key = keyPair(keyFile);
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    /** System.nanoTime() when the last command was sent, after its session was set up. */
    long lastSentNanos() {
        return lastSent;
    }

    /** Runs a command; returns its output. Throws when the command fails. */
    String run(String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ClientSession session = client.connect("okube", "127.0.0.1", sshPort).verify(Duration.ofSeconds(30))
                .getSession()) {
            session.addPublicKeyIdentity(key);
            session.auth().verify(Duration.ofSeconds(30));
            return exec(session, command, out, err);
        }
    }

    private String exec(ClientSession session, String command, ByteArrayOutputStream out, ByteArrayOutputStream err)
            throws IOException {
        lastSent = System.nanoTime();
        try (ChannelExec exec = session.createExecChannel(command)) {
            exec.setOut(out);
            exec.setErr(err);
            exec.open().verify(Duration.ofSeconds(30));
            exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(120));
            Integer status = exec.getExitStatus();
            String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            if (status != null && status != 0 || text.contains("Error executing command")) {
                throw new IOException("\"" + command + "\" failed: " + text.trim());
            }
            return text;
        }
    }

    @Override
    public void close() {
        client.stop();
    }

    /** The RSA key pair from a PKCS#8 PEM private key (the public half computed from its CRT form). */
    private static KeyPair keyPair(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
        BigInteger e = key.getPublicExponent();
        return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), e)), key);
    }
}
