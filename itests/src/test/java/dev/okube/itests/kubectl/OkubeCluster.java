package dev.okube.itests.kubectl;

import dev.okube.itests.KubeconfigTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real okube started from the built distribution, as a user starts it (bin/start), in a private
 * copy on free ports; with helpers to run the real kubectl against it.
 */
final class OkubeCluster implements AutoCloseable {
    private final Path home;
    private final int apiPort;
    private final Path kubeconfig;
    private final Path kubectlCache;

    private OkubeCluster(Path home, int apiPort) {
        this.home = home;
        this.apiPort = apiPort;
        this.kubeconfig = home.resolve("data/okube/admin.kubeconfig");
        this.kubectlCache = home.resolve("kubectl-cache");
    }

    static OkubeCluster start() throws Exception {
        Path dist = Paths.get(System.getProperty("okube.distribution", "../karaf-distribution/target/okube"));
        if (!Files.isExecutable(dist.resolve("bin/start"))) {
            throw new IllegalStateException(dist + " is not a built distribution");
        }
        Path home = Files.createTempDirectory("okube-it");
        copy(dist, home);
        deleteTree(home.resolve("data"));
        int port = freePort();
        replaceLine(home.resolve("etc/dev.okube.apiserver.cfg"), "port", "port = " + port);
        replaceLine(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", "sshPort = " + freePort());
        OkubeCluster cluster = new OkubeCluster(home, port);
        cluster.startKaraf();
        return cluster;
    }

    void startKaraf() throws Exception {
        run(List.of(home.resolve("bin/start").toString()), 60);
        awaitReady();
    }

    void stopKaraf() throws Exception {
        Path pidFile = home.resolve("karaf.pid");
        String pid = Files.exists(pidFile) ? Files.readString(pidFile).trim() : null;
        run(List.of(home.resolve("bin/stop").toString()), 60);
        if (pid != null) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                try {
                    p.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    /** Stops and starts the same cluster: state in data/ must survive. */
    void restart() throws Exception {
        stopKaraf();
        startKaraf();
    }

    /** The API's HTTPS URL. */
    String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** The cluster's Karaf home (etc/ takes configuration files at run time). */
    Path home() {
        return home;
    }

    /** An HTTPS client that trusts the cluster CA and presents the admin certificate (O=system:masters). */
    HttpClient adminHttp() {
        return tls().adminHttp();
    }

    /** An HTTPS client that trusts the cluster CA and presents no client certificate: an anonymous user. */
    HttpClient anonymousHttp() {
        return tls().anonymousHttp();
    }

    /** The cluster CA (PEM), for {@code curl --cacert}. */
    Path caFile() {
        return home.resolve("data/okube/pki/ca.crt");
    }

    /** The admin client certificate and key (PEM), for {@code curl --cert ... --key ...}. */
    Path adminCertFile() {
        return home.resolve("data/okube/pki/admin.crt");
    }

    Path adminKeyFile() {
        return home.resolve("data/okube/pki/admin.key");
    }

    private KubeconfigTls tls() {
        try {
            return KubeconfigTls.read(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for /readyz to answer 200 over TLS as the admin (anonymous requests may be denied). The kubeconfig
     * is written once the API listens; on a restart the previous one is valid too (the CA and admin certificate
     * are kept in data/).
     */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(kubeconfig)) {
                try {
                    HttpClient http = KubeconfigTls.read(kubeconfig).adminHttp();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException | IllegalStateException notYet) {
                    // not listening yet, or the kubeconfig is being replaced
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("okube did not become ready; log:\n" + tail(home.resolve("data/log/karaf.log")));
    }

    /** The outcome of one kubectl run. */
    record Result(int exitCode, String stdout, String stderr) {
        String out() {
            return stdout;
        }

        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + stderr + stdout);
            }
            return this;
        }
    }

    Result kubectl(String... args) throws Exception {
        return kubectlWithInput(null, args);
    }

    Result kubectlWithInput(String stdin, String... args) throws Exception {
        return runWithInput(stdin, "kubectl", args);
    }

    Result run(String kubectl, String... args) throws Exception {
        return runWithInput(null, kubectl, args);
    }

    /**
     * A specific kubectl build. The kubectl on PATH is a dispatcher that picks the build matching
     * the server's minor version; the builds (kubectl.1.27 … kubectl.1.33) sit next to it.
     */
    static Path kubectlBuild(String version) throws IOException {
        for (String dir : System.getenv("PATH").split(":")) {
            Path dispatcher = Paths.get(dir, "kubectl");
            if (Files.isExecutable(dispatcher)) {
                Path build = dispatcher.toRealPath().resolveSibling("kubectl." + version);
                if (Files.isExecutable(build)) {
                    return build;
                }
            }
        }
        throw new IllegalStateException("no kubectl." + version + " next to the kubectl on PATH");
    }

    Result runWithInput(String stdin, String kubectl, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(kubectl);
        command.add("--kubeconfig=" + kubeconfig);
        command.add("--cache-dir=" + kubectlCache);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Path out = Files.createTempFile(home, "kubectl", ".out");
        Path err = Files.createTempFile(home, "kubectl", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * Runs one Karaf shell command in the cluster (bin/client, batch mode), e.g.
     * {@code feature:uninstall okube-admission-podpreset} or {@code kube:admission}.
     */
    Result shell(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/client").toString(), "-r", "30", "-d", "1", command);
        Path out = Files.createTempFile(home, "client", ".out");
        Path err = Files.createTempFile(home, "client", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/client \"" + command + "\" did not finish in 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts kubectl in the background (for -w); the caller destroys it. */
    Process kubectlBackground(Path stdout, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig,
                "--cache-dir=" + kubectlCache));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectErrorStream(true).start();
    }

    @Override
    public void close() throws Exception {
        try {
            stopKaraf();
        } finally {
            deleteTree(home);
        }
    }

    private static void run(List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void replaceLine(Path file, String key, String line) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*" + key + "\\s*=.*")) {
                lines.set(i, line);
                found = true;
            }
        }
        if (!found) {
            lines.add(line);
        }
        Files.write(file, lines);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
