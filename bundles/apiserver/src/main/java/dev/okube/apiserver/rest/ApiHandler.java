package dev.okube.apiserver.rest;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import dev.okube.apiserver.security.AuthenticatorChain;
import dev.okube.apiserver.security.AuthorizerChain;
import dev.okube.apiserver.security.Users;
import dev.okube.apiserver.apply.Apply;
import dev.okube.apiserver.apply.FieldSet;
import dev.okube.apiserver.apply.ManagedFields;
import dev.okube.apiserver.openapi.OpenApi;
import dev.okube.apiserver.patch.PatchMeta;
import dev.okube.apiserver.patch.StrategicMergePatch;
import dev.okube.apiserver.registry.DeleteOptions;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.ListOptions;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.ResourceStrategy;
import dev.okube.apiserver.registry.WatchCache;
import dev.okube.apiserver.registry.WriteOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes REST API under {@code /api} and {@code /apis}: discovery and every verb of every
 * resource in the registry, served by the one generic registry. Blocking (storage calls wait);
 * watches are asynchronous and hold no thread.
 */
public final class ApiHandler extends Handler.Abstract {
    /** Upstream's default --max-requests-inflight and --max-mutating-requests-inflight. */
    static final int MAX_READONLY_INFLIGHT = 400;
    static final int MAX_MUTATING_INFLIGHT = 200;
    /** Request bodies over 3 MiB are refused, as upstream. */
    static final int MAX_BODY = 3 * 1024 * 1024;
    /** Watches without timeoutSeconds end after 30–60 minutes, as upstream's --min-request-timeout. */
    static final int MIN_WATCH_SECONDS = 1800;
    static final String JSON_TYPE = "application/json";
    private static final String RAW_BODY = "dev.okube.apiserver.rawBody";
    /** The first property a JSON body repeats ("" for none), found while decoding it; absent for other bodies. */
    private static final String DUPLICATE_FIELD = "dev.okube.apiserver.duplicateField";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final Registry registry;
    private final GenericRegistry store;
    private final Selectors selectors;
    private final Discovery discovery;
    private final Metrics metrics;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final AccessReviews reviews;
    private final AuthenticationReviews authenticationReviews;
    private final TokenRequests tokenRequests;
    private final FieldValidation fieldValidation;
    private final Semaphore readonly = new Semaphore(MAX_READONLY_INFLIGHT);
    private final Semaphore mutating = new Semaphore(MAX_MUTATING_INFLIGHT);

    /**
     * @param authenticators the authenticator chain, for the authentication review APIs
     * @param authorizers    the authorizer chain, for the access review APIs
     * @param tokenIssuer    the installed service-account token issuer, or null, for serviceaccounts/token
     */
    public ApiHandler(Registry registry, GenericRegistry store, Selectors selectors, Metrics metrics,
            ScheduledExecutorService timers, Clock clock, AuthenticatorChain authenticators,
            AuthorizerChain authorizers, OpenApi openApi, Supplier<ServiceAccountTokenIssuer> tokenIssuer) {
        this.registry = registry;
        this.tokenRequests = new TokenRequests(tokenIssuer, registry, store, clock);
        this.fieldValidation = new FieldValidation(openApi);
        this.reviews = new AccessReviews(authorizers::authorize, authorizers::rules);
        this.authenticationReviews = new AuthenticationReviews(authenticators);
        this.store = store;
        this.selectors = selectors;
        this.discovery = new Discovery(registry);
        this.metrics = metrics;
        this.timers = timers;
        this.clock = clock;
        metrics.gauge("apiserver_current_inflight_requests{request_kind=\"readOnly\"}",
                () -> (long) (MAX_READONLY_INFLIGHT - readonly.availablePermits()));
        metrics.gauge("apiserver_current_inflight_requests{request_kind=\"mutating\"}",
                () -> (long) (MAX_MUTATING_INFLIGHT - mutating.availablePermits()));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = request.getHttpURI().getDecodedPath();
        Optional<RequestInfo> parsed;
        try {
            parsed = RequestInfo.parse(path, registry);
        } catch (ApiException e) {
            writeError(response, callback, e);
            return true;
        }
        if (parsed.isEmpty()) {
            return false;
        }
        RequestInfo info = parsed.get();
        Fields query = Request.extractQueryParameters(request);
        String method = request.getMethod();
        boolean watch = method.equals("GET") && isTrue(query.getValue("watch"));
        boolean isMutating = !method.equals("GET") && !method.equals("HEAD");
        Semaphore limit = watch || info.isDiscovery() ? null : isMutating ? mutating : readonly;
        if (limit != null && !limit.tryAcquire()) {
            writeError(response, callback, ApiException.tooManyRequests());
            return true;
        }
        int[] code = {200};
        try {
            if (info.isDiscovery()) {
                serveDiscovery(request, response, callback, info);
            } else if (watch) {
                code[0] = 200;
                serveWatch(request, response, callback, info, query);
            } else {
                code[0] = serveResource(request, response, callback, info, query, method);
            }
        } catch (ApiException e) {
            code[0] = e.code();
            discardBody(request);
            writeError(response, callback, e);
        } catch (JacksonException e) {
            code[0] = 400;
            writeError(response, callback, ApiException.badRequest("the request body could not be decoded: "
                    + e.getOriginalMessage()));
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", method, path, e);
            code[0] = 500;
            writeError(response, callback, ApiException.internal(e.toString()));
        } finally {
            if (limit != null) {
                limit.release();
            }
            info.definition().ifPresent(d -> metrics.request(watch ? "WATCH" : verb(method, info), d.group(),
                    d.version(), d.plural(), info.subresource(), scope(info), code[0], System.nanoTime() - start));
        }
        return true;
    }

