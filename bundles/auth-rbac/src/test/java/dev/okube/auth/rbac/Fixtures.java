package dev.okube.auth.rbac;

import static dev.okube.testkit.Admission.json;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Builders of RBAC objects and requests shared by this bundle's tests. */
final class Fixtures {
    private Fixtures() {
    }

    static UserInfo user(String name, String... groups) {
        List<String> all = new ArrayList<>(Arrays.asList(groups));
        all.add("system:authenticated");
        return new UserInfo(name, "", all, Map.of());
    }

    static UserInfo serviceAccount(String namespace, String name) {
        return new UserInfo("system:serviceaccount:" + namespace + ":" + name, "",
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"),
                Map.of());
    }

    static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"),
            Map.of());

    static AuthorizationRequest resource(UserInfo user, String verb, String group, String resource,
            String subresource, String namespace, String name) {
        return new AuthorizationRequest(user, verb, true, group, "v1", resource, subresource, namespace, name, "");
    }

    static AuthorizationRequest path(UserInfo user, String verb, String path) {
        return new AuthorizationRequest(user, verb, false, "", "", "", "", "", "", path);
    }

    /**
     * A rule written 'verbs|groups|resources|names' or 'verbs|url:paths', lists comma-separated; an
     * empty group list item is the core group: 'get||pods'.
     */
    static String rule(String spec) {
        String[] p = spec.split("\\|", -1);
        if (p[1].startsWith("url:")) {
            return "{'verbs':" + list(p[0]) + ",'nonResourceURLs':" + list(p[1].substring(4)) + "}";
        }
        return "{'verbs':" + list(p[0]) + ",'apiGroups':" + list(p[1]) + ",'resources':" + list(p[2])
                + (p.length > 3 ? ",'resourceNames':" + list(p[3]) : "") + "}";
    }

    private static String list(String csv) {
        StringBuilder b = new StringBuilder("[");
        String[] items = csv.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            b.append(i == 0 ? "" : ",").append("'").append(items[i]).append("'");
        }
        return b.append("]").toString();
    }

    static String rules(String... specs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < specs.length; i++) {
            b.append(i == 0 ? "" : ",").append(rule(specs[i]));
        }
        return b.append("]").toString();
    }

    static ObjectNode clusterRole(String name, String... rules) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole','metadata':{'name':'" + name
                + "'},'rules':" + rules(rules) + "}");
    }

    static ObjectNode role(String namespace, String name, String... rules) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'Role','metadata':{'name':'" + name
                + "','namespace':'" + namespace + "'},'rules':" + rules(rules) + "}");
    }

    /** A subject written 'User:name', 'Group:name', 'ServiceAccount:ns:name' or 'ServiceAccount::name'. */
    static String subjects(String... specs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < specs.length; i++) {
            String[] p = specs[i].split(":", 2);
            b.append(i == 0 ? "" : ",");
            if (p[0].equals("ServiceAccount")) {
                int c = p[1].indexOf(':');
                String ns = p[1].substring(0, c);
                b.append("{'kind':'ServiceAccount','name':'").append(p[1].substring(c + 1)).append("'")
                        .append(ns.isEmpty() ? "" : ",'namespace':'" + ns + "'").append("}");
            } else {
                b.append("{'kind':'").append(p[0]).append("','apiGroup':'rbac.authorization.k8s.io','name':'")
                        .append(p[1]).append("'}");
            }
        }
        return b.append("]").toString();
    }

    static ObjectNode clusterRoleBinding(String name, String clusterRole, String... subjects) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRoleBinding','metadata':{'name':'"
                + name + "'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'"
                + clusterRole + "'},'subjects':" + subjects(subjects) + "}");
    }

    static ObjectNode roleBinding(String namespace, String name, String roleKind, String roleName,
            String... subjects) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding','metadata':{'name':'" + name
                + "','namespace':'" + namespace + "'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'"
                + roleKind + "','name':'" + roleName + "'},'subjects':" + subjects(subjects) + "}");
    }

    static InMemoryClusterResources cluster() {
        return new InMemoryClusterResources().serve(RbacPolicy.ROLES, RbacPolicy.CLUSTER_ROLES,
                RbacPolicy.ROLE_BINDINGS, RbacPolicy.CLUSTER_ROLE_BINDINGS);
    }
}
