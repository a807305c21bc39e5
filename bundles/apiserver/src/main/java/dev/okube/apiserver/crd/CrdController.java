package dev.okube.apiserver.crd;

import dev.okube.api.admission.UserInfo;
import dev.okube.apiserver.openapi.OpenApi;
import dev.okube.apiserver.registry.DeleteOptions;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.ListOptions;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.ResourceStrategy;
import dev.okube.apiserver.registry.WatchCache;
import dev.okube.apiserver.registry.WriteOptions;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves custom resources, as apiextensions-apiserver's naming, establishing and finalizer controllers
 * together: it watches CustomResourceDefinitions through the watch cache, accepts their names (or
 * reports the conflict), marks them Established, registers one resource per served version with
 * discovery and OpenAPI, and on deletion removes every custom resource before releasing the CRD.
 * All work runs on one thread, so the served state needs no further locking.
 */
public final class CrdController implements AutoCloseable {
    static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(CrdController.class);
    private static final UserInfo APISERVER = new UserInfo("system:apiserver", "", List.of("system:masters"), Map.of());
    private static final WriteOptions WRITE = new WriteOptions(APISERVER, false, "okube-apiextensions");

    private final Registry registry;
    private final GenericRegistry store;
    private final OpenApi openApi;
    private final Clock clock;
    private final ResourceDefinition crds;
    private final ScheduledExecutorService worker;
    /** Per CRD name: the definitions it serves, with their schemas for OpenAPI. */
    private final Map<String, List<Served>> served = new HashMap<>();
    /** Per CRD name: the spec and accepted names its definitions were built from, to skip no-op rebuilds. */
    private final Map<String, ObjectNode> sources = new HashMap<>();
    private final Set<String> publishedDocs = new HashSet<>();
    private Runnable cancelWatch;

    private record Served(ResourceDefinition definition, JsonNode schema) {
    }