    /**
     * Reads away a request body an error answer did not need, so the connection stays usable: left
     * unread, Jetty closes the connection after the response, and a client that already reused it
     * for its next request sees it drop.
     */
    private static void discardBody(Request request) {
        try {
            request.consumeAvailable();
        } catch (RuntimeException e) {
            // The connection will be closed instead; nothing else to do.
        }
    }

    private static String verb(String method, RequestInfo info) {
        return switch (method) {
            case "GET", "HEAD" -> info.name().isEmpty() ? "LIST" : "GET";
            case "POST" -> "POST";
            case "PUT" -> "PUT";
            case "PATCH" -> "PATCH";
            case "DELETE" -> info.name().isEmpty() ? "DELETECOLLECTION" : "DELETE";
            default -> method;
        };
    }

    /** The Kubernetes verb of a request, as discovery lists them and authorizers see them. */
    private static String kubeVerb(String method, RequestInfo info) {
        return switch (method) {
            case "GET", "HEAD" -> info.name().isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> info.name().isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
    }

    private static String scope(RequestInfo info) {
        return !info.name().isEmpty() ? "resource" : !info.namespace().isEmpty() ? "namespace" : "cluster";
    }

    // ---- discovery ----

    private void serveDiscovery(Request request, Response response, Callback callback, RequestInfo info) {
        if (!request.getMethod().equals("GET")) {
            throw ApiException.methodNotAllowed();
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        String aggregated = Discovery.aggregatedVersion(accept);
        boolean core = request.getHttpURI().getDecodedPath().startsWith("/api/") || request.getHttpURI().getDecodedPath().equals("/api");
        if (info.group().isEmpty() && info.version().isEmpty()) {
            if (aggregated != null) {
                writeJson(response, callback, 200, discovery.aggregated(core, aggregated),
                        String.format(Discovery.AGGREGATED, aggregated));
            } else if (core) {
                String host = request.getHttpURI().getHost() + ":" + request.getHttpURI().getPort();
                writeJson(response, callback, 200, discovery.apiVersions(host), JSON_TYPE);
            } else {
                writeJson(response, callback, 200, discovery.groupList(), JSON_TYPE);
            }
        } else if (info.version().isEmpty()) {
            writeJson(response, callback, 200, discovery.group(info.group()), JSON_TYPE);
        } else {
            writeJson(response, callback, 200, discovery.resourceList(info.group(), info.version()), JSON_TYPE);
        }
    }

    // ---- resources ----

    private int serveResource(Request request, Response response, Callback callback, RequestInfo info, Fields query,
            String method) {
        ResourceDefinition def = info.definition().orElseThrow();
        String sub = info.subresource();
        if (!sub.isEmpty() && !def.subresources().contains(sub)) {
            throw ApiException.notFoundPath();
        }
        if (def.namespaced() && info.namespace().isEmpty() && !info.name().isEmpty()) {
            throw ApiException.notFoundPath();
        }
        if (def.namespaced() && info.namespace().isEmpty() && !method.equals("GET") && !method.equals("HEAD")) {
            // The all-namespaces path serves list (and watch) only, as upstream's installer registers it:
            // a DELETE here must not become a deletecollection over every namespace.
            throw ApiException.methodNotAllowed();
        }
        UserInfo user = Users.of(request);
        WriteOptions writeOptions = new WriteOptions(user, dryRun(query), fieldManager(request, query),
                warning -> addWarning(response, warning));
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (!def.verbs().contains(kubeVerb(method, info))) {
            throw ApiException.methodNotAllowed();
        }
        if (sub.equals("scale")) {
            return serveScale(request, response, callback, info, def, method, writeOptions);
        }
        if (AccessReviews.handles(def)) {
            ObjectNode review = reviews.review(def, info.namespace(), decodeBody(request, def), user);
            writeObject(response, callback, 201, def, review, accept, query);
            return 201;
        }
        if (AuthenticationReviews.handles(def)) {
            ObjectNode review = authenticationReviews.review(def, decodeBody(request, def), user);
            writeObject(response, callback, 201, def, review, accept, query);
            return 201;
        }
        switch (method) {
            case "GET", "HEAD" -> {
                if (info.name().isEmpty()) {
                    ListOptions options = listOptions(def, query);
                    GenericRegistry.ListResult list = store.list(def, info.namespace(), options);
                    writeList(response, callback, def, list, accept, query);
                } else {
                    ObjectNode object = store.get(def, info.namespace(), info.name());
                    writeObject(response, callback, 200, def, object, accept, query);
                }
                return 200;
            }
            case "POST" -> {
                if (!info.name().isEmpty()) {
                    return postSubresource(request, response, callback, info, def, query, writeOptions, accept);
                }
                ObjectNode body = decodeBody(request, def);
                validateDecodedFields(request, response, def, body, query);
                ObjectNode created = store.create(def, info.namespace(), body, writeOptions);
                writeObject(response, callback, 201, def, created, accept, query);
                return 201;
            }
            case "PUT" -> {
                requireName(info);
                ObjectNode body = decodeBody(request, def);
                validateDecodedFields(request, response, def, body, query);
                ObjectNode updated = store.update(def, info.namespace(), info.name(), sub, body, writeOptions);
                writeObject(response, callback, 200, def, updated, accept, query);
                return 200;
            }
            case "PATCH" -> {
                requireName(info);
                if (contentType(request).equals(APPLY_TYPE)) {
                    Applied applied = applyPatch(request, response, info, def, query, writeOptions);
                    writeObject(response, callback, applied.code(), def, applied.object(), accept, query);
                    return applied.code();
                }
                if (query.getValue("force") != null) {
                    readBody(request); // read before the refusal, so the connection stays usable
                    throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: force: "
                            + "Forbidden: may not be specified for non-apply patch");
                }
                ObjectNode patched = patch(request, info, def, query, writeOptions);
                writeObject(response, callback, 200, def, patched, accept, query);
                return 200;
            }
            case "DELETE" -> {
                ObjectNode optionsJson = deleteOptionsJson(request, query);
                DeleteOptions options = deleteOptions(optionsJson);
                // kubectl delete --dry-run=server puts dryRun in the DeleteOptions body, not the query.
                if (!writeOptions.dryRun() && dryRunValues(Json.at(optionsJson, "dryRun"))) {
                    writeOptions = writeOptions.withDryRun(true);
                }
                if (info.name().isEmpty()) {
                    List<ObjectNode> deleted = store.deleteCollection(def, info.namespace(), listOptions(def, query),
                            options, writeOptions);
                    writeList(response, callback, def, new GenericRegistry.ListResult(deleted, 0, "", null), accept, query);
                    return 200;
                }
                GenericRegistry.Deleted deleted = store.delete(def, info.namespace(), info.name(), options, writeOptions);
                // Upstream answers 200 even when the object lingers (finalizers, grace period); 202
                // Accepted only when it lingers and the legacy orphanDependents=false asked to cascade.
                JsonNode orphan = Json.at(optionsJson, "orphanDependents");
                int code = !deleted.gone() && orphan != null && orphan.isBoolean() && !orphan.booleanValue() ? 202 : 200;
                writeObject(response, callback, code, def, deleted.object(), accept, query);
                return code;
            }
            default -> throw ApiException.methodNotAllowed();
        }
    }

    /** fieldValidation: Strict rejects unknown fields (400), Warn sends them back as Warning headers. */
    private void validateFields(Response response, ResourceDefinition def, ObjectNode body, Fields query) {
        validateFields(response, def, body, null, query);
    }

    private void validateFields(Response response, ResourceDefinition def, ObjectNode body, byte[] raw, Fields query) {
        for (String warning : fieldValidation.check(def, body, raw,
                FieldValidation.mode(query.getValue("fieldValidation")))) {
            addWarning(response, warning);
        }
    }

    /** fieldValidation of a body {@link #decodeBody} read, with the duplicate-field check it made while reading. */
    private void validateDecodedFields(Request request, Response response, ResourceDefinition def, ObjectNode body,
            Fields query) {
        if (!(request.getAttribute(DUPLICATE_FIELD) instanceof String duplicate)) {
            validateFields(response, def, body, jsonBody(request), query);
            return;
        }
        for (String warning : fieldValidation.checkWithDuplicate(def, body, duplicate.isEmpty() ? null : duplicate,
                FieldValidation.mode(query.getValue("fieldValidation")))) {
            addWarning(response, warning);
        }
    }

    /** A warning for the client, as upstream's Warning header: code 299, agent "-", the text quoted. */
    private static void addWarning(Response response, String warning) {
        if (!response.isCommitted()) {
            response.getHeaders().add(HttpHeader.WARNING, "299 - " + Json.MAPPER.writeValueAsString(warning));
        }
    }

    /** The raw body of a JSON request, for the duplicate-field check; null for YAML and protobuf. */
    private static byte[] jsonBody(Request request) {
        String type = contentType(request);
        return type.isEmpty() || type.equals("application/json") ? (byte[]) request.getAttribute(RAW_BODY) : null;
    }

    private static void requireName(RequestInfo info) {
        if (info.name().isEmpty()) {
            throw ApiException.methodNotAllowed();
        }
    }

    private int postSubresource(Request request, Response response, Callback callback, RequestInfo info,
            ResourceDefinition def, Fields query, WriteOptions writeOptions, String accept) {
        String sub = info.subresource();
        ObjectNode body = decodeBody(request, null);
        if (TokenRequests.handles(def, sub)) {
            write(response, callback, 201, tokenRequests.create(def, info.namespace(), info.name(), body,
                    writeOptions), accept);
            return 201;
        }
        if (sub.equals("binding") && def.kind().equals("Pod")) {
            String node = Json.text(body, "target", "name");
            if (node == null || node.isEmpty()) {
                throw ApiException.badRequest("Binding target name is required");
            }
            store.guaranteedUpdate(def, info.namespace(), info.name(), 0, pod -> {
                String current = Json.text(pod, "spec", "nodeName");
                if (Json.at(pod, "metadata", "deletionTimestamp") != null) {
                    throw ApiException.conflict(def, info.name(), "pod " + info.name() + " is being deleted, cannot be "
                            + "assigned to a host");
                }
                if (current != null && !current.isEmpty()) {
                    throw ApiException.conflict(def, info.name(), "pod " + info.name() + " is already assigned to node \""
                            + current + "\"");
                }
                Json.objectAt(pod, "spec").put("nodeName", node);
                JsonNode annotations = Json.at(body, "metadata", "annotations");
                if (annotations != null && annotations.isObject()) {
                    Json.objectAt(pod, "metadata", "annotations").setAll((ObjectNode) annotations);
                }
                setCondition(pod, "PodScheduled", "True", Json.timestamp(clock.instant()));
                return pod;
            }, "binding", writeOptions);
            writeStatus(response, callback, 201, "Success", "");
            return 201;
        }
        if (sub.equals("eviction") && def.kind().equals("Pod")) {
            JsonNode opts = Json.at(body, "deleteOptions");
            DeleteOptions options = opts == null ? DeleteOptions.DEFAULT : deleteOptions(opts);
            store.delete(def, info.namespace(), info.name(), options, writeOptions);
            writeStatus(response, callback, 201, "Success", "");
            return 201;
        }
        throw ApiException.methodNotAllowed();
    }

    /**
     * The autoscaling/v1 Scale view of a workload: GET reads spec/status replicas and the selector,
     * PUT and PATCH (merge or JSON patch on the Scale) write spec.replicas of the workload.
     */
    private int serveScale(Request request, Response response, Callback callback, RequestInfo info,
            ResourceDefinition def, String method, WriteOptions writeOptions) {
        ObjectNode result;
        switch (method) {
            case "GET" -> result = Scales.of(def, store.get(def, info.namespace(), info.name()));
            case "PUT", "PATCH" -> {
                boolean put = method.equals("PUT");
                String type = contentType(request);
                JsonNode body = put ? decodeBody(request, null) : Json.MAPPER.readTree(readBody(request));
                if (!put && !type.equals("application/merge-patch+json") && !type.equals("application/json-patch+json")) {
                    throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                            + "format - accepted media types include: application/json-patch+json, "
                            + "application/merge-patch+json");
                }
                String rv = put ? Json.text(body, "metadata", "resourceVersion") : null;
                long expected = rv == null || rv.isEmpty() ? 0 : GenericRegistry.parseRevision(rv);
                ObjectNode updated = store.guaranteedUpdate(def, info.namespace(), info.name(), expected, current -> {
                    JsonNode scale = put ? body : type.equals("application/json-patch+json")
                            ? Patches.jsonPatch(Scales.of(def, current), body) : Patches.mergePatch(Scales.of(def, current), body);
                    JsonNode replicas = Json.at(scale, "spec", "replicas");
                    if (replicas == null || !replicas.isIntegralNumber() || replicas.asLong() < 0) {
                        throw new ApiException(422, "Invalid", "Scale.autoscaling \"" + info.name() + "\" is invalid: "
                                + "spec.replicas: Invalid value: " + replicas + ": must be greater than or equal to 0");
                    }
                    Scales.setReplicas(def, current, replicas.asInt());
                    return current;
                }, "", writeOptions);
                result = Scales.of(def, updated);
            }
            default -> throw ApiException.methodNotAllowed();
        }
        writeJson(response, callback, 200, result, JSON_TYPE);
        return 200;
    }

