package dev.okube.apiserver.rest;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import dev.okube.api.authentication.ServiceAccountTokenIssuer.BoundObject;
import dev.okube.api.authentication.ServiceAccountTokenIssuer.BoundTokenRequest;
import dev.okube.api.authentication.ServiceAccountTokenIssuer.IssuedToken;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.WriteOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The TokenRequest API, {@code POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token}
 * ({@code kubectl create token}), with upstream's semantics: an authentication.k8s.io/v1 TokenRequest
 * in, the same back (201) with status.token and status.expirationTimestamp. Audiences default to the
 * apiserver's, expirationSeconds to 3600 (at least 600); a boundObjectRef (Pod, Secret or Node) must
 * exist and, when it names a uid, still have it. Tokens are signed by the installed
 * {@link ServiceAccountTokenIssuer}; without one the API answers 503. Nothing is stored.
 */
final class TokenRequests {
    static final String API_VERSION = "authentication.k8s.io/v1";
    static final String KIND = "TokenRequest";
    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;

    private final Supplier<ServiceAccountTokenIssuer> issuer;
    private final Registry registry;
    private final GenericRegistry store;
    private final Clock clock;

    TokenRequests(Supplier<ServiceAccountTokenIssuer> issuer, Registry registry, GenericRegistry store, Clock clock) {
        this.issuer = issuer;
        this.registry = registry;
        this.store = store;
        this.clock = clock;
    }

    static boolean handles(ResourceDefinition def, String subresource) {
        return subresource.equals("token") && def.group().isEmpty() && def.kind().equals("ServiceAccount");
    }

