package dev.okube.admission.webhook;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls one webhook over HTTPS with an AdmissionReview, as upstream's webhook client: the URL or
 * the service reference, caBundle trust, the timeout (also sent as {@code ?timeout=Ns}), the
 * AdmissionReview version the webhook accepts first (v1 or v1beta1), and the checks upstream makes
 * of the response. Everything that goes wrong on the way is a {@link CallException}, which the
 * failurePolicy decides about.
 */
final class WebhookClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ResourceType SERVICES = ResourceType.core("services");

    /** A failure to get a usable answer from a webhook (upstream's ErrCallingWebhook). */
    static final class CallException extends Exception {
        private static final long serialVersionUID = 1L;

        CallException(String message) {
            super(message);
        }
    }

    /** A usable answer. {@code status} is the response's result Status (may be null). */
    record Answer(boolean allowed, JsonNode status, JsonNode patch, List<String> warnings) {
    }

    private record Target(URI uri, String serverName) {
    }

    private final ClusterResources resources;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    WebhookClient(ClusterResources resources) {
        this.resources = resources;
    }

    Answer call(Webhook hook, AdmissionRequest request, boolean mutating) throws CallException {
        String version = null;
        for (String v : hook.admissionReviewVersions()) {
            if (v.equals("v1") || v.equals("v1beta1")) {
                version = v;
                break;
            }
        }
        if (version == null) {
            throw new CallException("could not create admission objects: webhook does not accept known "
                    + "AdmissionReview versions (v1, v1beta1)");
        }
        String uid = UUID.randomUUID().toString();
        ObjectNode review = review(version, uid, request);
        Target target;
        HttpClient client;
        try {
            target = target(hook);
            client = client(hook, target);
        } catch (CallException e) {
            throw new CallException("could not get REST client: " + e.getMessage());
        }
        String timeout = "timeout=" + hook.timeoutSeconds() + "s";
        URI uri = withQuery(target.uri(), timeout);
        HttpRequest http = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(hook.timeoutSeconds()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, */*")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(review)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(http, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new CallException("failed to call webhook: Post \"" + uri + "\": context deadline exceeded");
        } catch (ConnectException e) {
            throw new CallException("failed to call webhook: Post \"" + uri + "\": dial tcp " + uri.getHost() + ":"
                    + port(uri) + ": connect: connection refused");
        } catch (SSLException e) {
            throw new CallException("failed to call webhook: Post \"" + uri + "\": tls: " + rootMessage(e));
        } catch (IOException e) {
            throw new CallException("failed to call webhook: Post \"" + uri + "\": " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallException("failed to call webhook: Post \"" + uri + "\": context canceled");
        }
        int code = response.statusCode();
        if (code < 200 || code > 299) {
            throw new CallException("failed to call webhook: the server responded with the status code " + code
                    + " but did not return more information");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new CallException("failed to call webhook: the response is not JSON: " + e.getMessage());
        }
        return verify(version, uid, mutating, body);
    }

    /** The AdmissionReview sent, field for field as upstream's CreateV1AdmissionReview. */
    static ObjectNode review(String version, String uid, AdmissionRequest request) {
        ObjectNode review = JSON.createObjectNode();
        review.put("kind", "AdmissionReview");
        review.put("apiVersion", "admission.k8s.io/" + version);
        ObjectNode r = review.putObject("request");
        r.put("uid", uid);
        ObjectNode kind = r.putObject("kind");
        kind.put("group", Rules.nz(request.group()));
        kind.put("version", Rules.nz(request.version()));
        kind.put("kind", Rules.nz(request.kind()));
        ObjectNode resource = r.putObject("resource");
        resource.put("group", Rules.nz(request.group()));
        resource.put("version", Rules.nz(request.version()));
        resource.put("resource", request.resource());
        if (!Rules.nz(request.subresource()).isEmpty()) {
            r.put("subResource", request.subresource());
        }
        // okube serves one version per resource and converts nothing: the request's kind and resource
        // are the ones the webhook receives.
        r.set("requestKind", kind.deepCopy());
        r.set("requestResource", resource.deepCopy());
        if (!Rules.nz(request.subresource()).isEmpty()) {
            r.put("requestSubResource", request.subresource());
        }
        if (!Rules.nz(request.name()).isEmpty()) {
            r.put("name", request.name());
        }
        if (!Rules.nz(request.namespace()).isEmpty()) {
            r.put("namespace", request.namespace());
        }
        r.put("operation", request.operation().name());
        r.set("userInfo", userInfo(request.user()));
        r.set("object", request.object() == null ? JSON.nullNode() : request.object().deepCopy());
        r.set("oldObject", request.oldObject() == null ? JSON.nullNode() : request.oldObject().deepCopy());
        r.put("dryRun", request.dryRun());
        r.set("options", options(request));
        return review;
    }

    private static ObjectNode userInfo(UserInfo user) {
        ObjectNode u = JSON.createObjectNode();
        u.put("username", user.name());
        if (!Rules.nz(user.uid()).isEmpty()) {
            u.put("uid", user.uid());
        }
        if (!user.groups().isEmpty()) {
            ArrayNode groups = u.putArray("groups");
            user.groups().forEach(groups::add);
        }
        if (!user.extra().isEmpty()) {
            ObjectNode extra = u.putObject("extra");
            user.extra().forEach((k, values) -> {
                ArrayNode a = extra.putArray(k);
                values.forEach(a::add);
            });
        }
        return u;
    }

    /**
     * The operation's options object. The SPI's request does not carry the client's options (e.g.
     * fieldManager), so only what is known is sent: the kind and, for dry runs, dryRun: [All].
     */
    private static JsonNode options(AdmissionRequest request) {
        String kind = switch (request.operation()) {
            case CREATE -> "CreateOptions";
            case UPDATE -> "UpdateOptions";
            case DELETE -> "DeleteOptions";
            case CONNECT -> null;
        };
        if (kind == null) {
            return JSON.nullNode();
        }
        ObjectNode options = JSON.createObjectNode();
        options.put("kind", kind);
        options.put("apiVersion", "meta.k8s.io/v1");
        if (request.dryRun()) {
            options.putArray("dryRun").add("All");
        }
        return options;
    }

    /** upstream's VerifyAdmissionResponse. */
    static Answer verify(String version, String uid, boolean mutating, JsonNode review) throws CallException {
        JsonNode response = review.get("response");
        if (response == null || response.isNull()) {
            throw invalid("webhook response was absent");
        }
        List<String> warnings = new ArrayList<>();
        for (JsonNode w : response.path("warnings")) {
            warnings.add(w.asString(""));
        }
        JsonNode result = response.get("status");
        if (result != null && result.isNull()) {
            result = null;
        }
        boolean allowed = response.path("allowed").asBoolean(false);
        String patchText = response.path("patch").isString() ? response.path("patch").asString() : "";
        JsonNode patchType = response.get("patchType");
        boolean hasPatchType = patchType != null && !patchType.isNull();
        if (version.equals("v1")) {
            String got = response.path("uid").asString("");
            if (!got.equals(uid)) {
                throw invalid("expected response.uid=\"" + uid + "\", got \"" + got + "\"");
            }
            String apiVersion = review.path("apiVersion").asString("");
            String kind = review.path("kind").asString("");
            if (!apiVersion.equals("admission.k8s.io/v1") || !kind.equals("AdmissionReview")) {
                throw invalid("expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got "
                        + gvkString(apiVersion, kind));
            }
            if (mutating) {
                if (!patchText.isEmpty() && !hasPatchType) {
                    throw invalid("webhook returned response.patch but not response.patchType");
                }
                if (patchText.isEmpty() && hasPatchType) {
                    throw invalid("webhook returned response.patchType but not response.patch");
                }
                if (hasPatchType && patchType.asString("").isEmpty()) {
                    throw invalid("webhook returned invalid response.patchType of \"\"");
                }
            } else {
                if (!patchText.isEmpty()) {
                    throw invalid("validating webhook may not return response.patch");
                }
                if (hasPatchType) {
                    throw invalid("validating webhook may not return response.patchType");
                }
            }
        }
        JsonNode patch = null;
        if (mutating && allowed && !patchText.isEmpty()) {
            String type = hasPatchType ? patchType.asString("") : "JSONPatch";
            if (!type.equals("JSONPatch")) {
                throw new CallException("unsupported patch type \"" + type + "\"");
            }
            try {
                patch = JSON.readTree(Base64.getDecoder().decode(patchText));
                JsonPatch.decode(patch);
            } catch (RuntimeException e) {
                throw new CallException("received undecodable patch in webhook response: " + e.getMessage());
            }
        }
        return new Answer(allowed, result, patch, List.copyOf(warnings));
    }

    private static String gvkString(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return group + "/" + version + ", Kind=" + kind;
    }

    private static CallException invalid(String message) {
        return new CallException("received invalid webhook response: " + message);
    }

    /**
     * Where to connect. A URL is used as it is. A service reference resolves as upstream's
     * ResolveCluster does: a ClusterIP service to its clusterIP and the service port, an
     * ExternalName service to its external name; the certificate must name {@code name.namespace.svc}.
     * okube has no service proxy in the apiserver's host yet, so the clusterIP must be reachable from
     * it (ExternalName services to a host name or loopback address work anywhere).
     */
    private Target target(Webhook hook) throws CallException {
        JsonNode config = hook.clientConfig();
        String url = config.path("url").asString("");
        if (!url.isEmpty()) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new CallException("invalid webhook URL \"" + url + "\": " + e.getMessage());
            }
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new CallException("invalid webhook URL \"" + url + "\": the scheme must be https");
            }
            return new Target(uri, unbracket(uri.getHost()));
        }
        JsonNode ref = config.path("service");
        if (ref.isMissingNode() || ref.isNull()) {
            throw new CallException("webhook has neither clientConfig.url nor clientConfig.service");
        }
        String namespace = ref.path("namespace").asString("");
        String name = ref.path("name").asString("");
        int port = ref.path("port").asInt(443);
        String path = ref.path("path").asString("");
        Optional<ObjectNode> service = resources.get(SERVICES, namespace, name);
        if (service.isEmpty()) {
            throw new CallException("services \"" + name + "\" not found");
        }
        JsonNode spec = service.get().path("spec");
        String type = spec.path("type").asString("ClusterIP");
        String host;
        int targetPort = port;
        if (type.equals("ExternalName")) {
            host = spec.path("externalName").asString("");
        } else if (type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer")) {
            host = spec.path("clusterIP").asString("");
            if (host.isEmpty() || host.equals("None")) {
                throw new CallException("cannot route to service with ClusterIP None");
            }
            boolean found = false;
            for (JsonNode p : spec.path("ports")) {
                if (p.path("port").asInt(-1) == port) {
                    found = true;
                }
            }
            if (!found) {
                throw new CallException("no service port " + port + " found for service \"" + name + "\"");
            }
        } else {
            throw new CallException("unsupported service type \"" + type + "\"");
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        try {
            URI uri = new URI("https://" + host + ":" + targetPort + (path.isEmpty() ? "/" : path));
            return new Target(uri, name + "." + namespace + ".svc");
        } catch (URISyntaxException e) {
            throw new CallException("invalid service reference: " + e.getMessage());
        }
    }

    private HttpClient client(Webhook hook, Target target) throws CallException {
        String caBundle = hook.clientConfig().path("caBundle").asString("");
        String key = caBundle + "|" + target.serverName() + "|" + hook.timeoutSeconds();
        HttpClient client = clients.get(key);
        if (client != null) {
            return client;
        }
        byte[] pem;
        try {
            pem = caBundle.isEmpty() ? null : Base64.getDecoder().decode(caBundle);
        } catch (IllegalArgumentException e) {
            throw new CallException("caBundle is not base64: " + e.getMessage());
        }
        try {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(hook.timeoutSeconds()))
                    .sslContext(ServerTrust.context(pem, target.serverName()))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new CallException("invalid caBundle: " + e.getMessage());
        }
        if (clients.size() > 256) {
            clients.clear();
        }
        clients.put(key, client);
        return client;
    }

    private static URI withQuery(URI uri, String query) {
        String q = uri.getRawQuery() == null || uri.getRawQuery().isEmpty() ? query : uri.getRawQuery() + "&" + query;
        String s = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + "?" + q;
        return URI.create(s);
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? 443 : uri.getPort();
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
