package dev.okube.apiserver;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Serves one health endpoint and its per-check sub-paths ({@code /readyz}, {@code /readyz/etcd}). */
final class HealthHandler extends Handler.Abstract.NonBlocking {
    private final HealthEndpoints health;
    private final HealthEndpoints.Endpoint endpoint;

    HealthHandler(HealthEndpoints health, HealthEndpoints.Endpoint endpoint) {
        this.health = health;
        this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            Responses.status(response, callback, 405, "MethodNotAllowed",
                    method + " is not supported on /" + endpoint.path());
            return true;
        }
        // The full path: PathMappingsHandler narrows the path in context to the matched prefix.
        String path = request.getHttpURI().getDecodedPath();
        String prefix = "/" + endpoint.path();
        String sub = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
        CompletableFuture<HealthEndpoints.Answer> answer;
        if (sub.isEmpty()) {
            Fields query = Request.extractQueryParameters(request);
            List<String> excluded = query.getValues("exclude");
            Set<String> exclude = excluded == null ? Set.of() : new HashSet<>(excluded);
            answer = health.evaluate(endpoint, exclude, query.get("verbose") != null);
        } else {
            Optional<CompletableFuture<HealthEndpoints.Answer>> one = health.evaluateOne(endpoint, sub);
            if (one.isEmpty()) {
                Responses.status(response, callback, 404, "NotFound",
                        "no health check named \"" + sub + "\" on /" + endpoint.path());
                return true;
            }
            answer = one.get();
        }
        answer.whenComplete((a, error) -> {
            if (error != null) {
                Responses.write(response, callback, 500, Responses.TEXT, "internal server error: " + error + "\n");
            } else {
                Responses.write(response, callback, a.status(), Responses.TEXT, a.body());
            }
        });
        return true;
    }
}
