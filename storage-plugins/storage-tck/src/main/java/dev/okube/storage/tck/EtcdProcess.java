package dev.okube.storage.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-member etcd for tests and benchmarks: the {@code etcd} binary (Debian
 * {@code etcd-server}) on free loopback ports with a data directory in a fresh temporary folder.
 * {@link #stop()}, {@link #kill()} and {@link #restart()} keep the data directory and the ports, so
 * a client configured once sees the same cluster come back. {@link #close()} stops it and deletes the
 * folder.
 *
 * <p>The binary is taken from the system property {@code okube.etcd.binary}, else the environment
 * variable {@code ETCD_BIN}, else {@code etcd} on the PATH. A missing binary is an error, never a skip.
 */
public final class EtcdProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String binary;
    private final Path root;
    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private final Tls tls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread reaper = new Thread(this::destroyNow, "etcd-process-reaper");
    private Process process;
    private boolean closed;
    private long readyLinesBefore;

    /**
     * Server-side TLS for the client port: etcd presents {@code certFile}/{@code keyFile} and accepts only
     * clients whose certificate {@code caFile} signed.
     */
    public record Tls(Path caFile, Path certFile, Path keyFile) {
    }

    private EtcdProcess(String binary, Path root, int clientPort, int peerPort, Tls tls) {
        this.binary = binary;
        this.tls = tls;
        this.root = root;
        this.dataDir = root.resolve("data");
        this.log = root.resolve("etcd.log");
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Starts a fresh etcd and returns once it serves client requests. */
    public static EtcdProcess start() throws IOException {
        return start(null);
    }

    /** Starts a fresh etcd whose client port speaks TLS and requires client certificates. */
    public static EtcdProcess startTls(Tls tls) throws IOException {
        return start(Objects.requireNonNull(tls, "tls should not be null"));
    }

    private static EtcdProcess start(Tls tls) throws IOException {
        String binary = binary();
        Path root = Files.createTempDirectory("okube-etcd-");
        int[] ports = freePorts(2);
        EtcdProcess p = new EtcdProcess(binary, root, ports[0], ports[1], tls);
        // A test JVM that dies without close() must not leave an etcd behind.
        Runtime.getRuntime().addShutdownHook(p.reaper);
        try {
            p.launch();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** The client URL, {@code http://127.0.0.1:PORT} (https with TLS). */
    public String endpoint() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** etcd's own log (stdout and stderr of every start), for diagnosing failures. */
    public Path logFile() {
        return log;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops etcd gracefully (SIGTERM) and waits for it to exit; the data directory stays. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills etcd at once (SIGKILL), as a crash would; the data directory stays. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops etcd if it runs and starts it again on the same ports and data; returns once ready. */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IllegalStateException("etcd process was closed");
        }
        stop();
        launch();
    }

    /** Stops etcd and deletes its temporary folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs or ran anyway.
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private synchronized void destroyNow() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private void launch() throws IOException {
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(binary,
                "--name", "t",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "t=" + peer));
        if (tls != null) {
            command.addAll(List.of("--cert-file", tls.certFile().toString(), "--key-file", tls.keyFile().toString(),
                    "--trusted-ca-file", tls.caFile().toString(), "--client-cert-auth"));
        }
        readyLinesBefore = readyLines();
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // ETCD_* variables of the caller would override the flags above.
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        process = pb.start();
        awaitReady();
    }

    /**
     * etcd's readiness signals are its health endpoint and, where that needs a client certificate
     * (TLS), the "ready to serve client requests" line of its log; either comes within a few hundred ms.
     */
    private void awaitReady() throws IOException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + ": " + tail());
            }
            try {
                if (tls != null) {
                    if (readyLines() > readyLinesBefore) {
                        return;
                    }
                } else {
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("\"true\"")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for etcd", e);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for etcd", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("etcd not ready within " + READY_TIMEOUT.toSeconds() + " s: " + tail());
    }

    private long readyLines() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("ready to serve client requests")).count();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String binary() {
        String b = System.getProperty("okube.etcd.binary");
        if (b == null || b.isBlank()) {
            b = System.getenv("ETCD_BIN");
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "etcd");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("no etcd binary: install Debian etcd-server, or set ETCD_BIN");
    }

    /** Ports the kernel hands out as free on loopback; all held open together so they differ. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