    public CrdController(Registry registry, GenericRegistry store, OpenApi openApi, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.openApi = openApi;
        this.clock = clock;
        this.crds = registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okube-crd-controller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching: every existing CRD arrives as ADDED, so a restart serves them again. */
    public void start() {
        cancelWatch = store.cache(crds).watch(crds.keyPrefix(), ListOptions.ALL, 0, true, new WatchCache.Sink() {
            @Override
            public boolean offer(WatchCache.Event event) {
                String name = Json.text(event.object(), "metadata", "name");
                worker.execute(() -> reconcile(name));
                return true;
            }

            @Override
            public void progress(long revision) {
            }

            @Override
            public void terminate(String reason) {
                LOG.warn("CRD watch ended ({}); restarting it", reason);
                worker.schedule(CrdController.this::start, 1, TimeUnit.SECONDS);
            }
        });
    }

    @Override
    public void close() {
        if (cancelWatch != null) {
            cancelWatch.run();
        }
        worker.shutdownNow();
    }

    private void reconcile(String name) {
        try {
            ObjectNode crd;
            try {
                crd = store.get(crds, "", name);
            } catch (ApiException e) {
                if (e.code() == 404) {
                    unserve(name);
                    return;
                }
                throw e;
            }
            if (Json.metadata(crd).has("deletionTimestamp")) {
                finalizeDeletion(crd);
                return;
            }
            if (!finalizers(crd).contains(CLEANUP_FINALIZER)) {
                // The MODIFIED event of this write brings the CRD back here.
                store.guaranteedUpdate(crds, "", name, 0, current -> {
                    ArrayNode f = Json.metadata(current).has("finalizers")
                            ? (ArrayNode) Json.metadata(current).get("finalizers")
                            : Json.metadata(current).putArray("finalizers");
                    if (!finalizers(current).contains(CLEANUP_FINALIZER)) {
                        f.add(CLEANUP_FINALIZER);
                    }
                    return current;
                }, "", WRITE);
                return;
            }
            ObjectNode status = namesAndConditions(crd);
            if (!status.equals(crd.path("status"))) {
                store.guaranteedUpdate(crds, "", name, 0, current -> {
                    current.set("status", status.deepCopy());
                    return current;
                }, "status", WRITE);
                return;
            }
            if (established(crd)) {
                serve(crd);
            }
        } catch (RuntimeException e) {
            LOG.warn("reconciling CRD {} failed; retrying", name, e);
            worker.schedule(() -> reconcile(name), 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Upstream's NamingConditionController: each requested name is accepted unless another CRD of the
     * group (or a built-in resource of the group) uses it; then the establishing controller's
     * Established condition follows accepted names.
     */
    private ObjectNode namesAndConditions(ObjectNode crd) {
        String name = Json.text(crd, "metadata", "name");
        String group = Json.text(crd, "spec", "group");
        Set<String> resources = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (ObjectNode other : store.list(crds, "", ListOptions.ALL).items()) {
            if (name.equals(Json.text(other, "metadata", "name")) || !Objects.equals(group, Json.text(other, "spec", "group"))) {
                continue;
            }
            JsonNode accepted = other.path("status").path("acceptedNames");
            addText(resources, accepted.get("plural"));
            addText(resources, accepted.get("singular"));
            accepted.path("shortNames").forEach(s -> addText(resources, s));
            addText(kinds, accepted.get("kind"));
            addText(kinds, accepted.get("listKind"));
        }
        Set<ResourceDefinition> ours = new HashSet<>();
        served.values().forEach(l -> l.forEach(s -> ours.add(s.definition())));
        for (ResourceDefinition d : registry.all()) {
            if (d.group().equals(group) && !ours.contains(d)) {
                resources.add(d.plural());
                resources.add(d.singular());
                resources.addAll(d.shortNames());
                kinds.add(d.kind());
                kinds.add(d.listKind());
            }
        }
        JsonNode requested = crd.path("spec").path("names");
        JsonNode accepted = crd.path("status").path("acceptedNames");
        ObjectNode newNames = accepted.isObject() ? ((ObjectNode) accepted).deepCopy() : Json.object();
        String reason = null;
        String message = null;
        String kind = requested.path("kind").asString("");
        String[][] checks = {
            {"plural", "PluralConflict"}, {"singular", "SingularConflict"}, {"kind", "KindConflict"},
            {"listKind", "ListKindConflict"}};
        for (String[] check : checks) {
            String field = check[0];
            String want = requested.path(field).asString("");
            if (field.equals("singular") && want.isEmpty()) {
                want = kind.toLowerCase();
            } else if (field.equals("listKind") && want.isEmpty()) {
                want = kind + "List";
            }
            Set<String> used = field.endsWith("ind") ? kinds : resources;
            if (want.equals(accepted.path(field).asString("")) || !used.contains(want)) {
                newNames.put(field, want);
            } else {
                reason = check[1];
                message = "\"" + want + "\" is already in use";
            }
        }
        List<String> shortNames = new ArrayList<>();
        requested.path("shortNames").forEach(s -> shortNames.add(s.asString()));
        List<String> acceptedShort = new ArrayList<>();
        accepted.path("shortNames").forEach(s -> acceptedShort.add(s.asString()));
        boolean shortOk = true;
        if (!shortNames.equals(acceptedShort)) {
            for (String s : shortNames) {
                if (resources.contains(s)) {
                    reason = "ShortNamesConflict";
                    message = "\"" + s + "\" is already in use";
                    shortOk = false;
                }
            }
        }
        if (shortOk) {
            newNames.remove("shortNames");
            if (!shortNames.isEmpty()) {
                shortNames.forEach(Schemas.array(newNames, "shortNames")::add);
            }
        }
        newNames.remove("categories");
        if (requested.has("categories") && !requested.get("categories").isEmpty()) {
            newNames.set("categories", requested.get("categories").deepCopy());
        }

        ObjectNode status = crd.path("status").isObject() ? ((ObjectNode) crd.get("status")).deepCopy() : Json.object();
        status.set("acceptedNames", newNames);
        boolean ok = reason == null;
        setCondition(status, "NamesAccepted", ok ? "True" : "False", ok ? "NoConflicts" : reason,
                ok ? "no conflicts found" : message);
        JsonNode establishedNow = condition(status, "Established");
        if (ok) {
            setCondition(status, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted");
        } else if (establishedNow == null || !"True".equals(establishedNow.path("status").asString(""))) {
            setCondition(status, "Established", "False", "NotAccepted", "not all names are accepted");
        }
        if (!status.has("storedVersions")) {
            ArrayNode stored = status.putArray("storedVersions");
            crd.path("spec").path("versions").forEach(v -> {
                if (v.path("storage").asBoolean(false)) {
                    stored.add(v.path("name").asString());
                }
            });
        }
        return status;
    }

    private static void addText(Set<String> set, JsonNode value) {
        if (value != null && value.isString() && !value.asString().isEmpty()) {
            set.add(value.asString());
        }
    }

    private static JsonNode condition(ObjectNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asString(""))) {
                return c;
            }
        }
        return null;
    }

    /** Sets a condition, keeping lastTransitionTime when the status does not change (as upstream). */
    private void setCondition(ObjectNode status, String type, String value, String reason, String message) {
        ArrayNode conditions = Schemas.array(status, "conditions");
        ObjectNode c = (ObjectNode) condition(status, type);
        if (c == null) {
            c = conditions.addObject();
            c.put("type", type);
        }
        if (!value.equals(c.path("status").asString("")) || !c.has("lastTransitionTime")) {
            c.put("lastTransitionTime", Json.timestamp(clock.instant()));
        }
        c.put("status", value);
        c.put("reason", reason);
        c.put("message", message);
    }

    private static boolean established(ObjectNode crd) {
        JsonNode c = condition((ObjectNode) crd.path("status"), "Established");
        return c != null && "True".equals(c.path("status").asString(""));
    }

    /** One definition per served version, replacing what the CRD served before when it changed. */
    private void serve(ObjectNode crd) {
        String name = Json.text(crd, "metadata", "name");
        JsonNode spec = crd.path("spec");
        JsonNode names = crd.path("status").path("acceptedNames");
        List<Served> wanted = definitions(crd);
        // Discovery's preferred version is the first registered: upstream orders versions by Kubernetes priority.
        wanted.sort((a, b) -> compareVersions(a.definition().version(), b.definition().version()));
        List<Served> current = served.get(name);
        ObjectNode source = Json.object();
        source.set("spec", spec.deepCopy());
        source.set("names", names.deepCopy());
        if (current != null && source.equals(sources.get(name))) {
            return;
        }
        unserve(name);
        served.put(name, wanted);
        sources.put(name, source);
        wanted.forEach(s -> registry.add(s.definition()));
        publishOpenApi();
        LOG.info("serving custom resource {} ({} versions)", name, wanted.size());
    }

    /** The definitions a CRD serves, from its accepted names (the requested ones before any were accepted). */
    private static List<Served> definitions(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = crd.path("status").path("acceptedNames").has("plural")
                ? crd.path("status").path("acceptedNames") : spec.path("names");
        String group = spec.path("group").asString("");
        String kind = names.path("kind").asString("");
        String plural = names.path("plural").asString("");
        String singular = names.path("singular").asString(kind.toLowerCase());
        List<String> shortNames = strings(names.path("shortNames"));
        List<String> categories = strings(names.path("categories"));
        boolean namespaced = "Namespaced".equals(spec.path("scope").asString("Namespaced"));
        List<Served> wanted = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(false)) {
                continue;
            }
            Set<String> subresources = new LinkedHashSet<>();
            if (v.path("subresources").has("status")) {
                subresources.add("status");
            }
            if (v.path("subresources").has("scale")) {
                subresources.add("scale");
            }
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            schema = schema.isObject() ? schema : Json.object().put("type", "object")
                    .put("x-kubernetes-preserve-unknown-fields", true);
            CustomResourceStrategy strategy = new CustomResourceStrategy(schema, namespaced,
                    subresources.contains("status"), v.get("additionalPrinterColumns"), scalePaths(v));
            wanted.add(new Served(new ResourceDefinition(group, v.path("name").asString(), kind, plural, singular,
                    shortNames, categories, namespaced, subresources, ResourceDefinition.ALL_VERBS, strategy), schema));
        }
        return wanted;
    }

