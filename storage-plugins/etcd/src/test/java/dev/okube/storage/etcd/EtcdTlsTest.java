package dev.okube.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.storage.tck.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS against a real etcd, with a CA and certificates made by openssl for the test. */
class EtcdTlsTest {
    @TempDir
    Path dir;
    private EtcdProcess etcd;

    @BeforeEach
    void start() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "1", "-subj", "/CN=okube-test-ca");
        certificate("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        certificate("client", "extendedKeyUsage=clientAuth\n");
        etcd = EtcdProcess.startTls(new EtcdProcess.Tls(dir.resolve("ca.crt"), dir.resolve("server.crt"),
                dir.resolve("server.key")));
    }

    @AfterEach
    void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void mutualTlsReadsWritesAndWatches() throws Exception {
        EtcdSettings settings = new EtcdSettings(List.of(etcd.endpoint()), Optional.of(dir.resolve("ca.crt")),
                Optional.of(dir.resolve("client.crt")), Optional.of(dir.resolve("client.key")),
                Duration.ofSeconds(5), Duration.ofSeconds(10), "");
        try (EtcdKeyValueStore store = new EtcdKeyValueStore(settings)) {
            await(store.health());
            long start = await(store.currentRevision());
            CompletableFuture<WatchEvent> seen = new CompletableFuture<>();
            store.watch("/tls/", WatchOptions.builder().withAfterRevision(start).build(), new WatchListener() {
                @Override
                public void onEvents(List<WatchEvent> events) {
                    seen.complete(events.get(0));
                }

                @Override
                public void onError(StorageException error) {
                    seen.completeExceptionally(error);
                }
            });
            long rev = await(store.create("/tls/a", "secret".getBytes(UTF_8), 0)).revision();
            assertArrayEquals("secret".getBytes(UTF_8), await(store.get("/tls/a")).value());
            assertEquals(rev, await(seen).revision());
        }
    }

    @Test
    void withoutAClientCertificateEtcdRefusesTheConnection() throws Exception {
        EtcdSettings settings = new EtcdSettings(List.of(etcd.endpoint()), Optional.of(dir.resolve("ca.crt")),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(3), "");
        try (EtcdKeyValueStore store = new EtcdKeyValueStore(settings)) {
            try {
                store.health().get(20, TimeUnit.SECONDS);
                fail("etcd accepted a client without a certificate");
            } catch (ExecutionException e) {
                assertInstanceOf(StorageException.Unavailable.class, e.getCause());
            }
        }
    }

    private void certificate(String name, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "1", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }
}
