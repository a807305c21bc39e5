package dev.okube.apiserver.registry;

import static dev.okube.apiserver.registry.EmbeddedStores.DRY_RUN;
import static dev.okube.apiserver.registry.EmbeddedStores.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.storage.KeyValue;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.ApiSelectors;
import dev.okube.apiserver.rest.Json;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The generic store's upstream semantics, against the real embedded store. */
class GenericRegistryTest {
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    private static final ResourceDefinition CONFIGMAPS = EmbeddedStores.def("", "configmaps");
    private static final ResourceDefinition DEPLOYMENTS = EmbeddedStores.def("apps", "deployments");
    private static final ResourceDefinition PODS = EmbeddedStores.def("", "pods");
    private static final ResourceDefinition EVENTS = EmbeddedStores.def("", "events");
    private static final ResourceDefinition SECRETS = EmbeddedStores.def("", "secrets");

    @TempDir
    Path dir;
    private EmbeddedKeyValueStore store;
    private GenericRegistry registry;

    @BeforeEach
    void open() throws Exception {
        store = EmbeddedStores.open(dir);
        // A fixed clock makes creation and deletion timestamps exact.
        registry = new GenericRegistry(store, AdmissionChain.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        registry.close();
        store.deactivate();
    }

    // ---- helpers ----

    static ObjectNode configMap(String name, String... labels) {
        ObjectNode cm = Json.object();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", name);
        ObjectNode l = meta.putObject("labels");
        for (int i = 0; i + 1 < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        cm.putObject("data").put("k", "v");
        return cm;
    }

    private static ObjectNode deployment(String name, String image) {
        ObjectNode d = Json.object();
        d.put("apiVersion", "apps/v1");
        d.put("kind", "Deployment");
        d.putObject("metadata").put("name", name);
        ObjectNode spec = d.putObject("spec");
        spec.put("replicas", 1);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        ObjectNode c = template.putObject("spec").putArray("containers").addObject();
        c.put("name", "c");
        c.put("image", image);
        return d;
    }

    private static ObjectNode pod(String name, String node) {
        ObjectNode p = Json.object();
        p.put("apiVersion", "v1");
        p.put("kind", "Pod");
        p.putObject("metadata").put("name", name);
        ObjectNode spec = p.putObject("spec");
        ObjectNode c = spec.putArray("containers").addObject();
        c.put("name", "c");
        c.put("image", "busybox");
        if (node != null) {
            spec.put("nodeName", node);
        }
        return p;
    }

    private static String rv(ObjectNode o) {
        return Json.text(o, "metadata", "resourceVersion");
    }

    private KeyValue stored(ResourceDefinition def, String namespace, String name) throws Exception {
        return store.get(def.key(namespace, name)).get(10, TimeUnit.SECONDS);
    }

    private ObjectNode create(ObjectNode object) {
        return registry.create(CONFIGMAPS, "default", object, WRITE);
    }

    private static ListOptions selected(String labels, String fields, ResourceDefinition def) {
        ApiSelectors s = new ApiSelectors();
        return new ListOptions(labels == null ? ListOptions.ALL.labelSelector() : s.labels(labels),
                fields == null ? ListOptions.ALL.fieldSelector() : s.fields(def, fields), "", "", 0, "", false, 0);
    }

    private static ListOptions page(long limit, String continueToken) {
        return new ListOptions(ListOptions.ALL.labelSelector(), ListOptions.ALL.fieldSelector(), "", "", limit,
                continueToken, false, 0);
    }

    private static List<String> names(List<ObjectNode> items) {
        return items.stream().map(StoredObjects::name).toList();
    }

    // ---- create ----

    @Test
    void createSetsUidTimestampAndTheStorageModRevision() throws Exception {
        ObjectNode created = create(configMap("a"));
        ObjectNode meta = (ObjectNode) created.get("metadata");
        assertEquals(36, Json.text(meta, "uid").length(), meta.toString());
        assertEquals("2026-03-04T05:06:07Z", Json.text(meta, "creationTimestamp"));
        assertEquals("default", Json.text(meta, "namespace"));
        KeyValue kv = stored(CONFIGMAPS, "default", "a");
        assertEquals(Long.toString(kv.modRevision()), rv(created));
        assertEquals(created, registry.get(CONFIGMAPS, "default", "a"));
        assertNull(meta.get("generation"), "configmaps do not track generation");
    }

    @Test
    void generateNameAppendsFiveCharacters() {
        ObjectNode cm = configMap("");
        ((ObjectNode) cm.get("metadata")).remove("name");
        ((ObjectNode) cm.get("metadata")).put("generateName", "gen-");
        String name = StoredObjects.name(create(cm));
        assertTrue(name.matches("gen-[a-z0-9]{5}"), name);
        assertNotNull(registry.get(CONFIGMAPS, "default", name));
    }

    @Test
    void createOfAnExistingNameIsAlreadyExists() {
        create(configMap("x"));
        ApiException e = assertThrows(ApiException.class, () -> create(configMap("x")));
        assertEquals(409, e.code());
        assertEquals("AlreadyExists", e.reason());
        assertEquals("configmaps \"x\" already exists", e.getMessage());
    }

    @Test
    void createWithResourceVersionIsBadRequest() {
        ObjectNode cm = configMap("x");
        ((ObjectNode) cm.get("metadata")).put("resourceVersion", "5");
        assertEquals(400, assertThrows(ApiException.class, () -> create(cm)).code());
    }

    @Test
    void notFoundNamesTheGroupQualifiedResource() {
        ApiException e = assertThrows(ApiException.class, () -> registry.get(DEPLOYMENTS, "default", "x"));
        assertEquals(404, e.code());
        assertEquals("deployments.apps \"x\" not found", e.getMessage());
        ApiException core = assertThrows(ApiException.class, () -> registry.get(CONFIGMAPS, "default", "x"));
        assertEquals("configmaps \"x\" not found", core.getMessage());
    }

    // ---- update ----

    @Test
    void updateWithAStaleResourceVersionConflicts() {
        ObjectNode first = create(configMap("x"));
        ObjectNode second = first.deepCopy();
        ((ObjectNode) second.get("data")).put("k", "v2");
        ObjectNode updated = registry.update(CONFIGMAPS, "default", "x", "", second, WRITE);
        assertNotEquals(rv(first), rv(updated));

        ObjectNode stale = first.deepCopy();
        ((ObjectNode) stale.get("data")).put("k", "v3");
        ApiException e = assertThrows(ApiException.class,
                () -> registry.update(CONFIGMAPS, "default", "x", "", stale, WRITE));
        assertEquals(409, e.code());
        assertEquals("Conflict", e.reason());
        assertEquals("Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please apply "
                + "your changes to the latest version and try again", e.getMessage());
        assertEquals("v2", Json.text(registry.get(CONFIGMAPS, "default", "x"), "data", "k"));
    }

    @Test
    void unconditionalUpdatesRetryUntilEveryWriterWins() throws Exception {
        create(configMap("counter"));
        int writers = 4;
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        // Expected revision 0: conflicts with the other writers are retried, never surfaced.
                        registry.guaranteedUpdate(CONFIGMAPS, "default", "counter", 0, cm -> {
                            ObjectNode data = (ObjectNode) cm.get("data");
                            data.put("n", Integer.toString(Integer.parseInt(data.path("n").asString("0")) + 1));
                            return cm;
                        }, "", WRITE);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Integer.toString(writers * each),
                Json.text(registry.get(CONFIGMAPS, "default", "counter"), "data", "n"));

        // A PUT without resourceVersion is unconditional too.
        ObjectNode put = configMap("counter");
        ObjectNode result = registry.update(CONFIGMAPS, "default", "counter", "", put, WRITE);
        assertEquals("v", Json.text(result, "data", "k"));
        assertNull(Json.at(result, "data", "n"));
    }

    @Test
    void updateOfAMissingObjectIsNotFound() {
        ApiException e = assertThrows(ApiException.class,
                () -> registry.update(DEPLOYMENTS, "default", "x", "", deployment("x", "nginx"), WRITE));
        assertEquals(404, e.code());
        assertEquals("deployments.apps \"x\" not found", e.getMessage());
    }

    @Test
    void noOpUpdateKeepsTheResourceVersion() throws Exception {
        ObjectNode created = create(configMap("x"));
        ObjectNode same = registry.update(CONFIGMAPS, "default", "x", "", created.deepCopy(), WRITE);
        assertEquals(rv(created), rv(same));
        assertEquals(Long.toString(stored(CONFIGMAPS, "default", "x").modRevision()), rv(created));
    }

    @Test
    void updateFillsAMissingUidButRefusesAnotherOne() {
        ObjectNode created = create(configMap("x"));
        ObjectNode withoutUid = created.deepCopy();
        ((ObjectNode) withoutUid.get("metadata")).remove("uid");
        ((ObjectNode) withoutUid.get("data")).put("k", "v2");
        ObjectNode updated = registry.update(CONFIGMAPS, "default", "x", "", withoutUid, WRITE);
        assertEquals(Json.text(created, "metadata", "uid"), Json.text(updated, "metadata", "uid"));

        ObjectNode otherUid = updated.deepCopy();
        ((ObjectNode) otherUid.get("metadata")).put("uid", "00000000-0000-0000-0000-000000000000");
        ApiException e = assertThrows(ApiException.class,
                () -> registry.update(CONFIGMAPS, "default", "x", "", otherUid, WRITE));
        assertEquals(422, e.code());
        assertEquals("ConfigMap \"x\" is invalid: metadata.uid: Invalid value: "
                + "\"00000000-0000-0000-0000-000000000000\": field is immutable", e.getMessage());
    }

    @Test
    void generationBumpsOnlyOnSpecChanges() {
        ObjectNode created = registry.create(DEPLOYMENTS, "default", deployment("web", "nginx:1"), WRITE);
        assertEquals(1, Json.at(created, "metadata", "generation").asInt());

        ObjectNode labelled = created.deepCopy();
        Json.objectAt(labelled, "metadata", "labels").put("tier", "front");
        labelled = registry.update(DEPLOYMENTS, "default", "web", "", labelled, WRITE);
        assertEquals(1, Json.at(labelled, "metadata", "generation").asInt(), "a metadata change keeps generation");

        ObjectNode status = labelled.deepCopy();
        Json.objectAt(status, "status").put("replicas", 1);
        status = registry.update(DEPLOYMENTS, "default", "web", "status", status, WRITE);
        assertEquals(1, Json.at(status, "metadata", "generation").asInt(), "a status write keeps generation");

        ObjectNode spec = status.deepCopy();
        ((ObjectNode) Json.at(spec, "spec", "template", "spec", "containers").get(0)).put("image", "nginx:2");
        spec = registry.update(DEPLOYMENTS, "default", "web", "", spec, WRITE);
        assertEquals(2, Json.at(spec, "metadata", "generation").asInt());

        ObjectNode again = spec.deepCopy();
        ((ObjectNode) Json.at(again, "spec")).put("replicas", 3);
        assertEquals(3, Json.at(registry.update(DEPLOYMENTS, "default", "web", "", again, WRITE),
                "metadata", "generation").asInt());
    }

    @Test
    void mainUpdateKeepsStatusAndStatusUpdateKeepsSpecAndMetadata() {
        ObjectNode created = registry.create(DEPLOYMENTS, "default", deployment("web", "nginx:1"), WRITE);

        ObjectNode statusWrite = created.deepCopy();
        Json.objectAt(statusWrite, "status").put("readyReplicas", 1);
        ((ObjectNode) statusWrite.get("spec")).put("replicas", 9);
        Json.objectAt(statusWrite, "metadata", "labels").put("sneaky", "yes");
        ObjectNode afterStatus = registry.update(DEPLOYMENTS, "default", "web", "status", statusWrite, WRITE);
        assertEquals(registry.get(DEPLOYMENTS, "default", "web").toString(), afterStatus.toString(),
                "a status write answers the stored object with its new resourceVersion");
        assertNotEquals(rv(created), rv(afterStatus));
        assertEquals(1, Json.at(afterStatus, "status", "readyReplicas").asInt());
        assertEquals(1, Json.at(afterStatus, "spec", "replicas").asInt(), "spec stays on a status write");
        assertNull(Json.at(afterStatus, "metadata", "labels", "sneaky"), "metadata stays on a status write");

        ObjectNode mainWrite = afterStatus.deepCopy();
        Json.objectAt(mainWrite, "status").put("readyReplicas", 7);
        ((ObjectNode) mainWrite.get("spec")).put("replicas", 2);
        ObjectNode afterMain = registry.update(DEPLOYMENTS, "default", "web", "", mainWrite, WRITE);
        assertEquals(2, Json.at(afterMain, "spec", "replicas").asInt());
        assertEquals(1, Json.at(afterMain, "status", "readyReplicas").asInt(), "status is reset to the stored one");
        assertEquals(afterMain.toString(), registry.get(DEPLOYMENTS, "default", "web").toString());
    }

    @Test
    void statusOnCreateIsDropped() {
        ObjectNode d = deployment("web", "nginx");
        d.putObject("status").put("replicas", 5);
        ObjectNode created = registry.create(DEPLOYMENTS, "default", d, WRITE);
        assertNull(Json.at(created, "status", "replicas"));
    }

    @Test
    void aBindingKeepsThePodScheduledConditionItSets() {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "bound");
        pod.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "busybox");
        registry.create(PODS, "default", pod, WRITE);
        ObjectNode bound = registry.guaranteedUpdate(PODS, "default", "bound", 0, p -> {
            ((ObjectNode) p.get("spec")).put("nodeName", "n1");
            Json.objectAt(p, "status").putArray("conditions").addObject().put("type", "PodScheduled").put("status", "True");
            return p;
        }, "binding", WRITE);
        assertEquals("n1", Json.text(bound, "spec", "nodeName"));
        assertEquals("True", Json.text(bound.get("status").get("conditions").get(0), "status"));
    }

    @Test
    void aNodeKeepsItsStatusOnCreateAsAKubeletRegistersIt() {
        ObjectNode node = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        node.putObject("metadata").put("name", "n1");
        node.putObject("status").putObject("allocatable").put("cpu", "4");
        ObjectNode created = registry.create(EmbeddedStores.def("", "nodes"), "", node, WRITE);
        assertEquals("4", Json.text(created, "status", "allocatable", "cpu"));
    }

    // ---- delete ----

    @Test
    void deleteWithFinalizersMarksAndTheLastFinalizerDeletes() throws Exception {
        ObjectNode cm = configMap("held");
        ((ObjectNode) cm.get("metadata")).putArray("finalizers").add("example.com/a").add("example.com/b");
        create(cm);

        GenericRegistry.Deleted marked = registry.delete(CONFIGMAPS, "default", "held", DeleteOptions.DEFAULT, WRITE);
        assertFalse(marked.gone());
        assertEquals("2026-03-04T05:06:07Z", Json.text(marked.object(), "metadata", "deletionTimestamp"));
        assertEquals(0, Json.at(marked.object(), "metadata", "deletionGracePeriodSeconds").asInt());
        ObjectNode current = registry.get(CONFIGMAPS, "default", "held");
        // Compared as JSON text: the returned tree holds longs where the decoded one holds ints.
        assertEquals(marked.object().toString(), current.toString());

        ((ObjectNode) current.get("metadata")).putArray("finalizers").add("example.com/b");
        ObjectNode oneLeft = registry.update(CONFIGMAPS, "default", "held", "", current, WRITE);
        assertEquals("2026-03-04T05:06:07Z", Json.text(oneLeft, "metadata", "deletionTimestamp"));
        assertNotNull(stored(CONFIGMAPS, "default", "held"));

        ((ObjectNode) oneLeft.get("metadata")).remove("finalizers");
        ObjectNode last = registry.update(CONFIGMAPS, "default", "held", "", oneLeft, WRITE);
        assertNull(stored(CONFIGMAPS, "default", "held"), "removing the last finalizer deletes");
        assertTrue(Long.parseLong(rv(last)) > Long.parseLong(rv(oneLeft)), "the result carries the deletion revision");
    }

    @Test
    void scheduledPodsAreDeletedGracefully() throws Exception {
        registry.create(PODS, "default", pod("running", "node-1"), WRITE);
        GenericRegistry.Deleted d = registry.delete(PODS, "default", "running", DeleteOptions.DEFAULT, WRITE);
        assertFalse(d.gone());
        assertEquals(30, Json.at(d.object(), "metadata", "deletionGracePeriodSeconds").asInt());
        assertEquals("2026-03-04T05:06:37Z", Json.text(d.object(), "metadata", "deletionTimestamp"));
        assertNotNull(stored(PODS, "default", "running"));

        // The kubelet's final delete with grace 0 removes it.
        GenericRegistry.Deleted gone = registry.delete(PODS, "default", "running",
                new DeleteOptions(0L, null, null, null), WRITE);
        assertTrue(gone.gone());
        assertNull(stored(PODS, "default", "running"));
    }

    @Test
    void unscheduledPodsGoAtOnce() throws Exception {
        registry.create(PODS, "default", pod("pending", null), WRITE);
        GenericRegistry.Deleted d = registry.delete(PODS, "default", "pending", DeleteOptions.DEFAULT, WRITE);
        assertTrue(d.gone());
        assertNull(stored(PODS, "default", "pending"));
    }

    @Test
    void deletePreconditionsOnUidAndResourceVersion() throws Exception {
        ObjectNode created = create(configMap("x"));
        String uid = Json.text(created, "metadata", "uid");

        ApiException wrongUid = assertThrows(ApiException.class, () -> registry.delete(CONFIGMAPS, "default", "x",
                new DeleteOptions(null, null, "not-the-uid", null), WRITE));
        assertEquals(409, wrongUid.code());
        assertEquals("Operation cannot be fulfilled on configmaps \"x\": Precondition failed: UID in precondition: "
                + "not-the-uid, UID in object meta: " + uid, wrongUid.getMessage());

        ApiException wrongRv = assertThrows(ApiException.class, () -> registry.delete(CONFIGMAPS, "default", "x",
                new DeleteOptions(null, null, null, "1"), WRITE));
        assertEquals(409, wrongRv.code());
        assertTrue(wrongRv.getMessage().contains("Precondition failed: ResourceVersion in precondition: 1"),
                wrongRv.getMessage());
        assertNotNull(stored(CONFIGMAPS, "default", "x"));

        assertTrue(registry.delete(CONFIGMAPS, "default", "x", new DeleteOptions(null, null, uid, rv(created)),
                WRITE).gone());
        assertNull(stored(CONFIGMAPS, "default", "x"));
        assertEquals(404, assertThrows(ApiException.class, () -> registry.delete(CONFIGMAPS, "default", "x",
                DeleteOptions.DEFAULT, WRITE)).code());
    }

    @Test
    void orphanAndForegroundAddTheirFinalizers() {
        create(configMap("orphaned"));
        create(configMap("foreground"));
        GenericRegistry.Deleted orphan = registry.delete(CONFIGMAPS, "default", "orphaned",
                new DeleteOptions(null, "Orphan", null, null), WRITE);
        assertFalse(orphan.gone());
        assertEquals(List.of("orphan"), GenericRegistry.finalizers(orphan.object()));
        assertNotNull(Json.at(orphan.object(), "metadata", "deletionTimestamp"));

        GenericRegistry.Deleted fg = registry.delete(CONFIGMAPS, "default", "foreground",
                new DeleteOptions(null, "Foreground", null, null), WRITE);
        assertFalse(fg.gone());
        assertEquals(List.of("foregroundDeletion"),
                GenericRegistry.finalizers(registry.get(CONFIGMAPS, "default", "foreground")));

        // Background deletes at once.
        create(configMap("background"));
        assertTrue(registry.delete(CONFIGMAPS, "default", "background",
                new DeleteOptions(null, "Background", null, null), WRITE).gone());
    }

    @Test
    void deleteCollectionDeletesTheMatchingObjectsOnly() {
        for (int i = 0; i < 3; i++) {
            create(configMap("one-" + i, "set", "one"));
        }
        for (int i = 0; i < 2; i++) {
            create(configMap("two-" + i, "set", "two"));
        }
        registry.create(CONFIGMAPS, "other", configMap("one-x", "set", "one"), WRITE);
        List<ObjectNode> deleted = registry.deleteCollection(CONFIGMAPS, "default",
                selected("set=one", null, CONFIGMAPS), DeleteOptions.DEFAULT, WRITE);
        assertEquals(List.of("one-0", "one-1", "one-2"), names(deleted));
        assertEquals(List.of("two-0", "two-1"), names(registry.list(CONFIGMAPS, "default", ListOptions.ALL).items()));
        assertEquals(List.of("one-x"), names(registry.list(CONFIGMAPS, "other", ListOptions.ALL).items()));
    }

    // ---- list ----

    @Test
    void pagingReadsEveryPageAtTheFirstPagesRevision() {
        for (int i = 0; i < 25; i++) {
            create(configMap(String.format("cm-%02d", i)));
        }
        GenericRegistry.ListResult first = registry.list(CONFIGMAPS, "default", page(10, ""));
        assertEquals(10, first.items().size());
        assertFalse(first.continueToken().isEmpty());
        assertEquals(15L, first.remaining());

        // Written after the first page: a consistent paged list never shows it.
        create(configMap("cm-99-late"));
        registry.delete(CONFIGMAPS, "default", "cm-20", DeleteOptions.DEFAULT, WRITE);

        GenericRegistry.ListResult second = registry.list(CONFIGMAPS, "default", page(10, first.continueToken()));
        assertEquals(first.resourceVersion(), second.resourceVersion());
        assertEquals(10, second.items().size());
        assertEquals(5L, second.remaining());
        ApiException withRv = assertThrows(ApiException.class, () -> registry.list(CONFIGMAPS, "default",
                new ListOptions(ListOptions.ALL.labelSelector(), ListOptions.ALL.fieldSelector(),
                        Long.toString(first.resourceVersion()), "", 10, second.continueToken(), false, 0)));
        assertEquals(400, withRv.code());
        assertEquals("specifying resource version is not allowed when using continue", withRv.getMessage());
        GenericRegistry.ListResult third = registry.list(CONFIGMAPS, "default", page(10, second.continueToken()));
        assertEquals(first.resourceVersion(), third.resourceVersion());
        assertEquals("", third.continueToken());
        assertNull(third.remaining());

        List<String> all = new ArrayList<>();
        all.addAll(names(first.items()));
        all.addAll(names(second.items()));
        all.addAll(names(third.items()));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add(String.format("cm-%02d", i));
        }
        assertEquals(expected, all, "no gaps, no duplicates, nothing newer than the first page");

        // A fresh list sees the late object and not the deleted one.
        List<String> fresh = names(registry.list(CONFIGMAPS, "default", ListOptions.ALL).items());
        assertTrue(fresh.contains("cm-99-late"));
        assertFalse(fresh.contains("cm-20"));
    }

    @Test
    void aBadContinueTokenIsBadRequest() {
        ApiException e = assertThrows(ApiException.class,
                () -> registry.list(CONFIGMAPS, "default", page(10, "not-a-token")));
        assertEquals(400, e.code());
    }

    @Test
    void exactListAtAnOldRevisionSeesTheOldState() {
        ObjectNode v1 = create(configMap("x"));
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.get("data")).put("k", "v2");
        registry.update(CONFIGMAPS, "default", "x", "", v2, WRITE);
        create(configMap("y"));

        ListOptions exact = new ListOptions(ListOptions.ALL.labelSelector(), ListOptions.ALL.fieldSelector(), rv(v1),
                "Exact", 0, "", false, 0);
        GenericRegistry.ListResult old = registry.list(CONFIGMAPS, "default", exact);
        assertEquals(Long.parseLong(rv(v1)), old.resourceVersion());
        assertEquals(List.of("x"), names(old.items()));
        assertEquals("v", Json.text(old.items().get(0), "data", "k"));
        assertEquals(rv(v1), rv(old.items().get(0)));

        ListOptions zero = new ListOptions(ListOptions.ALL.labelSelector(), ListOptions.ALL.fieldSelector(), "0",
                "Exact", 0, "", false, 0);
        assertEquals(400, assertThrows(ApiException.class, () -> registry.list(CONFIGMAPS, "default", zero)).code());
    }

    @Test
    void labelAndFieldSelectorsFilterLists() {
        create(configMap("a", "app", "web", "tier", "front"));
        create(configMap("b", "app", "web", "tier", "back"));
        create(configMap("c", "app", "db"));
        assertEquals(List.of("a", "b"), names(registry.list(CONFIGMAPS, "default",
                selected("app=web", null, CONFIGMAPS)).items()));
        assertEquals(List.of("a", "c"), names(registry.list(CONFIGMAPS, "default",
                selected("tier!=back", null, CONFIGMAPS)).items()));
        assertEquals(List.of("b"), names(registry.list(CONFIGMAPS, "default",
                selected("app in (web),tier", "metadata.name!=a", CONFIGMAPS)).items()));
        assertEquals(List.of("c"), names(registry.list(CONFIGMAPS, "default",
                selected(null, "metadata.name=c", CONFIGMAPS)).items()));

        // Limit counts matches, not scanned objects.
        ApiSelectors s = new ApiSelectors();
        ListOptions limited = new ListOptions(s.labels("app=web"), ListOptions.ALL.fieldSelector(), "", "", 1, "",
                false, 0);
        GenericRegistry.ListResult page = registry.list(CONFIGMAPS, "default", limited);
        assertEquals(List.of("a"), names(page.items()));
        assertNull(page.remaining(), "no remainingItemCount under a selector: it would count non-matches");
        GenericRegistry.ListResult byField = registry.list(CONFIGMAPS, "default", new ListOptions(
                ListOptions.ALL.labelSelector(), s.fields(CONFIGMAPS, "metadata.name!=b"), "", "", 1, "", false, 0));
        assertEquals(List.of("a"), names(byField.items()));
        assertFalse(byField.continueToken().isEmpty());
        assertNull(byField.remaining(), "a field selector is a selector too, as upstream's pred.Empty()");
        GenericRegistry.ListResult rest = registry.list(CONFIGMAPS, "default", new ListOptions(s.labels("app=web"),
                ListOptions.ALL.fieldSelector(), "", "", 1, page.continueToken(), false, 0));
        assertEquals(List.of("b"), names(rest.items()));
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        long before = store.currentRevision().get(10, TimeUnit.SECONDS);
        ObjectNode dry = registry.create(CONFIGMAPS, "default", configMap("dry"), DRY_RUN);
        assertEquals("dry", StoredObjects.name(dry));
        assertNull(stored(CONFIGMAPS, "default", "dry"));

        ObjectNode real = create(configMap("real"));
        long afterCreate = store.currentRevision().get(10, TimeUnit.SECONDS);
        // Upstream's dry-run storage still answers AlreadyExists (kubectl create --dry-run=server).
        ApiException exists = assertThrows(ApiException.class,
                () -> registry.create(CONFIGMAPS, "default", configMap("real"), DRY_RUN));
        assertEquals(409, exists.code());
        assertEquals("AlreadyExists", exists.reason());
        ObjectNode changed = real.deepCopy();
        ((ObjectNode) changed.get("data")).put("k", "dry");
        assertEquals("dry", Json.text(registry.update(CONFIGMAPS, "default", "real", "", changed, DRY_RUN), "data", "k"));
        assertTrue(registry.delete(CONFIGMAPS, "default", "real", DeleteOptions.DEFAULT, DRY_RUN).gone());
        assertEquals(real, registry.get(CONFIGMAPS, "default", "real"));
        assertEquals(before + 1, afterCreate);
        assertEquals(afterCreate, store.currentRevision().get(10, TimeUnit.SECONDS));
    }

    @Test
    void eventsAreWrittenWithALease() throws Exception {
        ObjectNode event = Json.object();
        event.put("apiVersion", "v1");
        event.put("kind", "Event");
        event.putObject("metadata").put("name", "pod-started.1");
        event.put("reason", "Started");
        event.put("message", "started");
        event.putObject("involvedObject").put("kind", "Pod").put("name", "p").put("namespace", "default");
        registry.create(EVENTS, "default", event, WRITE);
        KeyValue kv = stored(EVENTS, "default", "pod-started.1");
        assertNotEquals(0, kv.lease(), "events expire with a lease");

        create(configMap("plain"));
        assertEquals(0, stored(CONFIGMAPS, "default", "plain").lease());
    }

    @Test
    void clusterScopedAndNamespacedKeysDoNotMix() {
        ObjectNode secret = Json.object();
        secret.putObject("metadata").put("name", "s");
        registry.create(SECRETS, "ns1", secret, WRITE);
        assertEquals(404, assertThrows(ApiException.class, () -> registry.get(SECRETS, "ns2", "s")).code());
        ObjectNode wrongNs = configMap("x");
        ((ObjectNode) wrongNs.get("metadata")).put("namespace", "elsewhere");
        assertEquals(400, assertThrows(ApiException.class, () -> create(wrongNs)).code());
    }
}
