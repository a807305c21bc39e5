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

    private TestApiServer(Path data) throws Exception {
        store = new EmbeddedKeyValueStore(ApiServerTest.storeConfig(data.resolve("storage")));
        server = TestSecurity.apiServer(ApiServerTest.config(data), store);
        String kubeconfig = Files.readString(data.resolve("admin.kubeconfig"));
        Matcher m = Pattern.compile("server: (http://\\S+)").matcher(kubeconfig);
        if (!m.find()) {
            close();
            throw new IllegalStateException("no server in " + kubeconfig);
        }
        base = m.group(1);
    }

    public static TestApiServer start(Path data) throws Exception {
        return new TestApiServer(data);
    }

    /** http://127.0.0.1:port */
    public String base() {
        return base;
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
