package dev.okube.auth.rbac;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RBAC objects of the cluster, kept in memory from watches and indexed by subject, so that a
 * decision looks up the bindings of the user's name and groups (a few map lookups) and then walks
 * only the rules of those bindings' roles. Shared, inside this bundle, by the authorizer and the
 * escalation check (upstream's rule resolver).
 */
@Component(service = RbacPolicy.class, immediate = true)
public final class RbacPolicy implements AutoCloseable {
    static final String GROUP = "rbac.authorization.k8s.io";
    static final ResourceType ROLES = ResourceType.of(GROUP, "roles");
    static final ResourceType CLUSTER_ROLES = ResourceType.of(GROUP, "clusterroles");
    static final ResourceType ROLE_BINDINGS = ResourceType.of(GROUP, "rolebindings");
    static final ResourceType CLUSTER_ROLE_BINDINGS = ResourceType.of(GROUP, "clusterrolebindings");
    static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private static final Logger LOG = LoggerFactory.getLogger(RbacPolicy.class);

    /** A subject of a binding: kind User, Group or ServiceAccount. */
    record Subject(String kind, String name, String namespace) {
        /** The index key of whom it designates, or null when it designates no one. */
        String key(String bindingNamespace) {
            switch (kind) {
                case "User":
                    return "u:" + name;
                case "Group":
                    return "g:" + name;
                case "ServiceAccount": {
                    String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                    return ns.isEmpty() ? null : "u:" + SERVICE_ACCOUNT_PREFIX + ns + ":" + name;
                }
                default:
                    return null;
            }
        }

        /** As upstream's describeSubject: ServiceAccount "name/namespace", else Kind "name". */
        String describe(String bindingNamespace) {
            if (kind.equals("ServiceAccount")) {
                return kind + " \"" + name + "/" + (namespace.isEmpty() ? bindingNamespace : namespace) + "\"";
            }
            return kind + " \"" + name + "\"";
        }
    }

    /** A RoleBinding (namespace set) or ClusterRoleBinding (namespace ""). */
    record Binding(String namespace, String name, String roleKind, String roleName, List<Subject> subjects) {
        boolean cluster() {
            return namespace.isEmpty();
        }

        String describe(Subject subject) {
            return cluster()
                    ? "ClusterRoleBinding \"" + name + "\" of " + roleKind + " \"" + roleName + "\" to "
                            + subject.describe("")
                    : "RoleBinding \"" + name + "/" + namespace + "\" of " + roleKind + " \"" + roleName + "\" to "
                            + subject.describe(namespace);
        }
    }

    /** What a visitor is shown: a rule and where it comes from. Return false to stop. */
    interface RuleVisitor {
        boolean visit(Binding binding, Subject subject, PolicyRule rule);
    }

    private final List<AutoCloseable> watches = new ArrayList<>();
    private final Map<String, List<PolicyRule>> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, List<PolicyRule>> roles = new ConcurrentHashMap<>(); // "ns/name"
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>(); // "ns/name", "/name" for cluster
    /** subject key → binding name → binding, for ClusterRoleBindings. */
    private final Map<String, Map<String, Binding>> clusterIndex = new ConcurrentHashMap<>();
    /** namespace → subject key → binding name → binding, for RoleBindings. */
    private final Map<String, Map<String, Map<String, Binding>>> namespaceIndex = new ConcurrentHashMap<>();

    @Activate
    public RbacPolicy(@Reference ClusterResources resources) {
        watch(resources, CLUSTER_ROLES, this::onClusterRole);
        watch(resources, ROLES, this::onRole);
        watch(resources, CLUSTER_ROLE_BINDINGS, this::onBinding);
        watch(resources, ROLE_BINDINGS, this::onBinding);
    }

    private void watch(ClusterResources resources, ResourceType type, Consumer<ResourceEvent> handler) {
        try {
            watches.add(resources.watch(type, event -> {
                try {
                    handler.accept(event);
                } catch (RuntimeException e) {
                    LOG.error("RBAC could not index a {} event of {}", event.type(), type, e);
                }
            }));
        } catch (RuntimeException e) {
            LOG.error("RBAC cannot watch {}: its objects will grant nothing", type, e);
        }
    }

    @Override
    @Deactivate
    public void close() {
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing a watch", e);
            }
        }
        watches.clear();
    }

    // ---- indexing ----

    private void onClusterRole(ResourceEvent event) {
        String name = name(event.object());
        if (event.type() == ResourceEvent.Type.DELETED) {
            clusterRoles.remove(name);
        } else {
            clusterRoles.put(name, PolicyRule.rulesOf(event.object()));
        }
    }

    private void onRole(ResourceEvent event) {
        String key = namespace(event.object()) + "/" + name(event.object());
        if (event.type() == ResourceEvent.Type.DELETED) {
            roles.remove(key);
        } else {
            roles.put(key, PolicyRule.rulesOf(event.object()));
        }
    }

    private synchronized void onBinding(ResourceEvent event) {
        ObjectNode o = event.object();
        String key = namespace(o) + "/" + name(o);
        Binding old = bindings.remove(key);
        if (old != null) {
            unindex(old);
        }
        if (event.type() != ResourceEvent.Type.DELETED) {
            Binding binding = parseBinding(o);
            bindings.put(key, binding);
            index(binding);
        }
    }

    static Binding parseBinding(JsonNode o) {
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : o.path("subjects")) {
            subjects.add(new Subject(s.path("kind").asString(""), s.path("name").asString(""),
                    s.path("namespace").asString("")));
        }
        JsonNode ref = o.path("roleRef");
        return new Binding(namespace(o), name(o), ref.path("kind").asString(""), ref.path("name").asString(""),
                List.copyOf(subjects));
    }

    private Map<String, Map<String, Binding>> indexOf(Binding b, boolean create) {
        if (b.cluster()) {
            return clusterIndex;
        }
        return create ? namespaceIndex.computeIfAbsent(b.namespace(), n -> new ConcurrentHashMap<>())
                : namespaceIndex.getOrDefault(b.namespace(), Map.of());
    }

    private void index(Binding b) {
        Map<String, Map<String, Binding>> index = indexOf(b, true);
        for (Subject s : b.subjects()) {
            String key = s.key(b.namespace());
            if (key != null) {
                index.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(b.name(), b);
            }
        }
    }

    private void unindex(Binding b) {
        Map<String, Map<String, Binding>> index = indexOf(b, false);
        for (Subject s : b.subjects()) {
            String key = s.key(b.namespace());
            Map<String, Binding> byName = key == null ? null : index.get(key);
            if (byName != null) {
                byName.remove(b.name());
                if (byName.isEmpty()) {
                    index.remove(key, byName);
                }
            }
        }
    }

    // ---- resolution (upstream's rule resolver) ----

    /**
     * Shows the visitor every rule granted to the user in the namespace: first those of
     * ClusterRoleBindings (in binding-name order), then, for a namespace, those of its RoleBindings.
     * A binding whose role does not exist adds an error to {@code errors} (may be null).
     */
    void visitRulesFor(UserInfo user, String namespace, List<String> errors, RuleVisitor visitor) {
        if (!visitBindings(user, clusterIndex, errors, visitor)) {
            return;
        }
        if (namespace != null && !namespace.isEmpty()) {
            visitBindings(user, namespaceIndex.getOrDefault(namespace, Map.of()), errors, visitor);
        }
    }

    private boolean visitBindings(UserInfo user, Map<String, Map<String, Binding>> index, List<String> errors,
            RuleVisitor visitor) {
        if (index.isEmpty()) {
            return true;
        }
        String userKey = "u:" + user.name();
        TreeMap<String, Binding> matched = new TreeMap<>();
        collect(index.get(userKey), matched);
        for (String group : user.groups()) {
            collect(index.get("g:" + group), matched);
        }
        for (Binding b : matched.values()) {
            Subject subject = firstApplying(b, userKey, user);
            if (subject == null) {
                continue;
            }
            List<PolicyRule> rules = roleRules(b.roleKind(), b.roleName(), b.namespace());
            if (rules == null) {
                if (errors != null) {
                    errors.add(notFound(b.roleKind(), b.roleName()));
                }
                continue;
            }
            for (PolicyRule rule : rules) {
                if (!visitor.visit(b, subject, rule)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void collect(Map<String, Binding> byName, Map<String, Binding> into) {
        if (byName != null) {
            into.putAll(byName);
        }
    }

    private static Subject firstApplying(Binding b, String userKey, UserInfo user) {
        for (Subject s : b.subjects()) {
            String key = s.key(b.namespace());
            if (key == null) {
                continue;
            }
            if (key.equals(userKey) || (s.kind().equals("Group") && user.groups().contains(s.name()))) {
                return s;
            }
        }
        return null;
    }

    /** The rules of a roleRef as seen from a binding in {@code namespace}; null when the role is missing. */
    List<PolicyRule> roleRules(String kind, String name, String namespace) {
        switch (kind) {
            case "ClusterRole":
                return clusterRoles.get(name);
            case "Role":
                return namespace.isEmpty() ? null : roles.get(namespace + "/" + name);
            default:
                return null;
        }
    }

    static String notFound(String kind, String name) {
        return kind.toLowerCase(java.util.Locale.ROOT) + "." + GROUP + " \"" + name + "\" not found";
    }

    /** Every rule the user holds in the namespace ("" = cluster-wide rules only). */
    List<PolicyRule> rulesFor(UserInfo user, String namespace, List<String> errors) {
        List<PolicyRule> result = new ArrayList<>();
        visitRulesFor(user, namespace, errors, (b, s, rule) -> result.add(rule));
        return result;
    }

    /** Upstream's RBACAuthorizer.Authorize: the reason of the first allowing rule, or null. */
    String allowedBy(AuthorizationRequest request) {
        return allowedBy(request, null);
    }

    /** As {@link #allowedBy(AuthorizationRequest)}, noting missing roles met on the way into {@code errors}. */
    String allowedBy(AuthorizationRequest request, List<String> errors) {
        String[] reason = new String[1];
        visitRulesFor(request.user(), request.namespace(), errors, (binding, subject, rule) -> {
            if (rule.allows(request)) {
                reason[0] = "RBAC: allowed by " + binding.describe(subject);
                return false;
            }
            return true;
        });
        return reason[0];
    }

    /** How many bindings and roles are indexed (for logs and tests). */
    int[] sizes() {
        return new int[] {clusterRoles.size(), roles.size(), bindings.size()};
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asString("");
    }

    static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asString("");
    }
}
