package dev.okube.apiserver;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The last handler: what no route claimed is a 404 {@code Status}, as upstream answers unknown API paths. */
final class NotFoundHandler extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Responses.status(response, callback, 404, "NotFound", "the server could not find the requested resource");
        return true;
    }
}
