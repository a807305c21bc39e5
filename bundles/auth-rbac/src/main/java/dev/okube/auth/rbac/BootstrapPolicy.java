package dev.okube.auth.rbac;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bootstrap policy (upstream's bootstrappolicy package) as objects, read from the bundle's
 * {@code bootstrap-policy.txt}: ClusterRoles and ClusterRoleBindings, labelled
 * {@code kubernetes.io/bootstrapping: rbac-defaults} and annotated
 * {@code rbac.authorization.kubernetes.io/autoupdate: "true"}.
 */
record BootstrapPolicy(List<ObjectNode> clusterRoles, List<ObjectNode> clusterRoleBindings) {
    static final String BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
    static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    static final String RESOURCE = "bootstrap-policy.txt";
    private static final String CONTROLLER_PREFIX = "system:controller:";
    private static final Map<String, List<String>> VERB_SETS = Map.of(
            "@read", List.of("get", "list", "watch"),
            "@write", List.of("create", "update", "patch", "delete", "deletecollection"),
            "@readwrite", List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"),
            "@readupdate", List.of("get", "list", "watch", "update", "patch"));
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    BootstrapPolicy {
        clusterRoles = List.copyOf(clusterRoles);
        clusterRoleBindings = List.copyOf(clusterRoleBindings);
    }

    /** The policy this bundle ships. */
    static BootstrapPolicy load() {
        try (InputStream in = BootstrapPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** Parses the policy text; a malformed line fails with its line number. */
    static BootstrapPolicy parse(String text) {
        Map<String, ObjectNode> roles = new LinkedHashMap<>();
        Map<String, ObjectNode> bindings = new LinkedHashMap<>();
        ObjectNode role = null;
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] t = trimmed.split("\\s+");
                boolean indented = Character.isWhitespace(line.charAt(0));
                if (!indented) {
                    role = null;
                    switch (t[0]) {
                        case "role":
                        case "controller": {
                            require(t.length >= 2, "a name");
                            String name = t[0].equals("controller") ? CONTROLLER_PREFIX + t[1] : t[1];
                            role = clusterRole(name, Arrays.asList(t).subList(2, t.length));
                            if (roles.put(name, role) != null) {
                                throw new IllegalArgumentException("ClusterRole " + name + " is defined twice");
                            }
                            if (t[0].equals("controller")) {
                                require(t.length == 2, "only a name after controller");
                                bindings.put(name, binding(name, name, List.of("sa:kube-system:" + t[1])));
                            }
                            break;
                        }
                        case "binding":
                            require(t.length >= 3, "a name and a ClusterRole");
                            if (bindings.put(t[1], binding(t[1], t[2], Arrays.asList(t).subList(3, t.length))) != null) {
                                throw new IllegalArgumentException("ClusterRoleBinding " + t[1] + " is defined twice");
                            }
                            break;
                        default:
                            throw new IllegalArgumentException("unknown statement " + t[0]);
                    }
                    continue;
                }
                if (role == null) {
                    throw new IllegalArgumentException("an indented line belongs under a role or controller");
                }
                switch (t[0]) {
                    case "rule":
                        require(t.length == 4 || t.length == 5, "rule VERBS GROUPS RESOURCES [NAMES]");
                        role.withArray("rules").add(PolicyRule.resource(verbs(t[1]), list(t[2]), list(t[3]),
                                t.length == 5 ? list(t[4]) : List.of()).toJson());
                        break;
                    case "url":
                        require(t.length == 3, "url VERBS URLS");
                        role.withArray("rules").add(PolicyRule.nonResource(verbs(t[1]), list(t[2])).toJson());
                        break;
                    case "events":
                        require(t.length == 1, "nothing after events");
                        role.withArray("rules").add(PolicyRule.resource(List.of("create", "update", "patch"),
                                List.of("", "events.k8s.io"), List.of("events"), List.of()).toJson());
                        break;
                    case "aggregate": {
                        require(t.length == 2, "aggregate LABEL=VALUE");
                        String[] kv = keyValue(t[1]);
                        ObjectNode selector = F.objectNode();
                        selector.putObject("matchLabels").put(kv[0], kv[1]);
                        role.withObjectProperty("aggregationRule").withArray("clusterRoleSelectors").add(selector);
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown role line " + t[0]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RESOURCE + " line " + lineNumber + ": " + e.getMessage(), e);
        }
        for (ObjectNode b : bindings.values()) {
            String ref = b.path("roleRef").path("name").asString("");
            if (!roles.containsKey(ref)) {
                throw new IllegalArgumentException(RESOURCE + ": ClusterRoleBinding " + RbacPolicy.name(b)
                        + " refers to ClusterRole " + ref + ", which it does not define");
            }
        }
        return new BootstrapPolicy(new ArrayList<>(roles.values()), new ArrayList<>(bindings.values()));
    }

    private static ObjectNode clusterRole(String name, List<String> labels) {
        ObjectNode role = object("ClusterRole", name);
        for (String label : labels) {
            String[] kv = keyValue(label);
            role.withObjectProperty("metadata").withObjectProperty("labels").put(kv[0], kv[1]);
        }
        return role;
    }

    private static ObjectNode binding(String name, String roleName, List<String> subjects) {
        ObjectNode binding = object("ClusterRoleBinding", name);
        binding.putObject("roleRef").put("apiGroup", RbacPolicy.GROUP).put("kind", "ClusterRole").put("name", roleName);
        if (!subjects.isEmpty()) {
            ArrayNode array = binding.putArray("subjects");
            for (String s : subjects) {
                array.add(subject(s));
            }
        }
        return binding;
    }

    private static ObjectNode subject(String spec) {
        int colon = spec.indexOf(':');
        require(colon > 0, "a subject kind:name, got " + spec);
        String kind = spec.substring(0, colon);
        String rest = spec.substring(colon + 1);
        ObjectNode s = F.objectNode();
        switch (kind) {
            case "user":
                return s.put("kind", "User").put("apiGroup", RbacPolicy.GROUP).put("name", rest);
            case "group":
                return s.put("kind", "Group").put("apiGroup", RbacPolicy.GROUP).put("name", rest);
            case "sa": {
                int c = rest.indexOf(':');
                require(c > 0 && c < rest.length() - 1, "sa:NAMESPACE:NAME, got " + spec);
                return s.put("kind", "ServiceAccount").put("name", rest.substring(c + 1))
                        .put("namespace", rest.substring(0, c));
            }
            default:
                throw new IllegalArgumentException("unknown subject kind " + kind);
        }
    }

    private static ObjectNode object(String kind, String name) {
        ObjectNode o = F.objectNode();
        o.put("apiVersion", RbacPolicy.GROUP + "/v1").put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.putObject("labels").put(BOOTSTRAP_LABEL, "rbac-defaults");
        meta.putObject("annotations").put(AUTOUPDATE, "true");
        return o;
    }

    private static List<String> verbs(String token) {
        List<String> result = new ArrayList<>();
        for (String v : list(token)) {
            if (v.startsWith("@")) {
                List<String> set = VERB_SETS.get(v);
                require(set != null, "a known verb set, got " + v);
                result.addAll(set);
            } else {
                result.add(v);
            }
        }
        return result;
    }

    private static List<String> list(String token) {
        List<String> result = new ArrayList<>();
        for (String item : token.split(",", -1)) {
            result.add(item.equals("\"\"") ? "" : item);
        }
        return result;
    }

    private static String[] keyValue(String token) {
        int eq = token.indexOf('=');
        require(eq > 0, "LABEL=VALUE, got " + token);
        return new String[] {token.substring(0, eq), token.substring(eq + 1)};
    }

    private static void require(boolean condition, String expected) {
        if (!condition) {
            throw new IllegalArgumentException("expected " + expected);
        }
    }
}