    /**
     * Answers one TokenRequest for the service account {@code namespace/name}.
     *
     * @param options the requesting user (for admission) and where warnings go (a shortened lifetime)
     */
    ObjectNode create(ResourceDefinition serviceAccounts, String namespace, String name, ObjectNode body,
            WriteOptions options) {
        Consumer<String> warnings = options.warnings();
        String apiVersion = Json.text(body, "apiVersion");
        String kind = Json.text(body, "kind");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(API_VERSION)) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + API_VERSION + ")");
        }
        if (kind != null && !kind.isEmpty() && !kind.equals(KIND)) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + KIND + ")");
        }
        ObjectNode request = body.deepCopy();
        request.put("apiVersion", API_VERSION);
        request.put("kind", KIND);
        ObjectNode meta = Json.objectAt(request, "metadata");
        String bodyName = Json.text(meta, "name");
        if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
            throw invalid(name, "metadata.name: Invalid value: \"" + bodyName
                    + "\": must match the service account name if specified");
        }
        String bodyNamespace = Json.text(meta, "namespace");
        if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw invalid(name, "metadata.namespace: Invalid value: \"" + bodyNamespace
                    + "\": must match the service account namespace if specified");
        }
        ObjectNode account = store.get(serviceAccounts, namespace, name);
        String accountUid = Json.text(account, "metadata", "uid");
        ServiceAccountTokenIssuer signer = issuer.get();
        if (signer == null) {
            throw ApiException.unavailable("no service-account token issuer is installed: install the "
                    + "okube-auth-serviceaccount feature to serve serviceaccounts/token");
        }

        ObjectNode spec = Json.objectAt(request, "spec");
        List<String> audiences = audiences(spec.get("audiences"));
        if (audiences.isEmpty()) {
            audiences = signer.defaultAudiences();
        }
        ArrayNode audienceArray = spec.putArray("audiences");
        audiences.forEach(audienceArray::add);
        JsonNode expiration = spec.get("expirationSeconds");
        long seconds;
        if (expiration == null || expiration.isNull()) {
            seconds = DEFAULT_EXPIRATION_SECONDS;
        } else if (expiration.isIntegralNumber() && expiration.canConvertToLong()) {
            seconds = expiration.longValue();
        } else {
            throw ApiException.badRequest("spec.expirationSeconds must be an integer, not " + expiration);
        }
        spec.put("expirationSeconds", seconds);
        Instant now = clock.instant();
        meta.put("name", name);
        meta.put("namespace", namespace);
        meta.put("uid", accountUid);
        meta.put("creationTimestamp", Json.timestamp(now));
        request.remove("status");

        List<String> problems = new ArrayList<>();
        if (seconds < MIN_EXPIRATION_SECONDS) {
            problems.add("spec.expirationSeconds: Invalid value: " + seconds
                    + ": may not specify a duration less than 10 minutes");
        }
        if (seconds > MAX_EXPIRATION_SECONDS) {
            problems.add("spec.expirationSeconds: Invalid value: " + seconds
                    + ": may not specify a duration larger than 2^32 seconds");
        }
        if (!problems.isEmpty()) {
            // Upstream validates before defaulting the name into the error: the message names "".
            throw invalid("", problems.size() == 1 ? problems.get(0) : problems.toString());
        }

        // Upstream admits the TokenRequest as a create of serviceaccounts/token (NodeRestriction checks it).
        store.admit(new AdmissionRequest(Operation.CREATE, serviceAccounts.group(), serviceAccounts.version(), KIND,
                serviceAccounts.plural(), "token", namespace, name, request, null, options.user(), options.dryRun()),
                options);
        BoundObject bound = boundObject(spec.get("boundObjectRef"), namespace, name);
        IssuedToken issued;
        try {
            issued = signer.issue(new BoundTokenRequest(namespace, name, accountUid, audiences, seconds, bound));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (RuntimeException e) {
            throw ApiException.internal("failed to generate token: " + e.getMessage());
        }
        long granted = Math.max(0, issued.expiration().getEpochSecond() - now.getEpochSecond());
        if (granted < seconds) {
            warnings.accept("requested expiration of " + seconds + " seconds shortened to " + granted + " seconds");
            spec.put("expirationSeconds", granted);
        }
        ObjectNode status = request.putObject("status");
        status.put("token", issued.token());
        status.put("expirationTimestamp", Json.timestamp(issued.expiration()));
        return request;
    }

    private static List<String> audiences(JsonNode node) {
        List<String> audiences = new ArrayList<>();
        if (node == null || node.isNull()) {
            return audiences;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("spec.audiences must be a list of strings");
        }
        for (JsonNode a : node) {
            if (!a.isString()) {
                throw ApiException.badRequest("spec.audiences must be a list of strings");
            }
            audiences.add(a.stringValue());
        }
        return audiences;
    }

    /** Resolves spec.boundObjectRef as upstream: Pod (of this service account), Secret or Node, which must exist. */
    private BoundObject boundObject(JsonNode ref, String namespace, String accountName) {
        if (ref == null || ref.isNull() || (ref.isObject() && ref.isEmpty())) {
            return null;
        }
        String apiVersion = textOr(ref, "apiVersion");
        String kind = textOr(ref, "kind");
        String refName = textOr(ref, "name");
        String refUid = textOr(ref, "uid");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        String plural = !group.isEmpty() ? "" : switch (kind) {
            case "Pod" -> "pods";
            case "Secret" -> "secrets";
            case "Node" -> "nodes";
            default -> "";
        };
        if (plural.isEmpty()) {
            throw ApiException.badRequest("cannot bind token to object of type " + group + "/" + version + ", Kind="
                    + kind);
        }
        ResourceDefinition def = registry.findResource("", plural).orElseThrow(() ->
                ApiException.badRequest("cannot bind token to object of type " + kind + ": not served"));
        ObjectNode object = store.get(def, def.namespaced() ? namespace : "", refName);
        if (kind.equals("Pod") && !accountName.equals(Json.text(object, "spec", "serviceAccountName"))) {
            throw ApiException.badRequest("cannot bind token for serviceaccount \"" + accountName
                    + "\" to pod running with different serviceaccount name.");
        }
        String uid = Json.text(object, "metadata", "uid");
        if (!refUid.isEmpty() && !refUid.equals(uid)) {
            throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + refName
                    + "\": the UID in the bound object reference (" + refUid + ") does not match the UID in record. "
                    + "The object might have been deleted and then recreated");
        }
        return new BoundObject(kind, apiVersion.isEmpty() ? "v1" : apiVersion, refName, uid);
    }

    private static String textOr(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString("");
    }

    private static ApiException invalid(String name, String problem) {
        return new ApiException(422, "Invalid", KIND + ".authentication.k8s.io \"" + name + "\" is invalid: " + problem);
    }
}