    /** Sets a status condition's status, keeping its lastTransitionTime when the status is unchanged. */
    private static void setCondition(ObjectNode object, String type, String status, String now) {
        ObjectNode st = Json.objectAt(object, "status");
        JsonNode existing = st.get("conditions");
        ArrayNode conditions = existing != null && existing.isArray() ? (ArrayNode) existing : st.putArray("conditions");
        for (JsonNode c : conditions) {
            if (type.equals(Json.text(c, "type"))) {
                if (!status.equals(Json.text(c, "status"))) {
                    // As upstream's UpdatePodCondition: the condition is replaced, so the previous reason and
                    // message (e.g. the scheduler's Unschedulable verdict) go with the old status.
                    ((ObjectNode) c).put("status", status);
                    ((ObjectNode) c).put("lastTransitionTime", now);
                    ((ObjectNode) c).remove("reason");
                    ((ObjectNode) c).remove("message");
                }
                return;
            }
        }
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", status);
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", now);
    }

    private ObjectNode patch(Request request, RequestInfo info, ResourceDefinition def, Fields query,
            WriteOptions writeOptions) {
        String type = contentType(request);
        JsonNode patch = Json.MAPPER.readTree(readBody(request));
        boolean json = type.equals("application/json-patch+json");
        // upstream takes strategic merge patches only for kinds compiled into Go types, never for custom resources
        boolean builtin = PatchMeta.knows(def.group(), def.version(), def.kind());
        boolean strategic = builtin && type.equals("application/strategic-merge-patch+json");
        if (!json && !strategic && !type.equals("application/merge-patch+json")) {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json"
                    + (builtin ? ", application/strategic-merge-patch+json" : ""));
        }
        long expected = 0;
        if (!json) {
            String rv = Json.text(patch, "metadata", "resourceVersion");
            if (rv != null && !rv.isEmpty()) {
                expected = GenericRegistry.parseRevision(rv);
            }
        }
        return store.guaranteedUpdate(def, info.namespace(), info.name(), expected, current -> {
            JsonNode result = json ? Patches.jsonPatch(current, patch)
                    : strategic ? strategicPatch(def, current, patch)
                    : Patches.mergePatch(current, patch);
            if (!result.isObject()) {
                throw ApiException.badRequest("the patch did not result in an object");
            }
            ObjectNode object = (ObjectNode) result;
            def.strategy().applyDefaults(object);
            return object;
        }, info.subresource(), writeOptions);
    }

    private static final String APPLY_TYPE = "application/apply-patch+yaml";

    /** The manager of a write: fieldManager, else the User-Agent up to its first "/", as upstream. */
    private static String fieldManager(Request request, Fields query) {
        String manager = query.getValue("fieldManager");
        if (manager != null && !manager.isEmpty()) {
            return manager;
        }
        String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
        if (agent == null || agent.isEmpty()) {
            return null;
        }
        int slash = agent.indexOf('/');
        return slash < 0 ? agent : agent.substring(0, slash);
    }

    private record Applied(int code, ObjectNode object) {
    }

    /**
     * Server-side apply (PATCH application/apply-patch+yaml): merges into the live object, or creates it
     * (201) when absent. The registry is given no manager: the Apply entry is recorded here.
     */
    private Applied applyPatch(Request request, Response response, RequestInfo info, ResourceDefinition def,
            Fields query, WriteOptions writeOptions) {
        byte[] raw = readBody(request); // read before any refusal, so the connection stays usable
        String manager = query.getValue("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                    + "Required value: is required for apply patch");
        }
        String forceText = query.getValue("force");
        boolean force = "true".equals(forceText);
        JsonNode parsed = Json.YAML.readTree(raw);
        if (parsed == null || !parsed.isObject()) {
            throw ApiException.badRequest("error decoding YAML: the applied configuration is not an object");
        }
        ObjectNode body = (ObjectNode) parsed;
        String bodyName = Json.text(body, "metadata", "name");
        if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(info.name())) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the "
                    + "URL (" + info.name() + ")");
        }
        validateFields(response, def, body, query);
        ManagedFields.Scope scope = ManagedFields.scope(def.group(), def.version(), def.kind(), info.subresource(),
                def.subresources().contains("status"));
        WriteOptions unrecorded = writeOptions.withFieldManager(null);
        try {
            ObjectNode updated = store.guaranteedUpdate(def, info.namespace(), info.name(), 0, current -> {
                ObjectNode result = applyOrConflict(current, body, manager, force, scope);
                def.strategy().applyDefaults(result);
                return result;
            }, info.subresource(), unrecorded);
            return new Applied(200, updated);
        } catch (ApiException e) {
            if (e.code() != 404 || !"NotFound".equals(e.reason()) || !info.subresource().isEmpty()) {
                throw e;
            }
        }
        ObjectNode created = applyOrConflict(null, body, manager, force, scope);
        Json.metadata(created).put("name", info.name());
        if (def.namespaced()) {
            Json.metadata(created).put("namespace", info.namespace());
        }
        return new Applied(201, store.create(def, info.namespace(), created, unrecorded));
    }

    private ObjectNode applyOrConflict(ObjectNode live, ObjectNode body, String manager, boolean force,
            ManagedFields.Scope scope) {
        try {
            return Apply.apply(live, body, manager, force, scope, clock.instant());
        } catch (Apply.ConflictException e) {
            List<ResourceStrategy.FieldProblem> causes = e.conflicts().stream().map(c -> new ResourceStrategy.FieldProblem(
                    "FieldManagerConflict", FieldSet.display(c.path()), c.owner())).toList();
            throw ApiException.applyConflict(e.getMessage(), causes);
        }
    }

    /** Upstream's interpretStrategicMergePatchError: malformed directives are 400, lists of lists 422, the rest 500. */
    private static JsonNode strategicPatch(ResourceDefinition def, JsonNode current, JsonNode patch) {
        try {
            return StrategicMergePatch.apply((ObjectNode) current, patch,
                    PatchMeta.forKind(def.group(), def.version(), def.kind()));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m.equals("invalid JSON document") || m.equals("invalid patch format of primitive list")
                    || m.equals("invalid patch format of retainKeys")
                    || m.equals("invalid patch format of setElementOrder list")) {
                throw ApiException.badRequest(m);
            }
            if (m.equals("lists of lists are not supported")) {
                throw new ApiException(422, "", m);
            }
            throw new ApiException(500, "", m);
        }
    }

    // ---- watch ----

    private void serveWatch(Request request, Response response, Callback callback, RequestInfo info, Fields query) {
        ResourceDefinition def = info.definition().orElseThrow();
        if (!info.subresource().isEmpty()) {
            throw ApiException.methodNotAllowed();
        }
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            // Watches are served as streaming HTTP. A WebSocket watch is refused at once with 503,
            // which clients that try WebSocket first (fabric8) take as the cue to watch over HTTP;
            // answering with a stream instead would leave their handshake waiting for its end.
            throw ApiException.unavailable("watch over WebSocket is not served; watch with a streaming HTTP request");
        }
        ListOptions options = listOptions(def, query);
        if (!info.name().isEmpty()) {
            // GET .../pods/x?watch=true watches one object: the same as fieldSelector=metadata.name=x.
            String name = info.name();
            ListOptions byName = options;
            options = new ListOptions(byName.labelSelector(),
                    fields -> name.equals(fields.get("metadata.name")) && byName.fieldSelector().test(fields),
                    byName.resourceVersion(), byName.resourceVersionMatch(), 0, "", byName.allowBookmarks(),
                    byName.timeoutSeconds());
        }
        String rv = options.resourceVersion();
        long after = rv.isEmpty() || rv.equals("0") ? 0 : GenericRegistry.parseRevision(rv);
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean table = Negotiation.wantsTable(accept);
        String includeObject = query.getValue("includeObject");
        WatchCache cache = store.cache(def);
        String prefix = def.keyPrefix(info.namespace());

        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
        WatchStream stream = new WatchStream(response, callback, event -> table
                ? line(event.type(), table(def, List.of(event.object()), event.object().path("metadata")
                        .path("resourceVersion").asString(""), "", null, includeObject))
                : event.encoded().json(() -> line(event.type(), event.object())),
                options.allowBookmarks() ? revision -> line("BOOKMARK", bookmark(def, revision)) : null);
        Runnable unregister;
        try {
            unregister = cache.watch(prefix, options, after, after == 0, stream);
        } catch (ApiException e) {
            // Upstream starts the stream and sends the error as an ERROR event.
            stream.finish(line("ERROR", status(e)));
            return;
        }
        stream.onClose(unregister);
        long timeout = options.timeoutSeconds() > 0 ? options.timeoutSeconds()
                : MIN_WATCH_SECONDS + ThreadLocalRandom.current().nextInt(MIN_WATCH_SECONDS);
        var timer = timers.schedule(() -> stream.finish(null), timeout, TimeUnit.SECONDS);
        stream.onClose(() -> {
            unregister.run();
            timer.cancel(false);
        });
        stream.start();
    }

    private static ObjectNode bookmark(ResourceDefinition def, long revision) {
        ObjectNode o = Json.object();
        o.put("kind", def.kind());
        o.put("apiVersion", def.apiVersion());
        o.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return o;
    }

    private static byte[] line(String type, JsonNode object) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.set("object", object);
        byte[] json = Json.bytes(event);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    // ---- request decoding ----

    private ListOptions listOptions(ResourceDefinition def, Fields query) {
        String labels = query.getValue("labelSelector");
        String fields = query.getValue("fieldSelector");
        long limit = parseLong(query.getValue("limit"), "limit");
        long timeout = parseLong(query.getValue("timeoutSeconds"), "timeoutSeconds");
        String match = value(query, "resourceVersionMatch");
        if (!match.isEmpty() && !match.equals("NotOlderThan") && !match.equals("Exact")) {
            throw ApiException.badRequest("resourceVersionMatch: Unsupported value: \"" + match
                    + "\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        return new ListOptions(
                labels == null || labels.isEmpty() ? ListOptions.ALL.labelSelector() : selectors.labels(labels),
                fields == null || fields.isEmpty() ? ListOptions.ALL.fieldSelector() : selectors.fields(def, fields),
                value(query, "resourceVersion"), match, Math.max(0, limit), value(query, "continue"),
                isTrue(query.getValue("allowWatchBookmarks")), Math.max(0, timeout));
    }

    private static String value(Fields query, String name) {
        String v = query.getValue(name);
        return v == null ? "" : v;
    }

    private static long parseLong(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + name + ": " + value);
        }
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("true") || value.equals("1"));
    }

    /** A DeleteOptions body's {@code dryRun: ["All"]}; other values are 400 as upstream. */
    private static boolean dryRunValues(JsonNode values) {
        if (values == null || !values.isArray() || values.isEmpty()) {
            return false;
        }
        for (JsonNode v : values) {
            if (!"All".equals(v.asString())) {
                throw ApiException.badRequest("dryRun: Unsupported value: \"" + v.asString()
                        + "\": supported values: \"All\"");
            }
        }
        return true;
    }

    private static boolean dryRun(Fields query) {
        List<String> values = query.getValues("dryRun");
        if (values == null || values.isEmpty()) {
            return false;
        }
        for (String v : values) {
            if (!v.equals("All")) {
                throw ApiException.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
            }
        }
        return true;
    }

    /** The DeleteOptions body with the query's gracePeriodSeconds and propagationPolicy merged in. */
    private ObjectNode deleteOptionsJson(Request request, Fields query) {
        byte[] body = readBody(request);
        JsonNode json = body.length == 0 ? Json.object() : decode(body, contentType(request));
        ObjectNode merged = json.isObject() ? (ObjectNode) json : Json.object();
        if (query.getValue("gracePeriodSeconds") != null) {
            merged.put("gracePeriodSeconds", parseLong(query.getValue("gracePeriodSeconds"), "gracePeriodSeconds"));
        }
        if (query.getValue("propagationPolicy") != null) {
            merged.put("propagationPolicy", query.getValue("propagationPolicy"));
        }
        return merged;
    }

    private static DeleteOptions deleteOptions(JsonNode json) {
        JsonNode grace = Json.at(json, "gracePeriodSeconds");
        String policy = Json.text(json, "propagationPolicy");
        if (policy == null) {
            JsonNode orphan = Json.at(json, "orphanDependents");
            if (orphan != null && orphan.isBoolean()) {
                policy = orphan.booleanValue() ? "Orphan" : "Background";
            }
        } else if (!List.of("Orphan", "Background", "Foreground").contains(policy)) {
            throw ApiException.badRequest("propagationPolicy: Unsupported value: \"" + policy
                    + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        return new DeleteOptions(grace == null ? null : grace.asLong(), policy,
                Json.text(json, "preconditions", "uid"), Json.text(json, "preconditions", "resourceVersion"));
    }

    /** Reads and decodes a body as JSON, YAML or protobuf; checks apiVersion/kind against the resource. */
    private ObjectNode decodeBody(Request request, ResourceDefinition def) {
        byte[] body = readBody(request);
        // Kept for fieldValidation's duplicate-field check, which needs the text, not the tree.
        request.setAttribute(RAW_BODY, body);
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        String type = contentType(request);
        JsonNode node;
        if (type.isEmpty() || type.equals("application/json")) {
            // One read for the tree and fieldValidation's duplicate-field check (which needs the text).
            FieldValidation.Parsed parsed = FieldValidation.parseJson(body);
            request.setAttribute(DUPLICATE_FIELD, parsed.duplicate() == null ? "" : parsed.duplicate());
            node = parsed.tree();
        } else {
            node = decode(body, type);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("the request body is not an object");
        }
        ObjectNode object = (ObjectNode) node;
        if (def != null) {
            String apiVersion = Json.text(object, "apiVersion");
            String kind = Json.text(object, "kind");
            if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(def.apiVersion())) {
                throw ApiException.badRequest("the API version in the data (" + apiVersion
                        + ") does not match the expected API version (" + def.apiVersion() + ")");
            }
            if (kind != null && !kind.isEmpty() && !kind.equals(def.kind())) {
                throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                        + def.kind() + ")");
            }
            object.put("apiVersion", def.apiVersion());
            object.put("kind", def.kind());
        }
        return object;
    }

    private JsonNode decode(byte[] body, String type) {
        return switch (type) {
            case "", "application/json", "*/*" -> Json.MAPPER.readTree(body);
            case "application/yaml", "application/x-yaml", "text/yaml" -> Json.YAML.readTree(body);
            case "application/vnd.kubernetes.protobuf" -> selectors.decodeProtobuf(body);
            default -> throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                    + "format - accepted media types include: application/json, application/yaml, "
                    + "application/vnd.kubernetes.protobuf");
        };
    }

    private static String contentType(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase();
    }

    private static byte[] readBody(Request request) {
        long length = request.getLength();
        if (length > MAX_BODY) {
            throw new ApiException(413, "RequestEntityTooLarge", "the request is too large: " + length + " bytes, "
                    + "the limit is " + MAX_BODY);
        }
        try {
            return Content.Source.asByteArrayAsync(request, MAX_BODY).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException || String.valueOf(e.getCause()).contains("max")) {
                throw new ApiException(413, "RequestEntityTooLarge", "the request is too large; the limit is "
                        + MAX_BODY + " bytes");
            }
            throw ApiException.badRequest("the request body could not be read: " + e.getCause());
        } catch (TimeoutException e) {
            throw ApiException.timeout("the request body did not arrive in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted");
        }
    }

    // ---- responses ----

    private void writeObject(Response response, Callback callback, int code, ResourceDefinition def, ObjectNode object,
            String accept, Fields query) {
        if (Negotiation.wantsTable(accept)) {
            String rv = object.path("metadata").path("resourceVersion").asString("");
            writeJson(response, callback, code, table(def, List.of(object), rv, "", null,
                    query.getValue("includeObject")), JSON_TYPE);
        } else {
            write(response, callback, code, object, accept);
        }
    }

    private void writeList(Response response, Callback callback, ResourceDefinition def, GenericRegistry.ListResult list,
            String accept, Fields query) {
        String rv = list.resourceVersion() > 0 ? Long.toString(list.resourceVersion()) : "";
        if (Negotiation.wantsTable(accept)) {
            writeJson(response, callback, 200, table(def, list.items(), rv, list.continueToken(), list.remaining(),
                    query.getValue("includeObject")), JSON_TYPE);
            return;
        }
        ObjectNode o = Json.object();
        o.put("kind", def.listKind());
        o.put("apiVersion", def.apiVersion());
        ObjectNode meta = o.putObject("metadata");
        if (!rv.isEmpty()) {
            meta.put("resourceVersion", rv);
        }
        if (!list.continueToken().isEmpty()) {
            meta.put("continue", list.continueToken());
        }
        if (list.remaining() != null) {
            meta.put("remainingItemCount", list.remaining());
        }
        ArrayNode items = o.putArray("items");
        list.items().forEach(items::add);
        write(response, callback, 200, o, accept);
    }

    /** A meta.k8s.io/v1 Table of the objects, with the kind's columns (upstream's server-side printing). */
    private ObjectNode table(ResourceDefinition def, List<ObjectNode> objects, String rv, String continueToken,
            Long remaining, String includeObject) {
        ResourceStrategy strategy = def.strategy();
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata");
        if (rv != null && !rv.isEmpty()) {
            meta.put("resourceVersion", rv);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            meta.put("continue", continueToken);
        }
        if (remaining != null) {
            meta.put("remainingItemCount", remaining);
        }
        ArrayNode columns = t.putArray("columnDefinitions");
        for (ResourceStrategy.Column c : strategy.columns()) {
            ObjectNode col = columns.addObject();
            col.put("name", c.name());
            col.put("type", c.type());
            col.put("format", c.format());
            col.put("description", c.description());
            col.put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        Instant now = clock.instant();
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : strategy.cells(object, now)) {
                cells.addPOJO(cell);
            }
            if ("None".equals(includeObject)) {
                continue;
            }
            if ("Object".equals(includeObject)) {
                row.set("object", object);
            } else {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", object.get("metadata"));
            }
        }
        return t;
    }

    private static void write(Response response, Callback callback, int code, JsonNode body, String accept) {
        if (Negotiation.wantsYaml(accept)) {
            byte[] yaml = Json.YAML.writeValueAsBytes(body);
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/yaml");
            response.write(true, java.nio.ByteBuffer.wrap(yaml), callback);
        } else {
            writeJson(response, callback, code, body, JSON_TYPE);
        }
    }

    private static void writeJson(Response response, Callback callback, int code, JsonNode body, String contentType) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, java.nio.ByteBuffer.wrap(Json.bytes(body)), callback);
    }

    private static void writeStatus(Response response, Callback callback, int code, String status, String message) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", status);
        if (!message.isEmpty()) {
            s.put("message", message);
        }
        s.put("code", code);
        writeJson(response, callback, code, s, JSON_TYPE);
    }

    static ObjectNode status(ApiException e) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", e.getMessage());
        s.put("reason", e.reason());
        ObjectNode details = s.putObject("details");
        if (e.name() != null) {
            details.put("name", e.name());
        }
        if (e.group() != null && !e.group().isEmpty()) {
            details.put("group", e.group());
        }
        if (e.kind() != null) {
            details.put("kind", e.kind());
        }
        if (!e.causes().isEmpty()) {
            ArrayNode causes = details.putArray("causes");
            for (ResourceStrategy.FieldProblem p : e.causes()) {
                ObjectNode c = causes.addObject();
                c.put("reason", p.reason());
                c.put("message", p.body());
                c.put("field", p.field());
            }
        }
        if (e.retryAfterSeconds() > 0) {
            details.put("retryAfterSeconds", e.retryAfterSeconds());
        }
        s.put("code", e.code());
        return s;
    }

    /** Answers an error as a Kubernetes Status, the only error shape API clients understand. */
    public static void writeError(Response response, Callback callback, ApiException e) {
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        writeJson(response, callback, e.code(), status(e), JSON_TYPE);
    }

    /** Accept-header decisions. */
    static final class Negotiation {
        private Negotiation() {
        }

        static boolean wantsTable(String accept) {
            if (accept == null) {
                return false;
            }
            for (String type : accept.split(",")) {
                if (type.contains("as=Table") && type.contains("g=meta.k8s.io")) {
                    return true;
                }
            }
            return false;
        }

        static boolean wantsYaml(String accept) {
            return accept != null && accept.trim().startsWith("application/yaml");
        }
    }
}
