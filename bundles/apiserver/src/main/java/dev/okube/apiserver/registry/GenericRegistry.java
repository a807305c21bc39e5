package dev.okube.apiserver.registry;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.RangeResult;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.WriteResult;
import dev.okube.apiserver.apply.ManagedFields;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.Json;
import dev.okube.apiserver.validation.ObjectMetaValidation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one generic store behind every resource, as upstream's registry/generic/registry.Store:
 * object metadata semantics, optimistic concurrency on the storage mod revision (the
 * resourceVersion), status/spec separation, generation, graceful deletion and finalizers, paging,
 * and watch caches. Everything per kind comes from the {@link ResourceDefinition}.
 */
public final class GenericRegistry implements AutoCloseable {
    static final long STORAGE_TIMEOUT_SECONDS = 30;
    /** Events expire an hour after their last write, as upstream's --event-ttl. */
    static final long EVENT_TTL_SECONDS = 3600;
    /**
     * How long a read-modify-write keeps retrying when others write in between. Upstream's
     * GuaranteedUpdate retries until the request's deadline rather than a number of times: under
     * contention (a counter bumped by several writers) any fixed count starves someone.
     */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(STORAGE_TIMEOUT_SECONDS);

    private final KeyValueStore store;
    private final AdmissionChain admission;
    private final Clock clock;
    private final Map<ResourceDefinition, WatchCache> caches = new ConcurrentHashMap<>();
    private final EventLeases eventLeases;

    public GenericRegistry(KeyValueStore store, AdmissionChain admission, Clock clock) {
        this.store = store;
        this.admission = admission;
        this.clock = clock;
        this.eventLeases = new EventLeases(store, clock, EVENT_TTL_SECONDS);
    }

    // ---- reads ----

    public ObjectNode get(ResourceDefinition def, String namespace, String name) {
        KeyValue kv = await(store.get(def.key(namespace, name)));
        if (kv == null) {
            throw ApiException.notFound(def, name);
        }
        return decode(def, kv);
    }

    /** A list page: items, the list's resourceVersion, the continue token and the remaining count. */
    public record ListResult(List<ObjectNode> items, long resourceVersion, String continueToken, Long remaining) {
    }

    public ListResult list(ResourceDefinition def, String namespace, ListOptions options) {
        String prefix = def.keyPrefix(namespace);
        String rv = options.resourceVersion();
        boolean exact = "Exact".equals(options.resourceVersionMatch());
        if (!options.continueToken().isEmpty()) {
            // The token carries the revision of every page; another one would contradict it (upstream).
            if (!rv.isEmpty() && !rv.equals("0")) {
                throw ApiException.badRequest("specifying resource version is not allowed when using continue");
            }
            return listFromStorage(def, prefix, options, Continue.decode(options.continueToken(), prefix));
        }
        if (!rv.isEmpty() && !exact && (rv.equals("0") || options.limit() == 0)) {
            // "Any" or "not older than": the watch cache answers, without paging, as upstream.
            WatchCache cache = cache(def);
            if (!rv.equals("0")) {
                cache.waitUntilFresh(parseRevision(rv));
            }
            WatchCache.Snapshot snapshot = cache.list(prefix, options);
            return new ListResult(snapshot.items(), snapshot.revision(), "", null);
        }
        long at = exact ? parseRevision(rv) : 0;
        if (exact && at == 0) {
            throw ApiException.badRequest("resourceVersionMatch: Exact requires a resourceVersion other than 0");
        }
        return listFromStorage(def, prefix, options, new Continue(prefix, at));
    }

    /** Where a paged list goes on: the next key and the revision every page reads at. */
    record Continue(String start, long revision) {
        String encode(String prefix) {
            String json = "{\"v\":\"meta.k8s.io/v1\",\"rv\":" + revision + ",\"start\":"
                    + Json.MAPPER.writeValueAsString(start.substring(prefix.length())) + "}";
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        static Continue decode(String token, String prefix) {
            try {
                JsonNode json = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
                String start = json.get("start").stringValue();
                long rv = json.get("rv").asLong();
                if (rv <= 0 || start.contains("..") || start.startsWith("/")) {
                    throw new IllegalArgumentException("bad token");
                }
                return new Continue(prefix + start, rv);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
            }
        }
    }

