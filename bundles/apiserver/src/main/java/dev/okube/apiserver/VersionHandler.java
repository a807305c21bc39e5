package dev.okube.apiserver;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /version}. The kubectl on these machines is a dispatcher that runs the kubectl build
 * matching {@code minor}, so okube reports the Kubernetes version whose API it serves: 1.32.
 */
final class VersionHandler extends Handler.Abstract.NonBlocking {
    static final String MAJOR = "1";
    static final String MINOR = "32";
    static final String GIT_VERSION = "v1.32.0+okube";

    private final String body;

    VersionHandler() {
        String platform = System.getProperty("os.name").toLowerCase().replace(' ', '_') + "/"
                + switch (System.getProperty("os.arch")) {
                    case "amd64", "x86_64" -> "amd64";
                    case "aarch64" -> "arm64";
                    default -> System.getProperty("os.arch");
                };
        body = "{\"major\":\"" + MAJOR + "\",\"minor\":\"" + MINOR + "\",\"gitVersion\":\"" + GIT_VERSION
                + "\",\"gitCommit\":\"\",\"gitTreeState\":\"\",\"buildDate\":\"\",\"goVersion\":" + Responses.quote("java" + System.getProperty("java.version"))
                + ",\"compiler\":\"javac\",\"platform\":" + Responses.quote(platform) + "}";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Responses.write(response, callback, 200, Responses.JSON, body);
        return true;
    }
}
