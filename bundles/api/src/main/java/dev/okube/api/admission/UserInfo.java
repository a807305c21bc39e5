package dev.okube.api.admission;

import java.util.List;
import java.util.Map;

/**
 * The authenticated user, as upstream's user.Info.
 *
 * @param name   the user name, e.g. "system:admin" or "system:serviceaccount:ns:sa"
 * @param uid    a unique id, may be empty
 * @param groups the groups, e.g. "system:masters", "system:authenticated"
 * @param extra  further attributes set by the authenticator
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public UserInfo {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }
}