    private ListResult listFromStorage(ResourceDefinition def, String prefix, ListOptions options, Continue from) {
        String end = prefixEnd(prefix);
        List<ObjectNode> items = new ArrayList<>();
        long limit = options.limit();
        long revision = from.revision();
        String start = from.start();
        boolean more;
        String lastKey = null;
        do {
            // Read pages until the limit is filled with matches, as upstream's etcd3 store does.
            long pageSize = limit == 0 ? 0 : Math.max(limit - items.size(), Math.min(limit * 2, 10_000));
            RangeResult page;
            try {
                page = await(store.range(start, RangeOptions.builder().withEnd(end).withLimit(pageSize)
                        .withRevision(revision).build()));
            } catch (ApiException e) {
                if (e.code() == 410 && from.revision() > 0 && !options.continueToken().isEmpty()) {
                    throw ApiException.gone("The provided continue parameter is too old to display a consistent list "
                            + "result. You can start a new list without the continue parameter, or use the continue "
                            + "token in this response to retrieve the remainder of the results.");
                }
                throw e;
            }
            if (revision == 0) {
                revision = page.revision();
            }
            more = page.more();
            for (KeyValue kv : page.kvs()) {
                lastKey = kv.key();
                ObjectNode object = decode(def, kv);
                if (options.matches(def, object)) {
                    items.add(object);
                    if (limit > 0 && items.size() == limit) {
                        more = more || page.kvs().indexOf(kv) < page.kvs().size() - 1;
                        break;
                    }
                }
            }
            if (lastKey != null) {
                start = lastKey + "\0";
            }
        } while (more && (limit == 0 || items.size() < limit));
        if (more && limit > 0) {
            Long remaining = null;
            // Only without any selector: the count is of keys, matching or not (upstream's pred.Empty()).
            if (options.labelSelector() == ListOptions.ALL.labelSelector()
                    && options.fieldSelector() == ListOptions.ALL.fieldSelector()) {
                remaining = await(store.range(start, RangeOptions.builder().withEnd(end).withRevision(revision)
                        .withCountOnly(true).build())).count();
            }
            return new ListResult(items, revision, new Continue(start, revision).encode(prefix), remaining);
        }
        return new ListResult(items, revision, "", null);
    }

    // ---- writes ----

    public ObjectNode create(ResourceDefinition def, String namespace, ObjectNode object, WriteOptions options) {
        ObjectNode meta = Json.metadata(object);
        checkNamespace(def, namespace, meta);
        String rv = Json.text(meta, "resourceVersion");
        if (rv != null && !rv.isEmpty()) {
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        def.strategy().applyDefaults(object);
        String generateName = Json.text(meta, "generateName");
        String name = Json.text(meta, "name");
        boolean generated = (name == null || name.isEmpty()) && generateName != null && !generateName.isEmpty();
        if (generated) {
            meta.put("name", ObjectMetaValidation.generateName(generateName));
        }
        Instant now = clock.instant();
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Json.timestamp(now));
        meta.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        if (def.strategy().tracksGeneration()) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        name = StoredObjects.name(object);
        recordManagedFields(def, "", null, object, options, now);

        AdmissionRequest request = admissionRequest(def, Operation.CREATE, "", namespace, name, object, null, options);
        admission.mutate(request, options.warnings());
        // After mutating admission, as upstream's BeforeCreate: what the plugins set (LimitRanger's
        // resources, say) counts for the derived fields (a pod's qosClass) and is defaulted too.
        def.strategy().prepareForCreate(object);
        List<ResourceStrategy.FieldProblem> problems = def.strategy().validateCreate(object);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(def, StoredObjects.name(object), problems);
        }
        admission.validate(request, options.warnings());
        name = StoredObjects.name(object);
        if (options.dryRun()) {
            // Nothing is written, but an existing name is still AlreadyExists, as upstream's DryRunnableStorage.
            if (await(store.get(def.key(namespace, name))) != null) {
                throw ApiException.alreadyExists(def, name);
            }
            return object;
        }
        meta.remove("resourceVersion");
        // A generated name that is taken is generated again, as upstream's RetryGenerateName (GA in
        // 1.32): five random characters collide often enough in a busy namespace to matter.
        for (int attempt = 1; ; attempt++) {
            try {
                WriteResult result = await(store.create(def.key(namespace, name), Json.bytes(object), leaseFor(def)));
                meta.put("resourceVersion", Long.toString(result.revision()));
                return object;
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
                if (!generated || attempt >= GENERATE_NAME_ATTEMPTS || !generateName.equals(Json.text(meta, "generateName"))) {
                    throw ApiException.alreadyExists(def, name);
                }
                name = ObjectMetaValidation.generateName(generateName);
                meta.put("name", name);
            }
        }
    }

