package dev.okube.apiserver.security;

import dev.okube.api.admission.UserInfo;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/** The authenticated user of a request, as the security handler leaves it for the handlers behind it. */
public final class Users {
    static final String ATTRIBUTE = "dev.okube.apiserver.user";
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String MASTERS = "system:masters";
    public static final String ANONYMOUS = "system:anonymous";

    /**
     * Who requests not passing the security handler act as. Only handlers wired without it see this
     * (unit tests of the REST layer); the apiserver always puts the security handler in front.
     */
    public static final UserInfo UNSECURED_ADMIN = new UserInfo("system:admin", "", List.of(MASTERS, AUTHENTICATED),
            Map.of());

    private Users() {
    }

    public static UserInfo of(Request request) {
        Object user = request.getAttribute(ATTRIBUTE);
        return user instanceof UserInfo u ? u : UNSECURED_ADMIN;
    }

    static void set(Request request, UserInfo user) {
        request.setAttribute(ATTRIBUTE, user);
    }

    /** A service account's user name, system:serviceaccount:ns:name, split; null when it is not one. */
    static String[] serviceAccount(String userName) {
        String prefix = "system:serviceaccount:";
        if (!userName.startsWith(prefix)) {
            return null;
        }
        String[] parts = userName.substring(prefix.length()).split(":", -1);
        return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts : null;
    }
}
