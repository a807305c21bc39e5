package dev.okube.apiserver.openapi;

import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /openapi/v3} and {@code /openapi/v3/<group-version>}, with kube-openapi handler3's caching:
 * a request carrying the current {@code hash} is immutable for a year, a stale hash is redirected to
 * the current URL, and the ETag (the quoted hash) answers If-None-Match with 304. Only JSON is
 * served; kubectl asks for JSON (the protobuf form is an optional optimisation upstream).
 * Mount at {@code /openapi/*}; paths are taken from the context path whether or not the mapping
 * strips {@code /openapi}. Unknown paths return false so the next handler (404) answers.
 */
public final class OpenApiHandler extends Handler.Abstract.NonBlocking {
    private static final String JSON = "application/json";

    private final OpenApi openApi;

    public OpenApiHandler() {
        this(OpenApi.load());
    }

    public OpenApiHandler(OpenApi openApi) {
        this.openApi = openApi;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.startsWith("/openapi/") || path.equals("/openapi")) {
            path = path.substring("/openapi".length());
        }
        OpenApi.Document doc = null;
        if (!path.equals("/v3") && !path.equals("/v3/")) {
            if (!path.startsWith("/v3/")) {
                return false;
            }
            doc = openApi.document(path.substring("/v3/".length()));
            if (doc == null) {
                return false;
            }
        }
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return plain(response, callback, 405, "method not allowed");
        }
        if (!acceptsJson(request.getHeaders().get(HttpHeader.ACCEPT))) {
            return plain(response, callback, 406, "only application/json is served");
        }
        if (doc == null) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
            return body(request, response, callback, openApi.index());
        }
        Fields query = Request.extractQueryParameters(request);
        String hash = query.getValue("hash");
        if (hash != null && !hash.equals(doc.hash())) {
            // Same as upstream: an old hash is sent to the current document rather than failing.
            response.setStatus(301);
            response.getHeaders().put(HttpHeader.LOCATION, doc.serverRelativeURL());
            callback.succeeded();
            return true;
        }
        if (hash != null) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, immutable");
            response.getHeaders().put(HttpHeader.EXPIRES,
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusYears(1)));
        } else {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
        }
        String etag = "\"" + doc.hash() + "\"";
        response.getHeaders().put(HttpHeader.ETAG, etag);
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals(doc.hash()))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        return body(request, response, callback, doc.json());
    }

    private static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String part : accept.split(",")) {
            String type = part.split(";", 2)[0].trim().toLowerCase();
            if (type.equals(JSON) || type.equals("*/*") || type.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean body(Request request, Response response, Callback callback, byte[] json) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(json), callback);
        }
        return true;
    }

    private static boolean plain(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
        return true;
    }
}
