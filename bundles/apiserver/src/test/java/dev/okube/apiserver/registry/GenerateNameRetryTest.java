package dev.okube.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.StorageException;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.Json;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** A generated name that is taken is generated again (upstream's RetryGenerateName); a chosen name is not. */
class GenerateNameRetryTest {
    private static final ResourceDefinition CONFIGMAPS = EmbeddedStores.def("", "configmaps");

    @TempDir
    Path dir;
    private EmbeddedKeyValueStore embedded;
    private GenericRegistry registry;
    /** Creates still to be answered Conflict, whatever the key. */
    private final AtomicInteger conflicts = new AtomicInteger();
    private final List<String> keys = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        embedded = EmbeddedStores.open(dir);
        KeyValueStore store = (KeyValueStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("create")) {
                        keys.add((String) args[0]);
                        if (conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            return CompletableFuture.failedFuture(new StorageException.Conflict((String) args[0], null));
                        }
                    }
                    try {
                        return method.invoke(embedded, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        registry = new GenericRegistry(store, AdmissionChain.NONE, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        registry.close();
        embedded.deactivate();
    }

    private static ObjectNode configMap(String field, String value) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put(field, value);
        return cm;
    }

    @Test
    void aTakenGeneratedNameIsGeneratedAgain() {
        conflicts.set(2);
        ObjectNode created = registry.create(CONFIGMAPS, "default", configMap("generateName", "web-"),
                EmbeddedStores.WRITE);
        String name = created.path("metadata").path("name").asString();
        assertTrue(name.startsWith("web-") && name.length() == 9, name);
        assertEquals(3, keys.size());
        assertNotEquals(keys.get(0), keys.get(2));
        assertTrue(keys.get(2).endsWith("/" + name));
    }

    @Test
    void afterEightAttemptsItIsAlreadyExists() {
        conflicts.set(100);
        ApiException e = assertThrows(ApiException.class, () -> registry.create(CONFIGMAPS, "default",
                configMap("generateName", "web-"), EmbeddedStores.WRITE));
        assertEquals(409, e.code());
        assertEquals("AlreadyExists", e.reason());
        assertEquals(8, keys.size());
    }

    @Test
    void aChosenNameIsNeverChanged() {
        conflicts.set(1);
        ApiException e = assertThrows(ApiException.class, () -> registry.create(CONFIGMAPS, "default",
                configMap("name", "fixed"), EmbeddedStores.WRITE));
        assertEquals("configmaps \"fixed\" already exists", e.getMessage());
        assertEquals(1, keys.size());
    }
}
