package dev.okube.auth.node;

import dev.okube.api.admission.UserInfo;

/** Who is a node, as upstream's default node identifier. */
final class NodeIdentity {
    static final String NODES_GROUP = "system:nodes";
    static final String NODE_USER_PREFIX = "system:node:";

    private NodeIdentity() {
    }

    /**
     * The node's name when the user is a node (named {@code system:node:<name>} and in group
     * {@code system:nodes}); "" when it is a node whose name is empty; null when it is not a node.
     */
    static String of(UserInfo user) {
        if (user == null || user.name() == null || !user.name().startsWith(NODE_USER_PREFIX)
                || !user.groups().contains(NODES_GROUP)) {
            return null;
        }
        return user.name().substring(NODE_USER_PREFIX.length());
    }
}
