package dev.okube.storage.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** A three-member etcd cluster on loopback for failover tests (single members: EtcdProcess). */
final class EtcdCluster implements AutoCloseable {
    private final Path root;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final Process[] members;

    private EtcdCluster(Path root, int size) throws IOException {
        this.root = root;
        this.clientPorts = new int[size];
        this.peerPorts = new int[size];
        this.members = new Process[size];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                ServerSocket c = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket p = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(c);
                held.add(p);
                clientPorts[i] = c.getLocalPort();
                peerPorts[i] = p.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    static EtcdCluster start(int size) throws IOException {
        EtcdCluster c = new EtcdCluster(Files.createTempDirectory("okube-etcd-cluster-"), size);
        try {
            // Members wait for each other's votes, so all start before any is awaited.
            for (int i = 0; i < size; i++) {
                c.launch(i);
            }
            for (int i = 0; i < size; i++) {
                c.awaitHealthy(i);
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    List<String> endpoints() {
        return IntStream.of(clientPorts).mapToObj(p -> "http://127.0.0.1:" + p).toList();
    }

    /** SIGKILL one member, as a crash of its machine would. */
    void kill(int i) throws InterruptedException {
        members[i].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts a killed member again on its data; it rejoins the cluster. */
    void restart(int i) throws IOException {
        launch(i);
        awaitHealthy(i);
    }

    private void launch(int i) throws IOException {
        String initial = IntStream.range(0, peerPorts.length)
                .mapToObj(j -> "m" + j + "=http://127.0.0.1:" + peerPorts[j]).collect(Collectors.joining(","));
        String client = "http://127.0.0.1:" + clientPorts[i];
        String peer = "http://127.0.0.1:" + peerPorts[i];
        ProcessBuilder pb = new ProcessBuilder("etcd", "--name", "m" + i,
                "--data-dir", root.resolve("m" + i).toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initial, "--initial-cluster-state", "new",
                "--initial-cluster-token", root.getFileName().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("m" + i + ".log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        members[i] = pb.start();
    }

    private void awaitHealthy(int i) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPorts[i] + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not up yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("etcd member m" + i + " not healthy within 30 s");
    }

    @Override
    public void close() {
        for (Process p : members) {
            if (p != null) {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
