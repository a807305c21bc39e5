package dev.okube.benchmarks.apiload;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A private copy of the okube distribution on free ports, started with bin/start and stopped by
 * PID, for the benchmark programs; requests go over TLS as the generated admin.
 */
final class OkubeInstance {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path dist;
    private final Path home;
    private int apiPort;
    private long pid = -1;
    private final Thread reaper = new Thread(this::kill, "karaf-reaper");

    OkubeInstance(Path dist, Path home) throws IOException {
        this.dist = dist;
        this.home = home;
        copyTree(dist, home, Set.of("data", "lock", "karaf.pid", "instances"));
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    URI baseUri() {
        return URI.create("https://127.0.0.1:" + apiPort);
    }

    /** TLS as the admin of the generated kubeconfig: trusts data/okube/pki/ca.crt, presents admin.crt. */
    SSLContext adminTls() throws Exception {
        return AdminTls.sslContext(home.resolve("data/okube/pki"));
    }

    /** Fresh data/, new free ports, and the etcd backend when an endpoint is given (else the embedded store). */
    void prepare(String etcdEndpoint) throws IOException {
        deleteTree(home.resolve("data"));
        Files.deleteIfExists(home.resolve("karaf.pid"));
        apiPort = freePort();
        setProperty("etc/dev.okube.apiserver.cfg", "port", String.valueOf(apiPort));
        setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort()));
        Path features = home.resolve("etc/org.apache.karaf.features.cfg");
        Files.copy(dist.resolve("etc/org.apache.karaf.features.cfg"), features, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(home.resolve("etc/dev.okube.storage.etcd.cfg"));
        if (etcdEndpoint != null) {
            Files.writeString(home.resolve("etc/dev.okube.storage.etcd.cfg"), "endpoints = " + etcdEndpoint + "\n");
            setProperty("etc/org.apache.karaf.features.cfg", "featuresBoot",
                    "eventadmin,feature,shell,ssh,jaas,deployer,bundle,config,log,package,service,system,diagnostic,"
                            + "kar,scr,okube-storage-etcd,okube-all-in-one");
        }
    }

    void start() throws Exception {
        Process p = new ProcessBuilder(home.resolve("bin/start").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/start exited with " + p.exitValue());
        }
        HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve("/readyz")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            readPid();
            try {
                // The first boot writes the PKI before the API listens.
                HttpClient http = HttpClient.newBuilder().sslContext(adminTls())
                        .connectTimeout(Duration.ofSeconds(1)).build();
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet, or the PKI not written yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("/readyz did not answer 200 within " + READY_TIMEOUT.toSeconds() + " s");
    }

    /** bin/stop, then up to 30 s for the process to go, then SIGKILL to that PID. */
    void stop() {
        readPid();
        if (pid < 0) {
            return;
        }
        try {
            new ProcessBuilder(home.resolve("bin/stop").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        } catch (Exception e) {
            kill();
        }
        kill();
        pid = -1;
    }

    private void readPid() {
        Path file = home.resolve("karaf.pid");
        try {
            String s = pid < 0 && Files.exists(file) ? Files.readString(file).trim() : "";
            if (!s.isEmpty()) {
                pid = Long.parseLong(s);
            }
        } catch (IOException | NumberFormatException e) {
            // Not written completely yet; the next look finds it.
        }
    }

    private void kill() {
        if (pid >= 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Replaces {@code key = ...} (with its backslash-continued lines) by {@code key = value}. */
    private void setProperty(String file, String key, String value) throws IOException {
        Path f = home.resolve(file);
        List<String> out = new ArrayList<>();
        boolean found = false;
        boolean skipping = false;
        for (String line : Files.readAllLines(f)) {
            if (skipping) {
                skipping = line.endsWith("\\");
                continue;
            }
            if (line.matches("^\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                out.add(key + " = " + value);
                found = true;
                skipping = line.endsWith("\\");
                continue;
            }
            out.add(line);
        }
        if (!found) {
            out.add(key + " = " + value);
        }
        Files.write(f, out);
    }

    Path home() {
        return home;
    }

    int sshPort() throws IOException {
        for (String line : Files.readAllLines(home.resolve("etc/org.apache.karaf.shell.cfg"))) {
            if (line.matches("^\\s*sshPort\\s*=.*")) {
                return Integer.parseInt(line.substring(line.indexOf('=') + 1).trim());
            }
        }
        throw new IOException("no sshPort in etc/org.apache.karaf.shell.cfg");
    }

    /** An HTTP client acting as the cluster's admin. */
    HttpClient http() throws Exception {
        return HttpClient.newBuilder().sslContext(adminTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * CPU time (user + system) the Karaf process has used so far, from /proc/PID/stat; -1 where that
     * cannot be read. Differences of it measure the server's cost on a machine shared with other work.
     */
    long cpuNanos() {
        readPid();
        if (pid < 0) {
            return -1;
        }
        try {
            return cpuNanosFromStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (fields 14 and 15, after the parenthesised command name) in nanoseconds, at 100 ticks/s. */
    static long cpuNanosFromStat(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 10_000_000L;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void copyTree(Path from, Path to, Set<String> skipTopLevel) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(p);
                if (rel.getNameCount() > 0 && skipTopLevel.contains(rel.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