    /** Upstream's retries of a generated name that is taken. */
    private static final int GENERATE_NAME_ATTEMPTS = 8;

    /**
     * Replaces an object (PUT), or its status when {@code subresource} is "status". A given
     * resourceVersion must match the stored one; without one the update is retried on conflicts.
     */
    public ObjectNode update(ResourceDefinition def, String namespace, String name, String subresource,
            ObjectNode object, WriteOptions options) {
        ObjectNode meta = Json.metadata(object);
        String bodyName = Json.text(meta, "name");
        if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
                    + name + ")");
        }
        meta.put("name", name);
        checkNamespace(def, namespace, meta);
        String expected = Json.text(meta, "resourceVersion");
        boolean conditional = expected != null && !expected.isEmpty();
        def.strategy().applyDefaults(object);
        return guaranteedUpdate(def, namespace, name, conditional ? parseRevision(expected) : 0,
                current -> object.deepCopy(), subresource, options);
    }

    /**
     * Read, modify, write, retrying when someone else wrote in between, as upstream's
     * GuaranteedUpdate. {@code expectedRevision} other than 0 makes the write conditional (409
     * instead of retry). {@code change} gets the stored object and returns the desired one.
     */
    public ObjectNode guaranteedUpdate(ResourceDefinition def, String namespace, String name, long expectedRevision,
            UnaryOperator<ObjectNode> change, String subresource, WriteOptions options) {
        boolean status = "status".equals(subresource);
        long deadline = System.nanoTime() + RETRY_NANOS;
        while (true) {
            KeyValue kv = await(store.get(def.key(namespace, name)));
            if (kv == null) {
                throw ApiException.notFound(def, name);
            }
            if (expectedRevision != 0 && expectedRevision != kv.modRevision()) {
                throw ApiException.modified(def, name);
            }
            ObjectNode old = decode(def, kv);
            ObjectNode updated = change.apply(old.deepCopy());
            ObjectNode meta = Json.metadata(updated);
            ObjectNode oldMeta = Json.metadata(old);
            meta.put("name", name);
            if (def.namespaced()) {
                meta.put("namespace", namespace);
            }
            // A missing uid is the stored one; another uid is left for validation to refuse (422,
            // "field is immutable"), as upstream's BeforeUpdate.
            String uid = Json.text(meta, "uid");
            if ((uid == null || uid.isEmpty()) && oldMeta.has("uid")) {
                meta.set("uid", oldMeta.get("uid"));
            }
            // System fields the client cannot change.
            for (String field : List.of("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")) {
                if (oldMeta.has(field)) {
                    meta.set(field, oldMeta.get(field));
                } else {
                    meta.remove(field);
                }
            }
            meta.remove("selfLink");
            // A binding is the apiserver's own change of spec.nodeName and the PodScheduled condition: its status
            // part must survive the strategy, which keeps a spec write from changing status.
            JsonNode boundStatus = "binding".equals(subresource) ? updated.get("status") : null;
            def.strategy().prepareForUpdate(updated, old, status);
            if (boundStatus != null) {
                updated.set("status", boundStatus);
            }
            // A status write takes the stored metadata object, so the reference above may be stale.
            meta = Json.metadata(updated);
            if (def.strategy().tracksGeneration()) {
                long generation = oldMeta.path("generation").asLong(1);
                if (!status && !withoutMetadataAndStatus(updated).equals(withoutMetadataAndStatus(old))) {
                    generation++;
                }
                if (generation == oldMeta.path("generation").asLong(0)) {
                    meta.set("generation", oldMeta.get("generation")); // the stored node: an int is not equal to a long
                } else {
                    meta.put("generation", generation);
                }
            } else if (oldMeta.has("generation")) {
                meta.set("generation", oldMeta.get("generation"));
            } else {
                meta.remove("generation");
            }
            meta.put("resourceVersion", Long.toString(kv.modRevision()));
            recordManagedFields(def, subresource, old, updated, options, clock.instant());

            AdmissionRequest request = admissionRequest(def, Operation.UPDATE, status ? "status" : "", namespace, name,
                    updated, old, options);
            admission.mutate(request, options.warnings());
            List<ResourceStrategy.FieldProblem> problems = def.strategy().validateUpdate(updated, old);
            if (!problems.isEmpty()) {
                throw ApiException.invalid(def, name, problems);
            }
            admission.validate(request, options.warnings());
            if (updated.equals(old)) {
                return old; // a no-op write does not bump the resourceVersion, as upstream
            }
            if (options.dryRun()) {
                return updated;
            }
            boolean finished = meta.has("deletionTimestamp") && finalizers(updated).isEmpty()
                    && meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
            try {
                if (finished) {
                    // The last finalizer is gone from an object being deleted: it goes now.
                    WriteResult deleted = await(store.delete(def.key(namespace, name), kv.modRevision()));
                    meta.put("resourceVersion", Long.toString(deleted.revision()));
                    return updated;
                }
                meta.remove("resourceVersion");
                WriteResult result = await(store.update(def.key(namespace, name), Json.bytes(updated), kv.modRevision(),
                        leaseFor(def)));
                meta.put("resourceVersion", Long.toString(result.revision()));
                return updated;
            } catch (ApiException e) {
                if (e.code() == 409 || e.code() == 404) {
                    if (expectedRevision != 0 || System.nanoTime() > deadline) {
                        throw e.code() == 404 ? ApiException.notFound(def, name) : ApiException.modified(def, name);
                    }
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * A write by a named manager records its fields as operation Update. Server-side apply writes with no
     * manager here: it has recorded its own Apply entry already.
     */
    private static void recordManagedFields(ResourceDefinition def, String subresource, ObjectNode old,
            ObjectNode updated, WriteOptions options, Instant now) {
        if (options.fieldManager() == null || options.fieldManager().isEmpty()) {
            return;
        }
        ManagedFields.recordUpdate(old, updated, options.fieldManager(), ManagedFields.scope(def.group(),
                def.version(), def.kind(), subresource, def.subresources().contains("status")), now);
    }

    /** The result of a delete: the object as returned, and whether it is gone (or only marked). */
    public record Deleted(ObjectNode object, boolean gone) {
    }

    public Deleted delete(ResourceDefinition def, String namespace, String name, DeleteOptions options,
            WriteOptions writeOptions) {
        long deadline = System.nanoTime() + RETRY_NANOS;
        while (true) {
            KeyValue kv = await(store.get(def.key(namespace, name)));
            if (kv == null) {
                throw ApiException.notFound(def, name);
            }
            ObjectNode current = decode(def, kv);
            ObjectNode meta = Json.metadata(current);
            String uid = Json.text(meta, "uid");
            if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
                throw ApiException.conflict(def, name, "Precondition failed: UID in precondition: "
                        + options.preconditionUid() + ", UID in object meta: " + uid);
            }
            if (options.preconditionResourceVersion() != null
                    && !options.preconditionResourceVersion().equals(Long.toString(kv.modRevision()))) {
                throw ApiException.conflict(def, name, "Precondition failed: ResourceVersion in precondition: "
                        + options.preconditionResourceVersion() + ", ResourceVersion in object meta: " + kv.modRevision());
            }
            AdmissionRequest request = admissionRequest(def, Operation.DELETE, "", namespace, name, null, current,
                    writeOptions);
            admission.mutate(request, writeOptions.warnings());
            admission.validate(request, writeOptions.warnings());

            ObjectNode updated = current.deepCopy();
            ObjectNode updatedMeta = Json.metadata(updated);
            List<String> finalizers = finalizers(updated);
            String policy = options.propagationPolicy();
            if ("Orphan".equals(policy) && !finalizers.contains("orphan")) {
                finalizers.add("orphan");
            } else if ("Foreground".equals(policy) && !finalizers.contains("foregroundDeletion")) {
                finalizers.add("foregroundDeletion");
            }
            long grace = options.gracePeriodSeconds() != null ? Math.max(0, options.gracePeriodSeconds())
                    : def.strategy().defaultGracePeriodSeconds(current);
            boolean alreadyDeleting = meta.has("deletionTimestamp");
            if (alreadyDeleting) {
                long currentGrace = meta.path("deletionGracePeriodSeconds").asLong(0);
                if (grace >= currentGrace && finalizers.equals(finalizers(current))) {
                    return new Deleted(current, false); // nothing shortens or adds: it is on its way
                }
                grace = Math.min(grace, currentGrace);
            }
            boolean graceful = grace > 0 || !finalizers.isEmpty();
            if (writeOptions.dryRun()) {
                return new Deleted(current, !graceful);
            }
            try {
                if (!graceful) {
                    WriteResult result = await(store.delete(def.key(namespace, name), kv.modRevision()));
                    Json.metadata(current).put("resourceVersion", Long.toString(result.revision()));
                    return new Deleted(current, true);
                }
                Instant now = clock.instant();
                if (!alreadyDeleting || grace < meta.path("deletionGracePeriodSeconds").asLong(0)) {
                    updatedMeta.put("deletionTimestamp", Json.timestamp(now.plusSeconds(grace)));
                }
                updatedMeta.put("deletionGracePeriodSeconds", grace);
                setFinalizers(updatedMeta, finalizers);
                def.strategy().prepareForUpdate(updated, current, false);
                afterGracefulDelete(def, updated);
                updatedMeta.remove("resourceVersion");
                WriteResult result = await(store.update(def.key(namespace, name), Json.bytes(updated), kv.modRevision(),
                        leaseFor(def)));
                updatedMeta.put("resourceVersion", Long.toString(result.revision()));
                return new Deleted(updated, false);
            } catch (ApiException e) {
                if ((e.code() == 409 || e.code() == 404) && System.nanoTime() < deadline) {
                    continue;
                }
                throw e.code() == 404 ? ApiException.notFound(def, name) : e;
            }
        }
    }

    /** Namespaces show they are going away (upstream's namespace strategy). */
    private static void afterGracefulDelete(ResourceDefinition def, ObjectNode object) {
        if (def.group().isEmpty() && def.kind().equals("Namespace")) {
            Json.objectAt(object, "status").put("phase", "Terminating");
        }
    }

    /** Deletes every matching object of a namespace (or of the resource); returns the deleted ones. */
    public List<ObjectNode> deleteCollection(ResourceDefinition def, String namespace, ListOptions listOptions,
            DeleteOptions options, WriteOptions writeOptions) {
        List<ObjectNode> deleted = new ArrayList<>();
        for (ObjectNode object : list(def, namespace, listOptions).items()) {
            try {
                deleted.add(delete(def, StoredObjects.namespace(object), StoredObjects.name(object), options, writeOptions).object());
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    // ---- watch ----

    public WatchCache cache(ResourceDefinition def) {
        return caches.computeIfAbsent(def, d -> new WatchCache(d, store));
    }

    /** Drops the watch cache of a resource no longer served (a deleted or changed custom resource). */
    public void forget(ResourceDefinition def) {
        WatchCache cache = caches.remove(def);
        if (cache != null) {
            cache.close();
        }
    }

    public Map<ResourceDefinition, WatchCache> caches() {
        return caches;
    }

    @Override
    public void close() {
        caches.values().forEach(WatchCache::close);
        caches.clear();
    }

    // ---- helpers ----

    private long leaseFor(ResourceDefinition def) {
        return def.kind().equals("Event") ? eventLeases.current() : 0;
    }

    private static void checkNamespace(ResourceDefinition def, String namespace, ObjectNode meta) {
        if (def.namespaced()) {
            String bodyNamespace = Json.text(meta, "namespace");
            if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent "
                        + "on the request");
            }
            meta.put("namespace", namespace);
        } else {
            meta.remove("namespace");
        }
    }

    /**
     * Runs the admission chain (mutating, then validating) on an object that a subresource answers
     * without storing it, such as a serviceaccounts/token TokenRequest; throws ApiException on a denial.
     */
    public void admit(AdmissionRequest request, WriteOptions options) {
        admission.mutate(request, options.warnings());
        admission.validate(request, options.warnings());
    }

    private AdmissionRequest admissionRequest(ResourceDefinition def, Operation operation, String subresource,
            String namespace, String name, ObjectNode object, ObjectNode old, WriteOptions options) {
        return new AdmissionRequest(operation, def.group(), def.version(), def.kind(), def.plural(), subresource,
                def.namespaced() ? namespace : "", name, object, old, options.user(), options.dryRun());
    }

    static List<String> finalizers(ObjectNode object) {
        List<String> finalizers = new ArrayList<>();
        JsonNode node = Json.at(object, "metadata", "finalizers");
        if (node != null && node.isArray()) {
            for (JsonNode f : node) {
                if (f.isString()) {
                    finalizers.add(f.stringValue());
                }
            }
        }
        return finalizers;
    }

    private static void setFinalizers(ObjectNode meta, List<String> finalizers) {
        if (finalizers.isEmpty()) {
            meta.remove("finalizers");
            return;
        }
        ArrayNode array = meta.putArray("finalizers");
        finalizers.forEach(array::add);
    }

    private static JsonNode withoutMetadataAndStatus(ObjectNode object) {
        return object.deepCopy().without(List.of("metadata", "status"));
    }

    static ObjectNode decode(ResourceDefinition def, KeyValue kv) {
        ObjectNode object = Json.parseObject(kv.value());
        Json.metadata(object).put("resourceVersion", Long.toString(kv.modRevision()));
        servedVersion(def, object);
        return object;
    }

    /**
     * The versions of a custom resource share one storage prefix and convert as upstream's "None"
     * strategy: only apiVersion changes. Built-in objects are always stored in their served version.
     */
    static void servedVersion(ResourceDefinition def, ObjectNode object) {
        JsonNode apiVersion = object.get("apiVersion");
        if (apiVersion != null && !apiVersion.asString("").equals(def.apiVersion())) {
            object.put("apiVersion", def.apiVersion());
        }
    }

    public static long parseRevision(String rv) {
        try {
            long value = Long.parseLong(rv);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + rv);
        }
    }

    /** The first key after every key with this prefix. */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }

    /** Waits for a storage future, turning storage errors into API errors. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(STORAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted");
        } catch (TimeoutException e) {
            throw ApiException.timeout("storage did not answer within " + STORAGE_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StorageException.NotFound) {
                throw new ApiException(404, "NotFound", cause.getMessage());
            } else if (cause instanceof StorageException.Conflict) {
                throw new ApiException(409, "Conflict", cause.getMessage());
            } else if (cause instanceof StorageException.Compacted c) {
                throw ApiException.gone("The resourceVersion for the provided list is too old. " + c.getMessage());
            } else if (cause instanceof StorageException.FutureRevision) {
                throw ApiException.timeout("Too large resource version: " + cause.getMessage());
            } else if (cause instanceof StorageException.Unavailable) {
                throw ApiException.unavailable("storage is unavailable: " + cause.getMessage());
            } else if (cause instanceof StorageException.Timeout) {
                throw ApiException.timeout("storage timed out: " + cause.getMessage());
            } else if (cause instanceof ApiException api) {
                throw api;
            }
            throw ApiException.internal(String.valueOf(cause));
        }
    }
}
