package dev.okube.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceKind;
import dev.okube.api.resources.ResourceType;
import dev.okube.apiserver.admission.AdmissionPlugins;
import dev.okube.apiserver.crd.ContributedKinds;
import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.rest.Json;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** In-process reads from the watch caches, writes through the registry, and contributed kinds. */
class LocalClusterResourcesTest {
    private static final ResourceType CONFIGMAPS = ResourceType.core("configmaps");

    @TempDir
    Path dir;
    private EmbeddedKeyValueStore store;
    private GenericRegistry registry;
    private Registry resources;
    private AdmissionPlugins admission;
    private LocalClusterResources cluster;

    @BeforeEach
    void open() throws Exception {
        store = new EmbeddedKeyValueStore(ApiServerTest.storeConfig(dir));
        admission = new AdmissionPlugins(TestSecurity.admissionConfig());
        resources = new Registry(BuiltinResources.definitions());
        registry = new GenericRegistry(store, admission, Clock.systemUTC());
        cluster = new LocalClusterResources(resources, registry);
    }

    @AfterEach
    void close() {
        registry.close();
        store.deactivate();
    }

    private static ObjectNode configMap(String namespace, String name, String value) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", name).put("namespace", namespace);
        cm.putObject("data").put("k", value);
        return cm;
    }

    private static ResourceEvent next(BlockingQueue<ResourceEvent> events) throws InterruptedException {
        ResourceEvent e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event");
        }
        return e;
    }

    @Test
    void writesGoThroughAdmissionAndReadsSeeThem() {
        admission.add(new MutatingAdmission() {
            @Override
            public String name() {
                return "Labeler";
            }

            @Override
            public AdmissionResponse admit(dev.okube.api.admission.AdmissionRequest request) {
                assertEquals("system:apiserver", request.user().name());
                if (request.object() == null) {
                    return AdmissionResponse.allow(); // a DELETE
                }
                request.object().withObjectProperty("metadata").withObjectProperty("labels").put("seen", "yes");
                return AdmissionResponse.allow();
            }
        });
        ObjectNode created = cluster.create(CONFIGMAPS, configMap("a", "one", "1"));
        assertEquals("yes", created.path("metadata").path("labels").path("seen").asString());
        registry.cache(resources.findResource("", "configmaps").orElseThrow()).waitUntilFresh(
                Long.parseLong(created.path("metadata").path("resourceVersion").asString()));
        assertEquals("1", cluster.get(CONFIGMAPS, "a", "one").orElseThrow().path("data").path("k").asString());
        assertEquals(1, cluster.list(CONFIGMAPS, "").size());
        assertEquals(0, cluster.list(CONFIGMAPS, "b").size());
        assertTrue(cluster.get(CONFIGMAPS, "a", "on").isEmpty(), "a prefix of a name is not the name");

        ObjectNode stale = created.deepCopy();
        ObjectNode changed = created.deepCopy();
        changed.withObjectProperty("data").put("k", "changed");
        cluster.update(CONFIGMAPS, changed);
        ResourceException conflict = assertThrows(ResourceException.class, () -> cluster.update(CONFIGMAPS, stale));
        assertTrue(conflict.isConflict());
        ResourceException exists = assertThrows(ResourceException.class,
                () -> cluster.create(CONFIGMAPS, configMap("a", "one", "1")));
        assertEquals("AlreadyExists", exists.reason());
        cluster.delete(CONFIGMAPS, "a", "one");
        assertTrue(assertThrows(ResourceException.class, () -> cluster.delete(CONFIGMAPS, "a", "one")).isNotFound());
        assertTrue(assertThrows(ResourceException.class,
                () -> cluster.list(ResourceType.of("nope.example", "things"), "")).isNotFound());
    }

    @Test
    void watchStartsWithWhatExistsThenFollowsChanges() throws Exception {
        cluster.create(CONFIGMAPS, configMap("a", "before", "0"));
        BlockingQueue<ResourceEvent> events = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = cluster.watch(CONFIGMAPS, events::add)) {
            ResourceEvent first = next(events);
            assertEquals(ResourceEvent.Type.ADDED, first.type());
            assertEquals("before", first.object().path("metadata").path("name").asString());

            ObjectNode after = cluster.create(CONFIGMAPS, configMap("b", "after", "1"));
            assertEquals(ResourceEvent.Type.ADDED, next(events).type());
            ObjectNode changed = after.deepCopy();
            changed.withObjectProperty("data").put("k", "2");
            cluster.update(CONFIGMAPS, changed);
            ResourceEvent modified = next(events);
            assertEquals(ResourceEvent.Type.MODIFIED, modified.type());
            assertEquals("1", modified.oldObject().path("data").path("k").asString());
            assertEquals("2", modified.object().path("data").path("k").asString());
            cluster.delete(CONFIGMAPS, "b", "after");
            assertEquals(ResourceEvent.Type.DELETED, next(events).type());
        }
    }

    @Test
    void contributedKindsAreServedWhileRegistered() {
        ContributedKinds kinds = new ContributedKinds(resources, registry);
        ResourceKind widgets = new ResourceKind() {
            @Override
            public String group() {
                return "example.okube.dev";
            }

            @Override
            public String version() {
                return "v1alpha1";
            }

            @Override
            public String kind() {
                return "Widget";
            }

            @Override
            public String plural() {
                return "widgets";
            }

            @Override
            public boolean namespaced() {
                return true;
            }

            @Override
            public void applyDefaults(ObjectNode object) {
                object.withObjectProperty("spec").put("size", object.path("spec").path("size").asInt(3));
            }

            @Override
            public List<String> validate(ObjectNode object) {
                return object.path("spec").path("size").asInt() > 10 ? List.of("spec.size: Invalid value: "
                        + object.path("spec").path("size").asInt() + ": must be at most 10") : List.of();
            }
        };
        ResourceType type = ResourceType.of("example.okube.dev", "widgets");
        assertFalse(cluster.serves(type));
        kinds.add(widgets);
        assertTrue(cluster.serves(type));
        ObjectNode w = Json.object().put("apiVersion", "example.okube.dev/v1alpha1").put("kind", "Widget");
        w.putObject("metadata").put("name", "w").put("namespace", "a");
        w.putObject("spec").put("extra", "kept");
        ObjectNode created = cluster.create(type, w);
        assertEquals(3, created.path("spec").path("size").asInt());
        assertEquals("kept", created.path("spec").path("extra").asString());
        ObjectNode big = w.deepCopy();
        big.withObjectProperty("metadata").put("name", "big");
        big.withObjectProperty("spec").put("size", 11);
        ResourceException invalid = assertThrows(ResourceException.class, () -> cluster.create(type, big));
        assertEquals(422, invalid.code());
        assertTrue(invalid.getMessage().contains("spec.size: Invalid value: 11: must be at most 10"), invalid.getMessage());
        kinds.remove(widgets);
        assertFalse(cluster.serves(type));
    }

    @Test
    void contributedKindsPublishTheirOpenApiDocumentWhileServed() {
        dev.okube.apiserver.openapi.OpenApi openApi = new dev.okube.apiserver.openapi.OpenApi(java.util.Map.of());
        ContributedKinds kinds = new ContributedKinds(resources, registry, openApi);
        ResourceKind gadgets = new ResourceKind() {
            @Override
            public String group() {
                return "example.okube.dev";
            }

            @Override
            public String version() {
                return "v1beta1";
            }

            @Override
            public String kind() {
                return "Gadget";
            }

            @Override
            public String plural() {
                return "gadgets";
            }

            @Override
            public boolean namespaced() {
                return true;
            }
        };
        String path = "apis/example.okube.dev/v1beta1";
        kinds.add(gadgets);
        // kubectl validates create and apply against this document; without it, it refuses them.
        String doc = new String(openApi.document(path).json(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(doc.contains("Gadget") && doc.contains("/apis/example.okube.dev/v1beta1/namespaces/{namespace}/gadgets"), doc);
        assertTrue(new String(openApi.index(), java.nio.charset.StandardCharsets.UTF_8).contains(path));
        kinds.remove(gadgets);
        assertEquals(null, openApi.document(path));
    }
}