    private static ResourceStrategy.ScalePaths scalePaths(JsonNode version) {
        JsonNode scale = version.path("subresources").get("scale");
        if (scale == null || !scale.isObject()) {
            return null;
        }
        return new ResourceStrategy.ScalePaths(scale.path("specReplicasPath").asString(".spec.replicas"),
                scale.path("statusReplicasPath").asString(".status.replicas"),
                scale.path("labelSelectorPath").asString(null));
    }

    private static final java.util.regex.Pattern KUBE_VERSION =
            java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /** Upstream's CompareKubeAwareVersionStrings, highest first: v2, v1, v1beta2, v1beta1, v1alpha1, then others by name. */
    static int compareVersions(String a, String b) {
        java.util.regex.Matcher x = KUBE_VERSION.matcher(a);
        java.util.regex.Matcher y = KUBE_VERSION.matcher(b);
        boolean kx = x.matches();
        boolean ky = y.matches();
        if (!kx || !ky) {
            return kx ? -1 : ky ? 1 : a.compareTo(b);
        }
        int stability = Integer.compare(rank(y.group(2)), rank(x.group(2)));
        if (stability != 0) {
            return stability;
        }
        int major = Long.compare(Long.parseLong(y.group(1)), Long.parseLong(x.group(1)));
        if (major != 0 || x.group(3) == null) {
            return major;
        }
        return Long.compare(Long.parseLong(y.group(3)), Long.parseLong(x.group(3)));
    }

    private static int rank(String stability) {
        return stability == null ? 2 : stability.equals("beta") ? 1 : 0;
    }

    private void unserve(String name) {
        List<Served> old = served.remove(name);
        sources.remove(name);
        if (old == null) {
            return;
        }
        for (Served s : old) {
            registry.remove(s.definition());
            store.forget(s.definition());
        }
        publishOpenApi();
    }

