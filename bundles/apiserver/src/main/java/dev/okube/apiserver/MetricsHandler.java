package dev.okube.apiserver;

import dev.okube.apiserver.rest.Metrics;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /metrics} in Prometheus text format. */
final class MetricsHandler extends Handler.Abstract.NonBlocking {
    private final Metrics metrics;

    MetricsHandler(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Responses.write(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        return true;
    }
}
