package dev.okube.apiserver;

import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real apiserver on the embedded store and a free port, for tests outside this package. */
public final class TestApiServer implements AutoCloseable {
    private final EmbeddedKeyValueStore store;
    private final ApiServer server;
    private final String base;
    private final java.net.http.HttpClient http;
    private final Path data;

    private TestApiServer(Path data) throws Exception {
        this.data = data;
        store = new EmbeddedKeyValueStore(ApiServerTest.storeConfig(data.resolve("storage")));
        server = TestSecurity.apiServer(ApiServerTest.config(data), store);
        String kubeconfig = Files.readString(data.resolve("admin.kubeconfig"));
        Matcher m = Pattern.compile("server: (https://\\S+)").matcher(kubeconfig);
        if (!m.find()) {
            close();
            throw new IllegalStateException("no server in " + kubeconfig);
        }
        base = m.group(1);
        http = TestTls.admin(data);
    }

    public static TestApiServer start(Path data) throws Exception {
        return new TestApiServer(data);
    }

    /** https://127.0.0.1:port */
    public String base() {
        return base;
    }

    /** A TLS socket to the server, trusting the cluster CA and presenting the admin certificate, for raw HTTP. */
    public java.net.Socket socket() throws Exception {
        java.net.URI uri = java.net.URI.create(base);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TestTls.adminContext(data).getSocketFactory()
                .createSocket(uri.getHost(), uri.getPort());
        socket.startHandshake();
        return socket;
    }

    /** An HTTPS client that trusts the cluster CA and authenticates as the admin (system:masters). */
    public java.net.http.HttpClient http() {
        return http;
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            store.deactivate();
        }
    }
}