    /**
     * Upstream's finalizer controller: stop serving, delete every custom resource, and release the CRD
     * once none is left (objects with finalizers of their own are waited for).
     */
    private void finalizeDeletion(ObjectNode crd) {
        String name = Json.text(crd, "metadata", "name");
        if (!finalizers(crd).contains(CLEANUP_FINALIZER)) {
            unserve(name);
            return;
        }
        ObjectNode status = crd.path("status").isObject() ? ((ObjectNode) crd.get("status")).deepCopy() : Json.object();
        setCondition(status, "Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress");
        if (!status.equals(crd.path("status"))) {
            store.guaranteedUpdate(crds, "", name, 0, current -> {
                current.set("status", status.deepCopy());
                return current;
            }, "status", WRITE);
            return;
        }
        List<Served> located = served.get(name);
        if (located == null || located.isEmpty() || located.get(0).definition().verbs().contains("create")) {
            // Upstream keeps serving a terminating CRD's objects, so controllers can still release their
            // finalizers, but refuses new ones; after a restart this also re-serves them.
            unserve(name);
            List<Served> terminating = new ArrayList<>();
            for (Served s : located == null || located.isEmpty() ? definitions(crd) : located) {
                ResourceDefinition d = s.definition();
                terminating.add(new Served(new ResourceDefinition(d.group(), d.version(), d.kind(), d.plural(),
                        d.singular(), d.shortNames(), d.categories(), d.namespaced(), d.subresources(),
                        d.verbs().stream().filter(v -> !v.equals("create")).toList(), d.strategy()), s.schema()));
            }
            served.put(name, terminating);
            terminating.forEach(s -> registry.add(s.definition()));
            publishOpenApi();
            located = terminating;
        }
        if (!located.isEmpty()) {
            // Every version shares the storage prefix /registry/<group>/<plural>/, so one definition reaches all.
            ResourceDefinition def = located.get(0).definition();
            for (ObjectNode o : store.list(def, "", ListOptions.ALL).items()) {
                if (Json.metadata(o).has("deletionTimestamp")) {
                    continue;
                }
                try {
                    store.delete(def, Json.text(o, "metadata", "namespace") == null ? ""
                            : Json.text(o, "metadata", "namespace"), Json.text(o, "metadata", "name"),
                            new DeleteOptions(0L, "Background", null, null), WRITE);
                } catch (ApiException e) {
                    if (e.code() != 404) {
                        throw e;
                    }
                }
            }
            if (!store.list(def, "", ListOptions.ALL).items().isEmpty()) {
                worker.schedule(() -> reconcile(name), 1, TimeUnit.SECONDS);
                return;
            }
        }
        unserve(name);
        store.guaranteedUpdate(crds, "", name, 0, current -> {
            ArrayNode kept = Json.NODES.arrayNode();
            finalizers(current).stream().filter(f -> !f.equals(CLEANUP_FINALIZER)).forEach(kept::add);
            Json.metadata(current).set("finalizers", kept);
            if (kept.isEmpty()) {
                Json.metadata(current).remove("finalizers");
            }
            return current;
        }, "", WRITE);
    }

    private static List<String> finalizers(ObjectNode o) {
        return strings(Json.metadata(o).path("finalizers"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.asString()));
        return out;
    }

    /** Rebuilds the document of every custom group-version and drops those no longer served. */
    private void publishOpenApi() {
        Map<String, List<Served>> byPath = new LinkedHashMap<>();
        served.values().forEach(list -> list.forEach(s -> byPath.computeIfAbsent(
                OpenApi.path(s.definition().group(), s.definition().version()), k -> new ArrayList<>()).add(s)));
        for (String path : publishedDocs) {
            if (!byPath.containsKey(path)) {
                openApi.remove(path);
            }
        }
        publishedDocs.clear();
        for (Map.Entry<String, List<Served>> e : byPath.entrySet()) {
            ObjectNode doc = Json.object();
            doc.put("openapi", "3.0.0");
            doc.putObject("info").put("title", "Kubernetes CRD Swagger").put("version", "v0.1.0");
            ObjectNode paths = doc.putObject("paths");
            ObjectNode schemas = doc.putObject("components").putObject("schemas");
            for (Served s : e.getValue()) {
                schemas.set(CrdOpenApi.schemaName(s.definition()), CrdOpenApi.kindSchema(s.definition(), s.schema()));
                CrdOpenApi.addPaths(paths, s.definition());
            }
            openApi.put(e.getKey(), Json.bytes(doc));
            publishedDocs.add(e.getKey());
        }
    }
}
