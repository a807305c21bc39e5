package dev.okube.auth.rbac;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code rbac/bootstrap-roles} post-start hook: at every start, creates the bootstrap
 * ClusterRoles and ClusterRoleBindings that are missing and reconciles those that exist: missing
 * rules, aggregation selectors, subjects, labels and annotations are added, nothing is removed, and
 * objects annotated {@code rbac.authorization.kubernetes.io/autoupdate: "false"} are left alone. A
 * binding whose roleRef differs is recreated (a roleRef cannot be changed). Runs on its own thread,
 * retrying while the apiserver refuses, so activation never blocks.
 */
@Component(service = {})
public final class BootstrapReconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapReconciler.class);
    private static final int MAX_CONFLICT_RETRIES = 5;

    /** What a reconcile did. */
    record Result(int created, int updated, int unchanged, int skipped) {
    }

    private final ClusterResources resources;
    private final BootstrapPolicy policy;
    private final ExecutorService executor;

    @Activate
    public BootstrapReconciler(@Reference ClusterResources resources) {
        this.resources = resources;
        this.policy = BootstrapPolicy.load();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "okube-rbac-bootstrap");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::reconcileUntilDone);
    }

    /** For tests: reconcile on demand with {@link #reconcile()}. */
    BootstrapReconciler(ClusterResources resources, BootstrapPolicy policy) {
        this.resources = resources;
        this.policy = policy;
        this.executor = null;
    }

    @Override
    @Deactivate
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void reconcileUntilDone() {
        long delayMs = 200;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Result r = reconcile();
                LOG.info("RBAC bootstrap policy: {} objects created, {} updated, {} unchanged, {} left alone "
                        + "(autoupdate=false)", r.created(), r.updated(), r.unchanged(), r.skipped());
                return;
            } catch (RuntimeException e) {
                LOG.warn("RBAC bootstrap policy not reconciled yet, retrying in {} ms: {}", delayMs, e.toString());
                try {
                    TimeUnit.MILLISECONDS.sleep(delayMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                delayMs = Math.min(delayMs * 2, 10_000);
            }
        }
    }

    /** One pass over the whole policy. */
    Result reconcile() {
        int[] counts = new int[4];
        for (ObjectNode role : policy.clusterRoles()) {
            counts[reconcileOne(RbacPolicy.CLUSTER_ROLES, role)]++;
        }
        for (ObjectNode binding : policy.clusterRoleBindings()) {
            counts[reconcileOne(RbacPolicy.CLUSTER_ROLE_BINDINGS, binding)]++;
        }
        return new Result(counts[0], counts[1], counts[2], counts[3]);
    }

    /** 0 created, 1 updated, 2 unchanged, 3 skipped. */
    private int reconcileOne(ResourceType type, ObjectNode expected) {
        String name = RbacPolicy.name(expected);
        for (int attempt = 0; ; attempt++) {
            Optional<ObjectNode> existing = resources.get(type, "", name);
            try {
                if (existing.isEmpty()) {
                    resources.create(type, expected.deepCopy());
                    return 0;
                }
                ObjectNode current = existing.get();
                if ("false".equals(current.path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE)
                        .asString(""))) {
                    return 3;
                }
                if (type.equals(RbacPolicy.CLUSTER_ROLE_BINDINGS)
                        && !current.path("roleRef").equals(expected.path("roleRef"))) {
                    resources.delete(type, "", name);
                    resources.create(type, expected.deepCopy());
                    LOG.info("recreated ClusterRoleBinding {}: its roleRef differed from the bootstrap policy", name);
                    return 1;
                }
                ObjectNode reconciled = type.equals(RbacPolicy.CLUSTER_ROLES) ? reconcileRole(current, expected)
                        : reconcileBinding(current, expected);
                if (reconciled == null) {
                    return 2;
                }
                resources.update(type, reconciled);
                return 1;
            } catch (ResourceException e) {
                boolean retry = (e.isConflict() || e.code() == 409) && attempt < MAX_CONFLICT_RETRIES;
                if (!retry) {
                    throw e;
                }
            }
        }
    }

    /** The existing role with what the expected one adds, or null when nothing is missing. */
    static ObjectNode reconcileRole(ObjectNode existing, ObjectNode expected) {
        ObjectNode result = existing.deepCopy();
        boolean changed = mergeMetadata(result, expected);
        JsonNode expectedAggregation = expected.path("aggregationRule");
        if (expectedAggregation.isObject()) {
            // The aggregation controller owns the rules of an aggregated role; reconcile its selectors.
            ArrayNode selectors = result.withObjectProperty("aggregationRule").withArray("clusterRoleSelectors");
            for (JsonNode selector : expectedAggregation.path("clusterRoleSelectors")) {
                if (!contains(selectors, selector)) {
                    selectors.add(selector.deepCopy());
                    changed = true;
                }
            }
        } else {
            List<PolicyRule> missing = PolicyRule.uncovered(PolicyRule.rulesOf(existing), PolicyRule.rulesOf(expected));
            if (!missing.isEmpty()) {
                ArrayNode rules = result.withArray("rules");
                missing.forEach(r -> rules.add(r.toJson()));
                changed = true;
            }
        }
        return changed ? result : null;
    }

    /** The existing binding with the missing subjects added, or null when nothing is missing. */
    static ObjectNode reconcileBinding(ObjectNode existing, ObjectNode expected) {
        ObjectNode result = existing.deepCopy();
        boolean changed = mergeMetadata(result, expected);
        List<JsonNode> missing = new ArrayList<>();
        for (JsonNode want : expected.path("subjects")) {
            boolean present = false;
            for (JsonNode have : existing.path("subjects")) {
                if (sameSubject(have, want)) {
                    present = true;
                    break;
                }
            }
            if (!present) {
                missing.add(want);
            }
        }
        if (!missing.isEmpty()) {
            ArrayNode subjects = result.withArray("subjects");
            missing.forEach(s -> subjects.add(s.deepCopy()));
            changed = true;
        }
        return changed ? result : null;
    }

    private static boolean sameSubject(JsonNode a, JsonNode b) {
        for (String field : List.of("kind", "name", "namespace")) {
            if (!a.path(field).asString("").equals(b.path(field).asString(""))) {
                return false;
            }
        }
        return true;
    }

    /** Adds expected labels and annotations that are missing; existing values win, as upstream. */
    private static boolean mergeMetadata(ObjectNode result, ObjectNode expected) {
        boolean changed = false;
        for (String field : List.of("labels", "annotations")) {
            for (var entry : expected.path("metadata").path(field).properties()) {
                ObjectNode map = result.withObjectProperty("metadata").withObjectProperty(field);
                if (!map.has(entry.getKey())) {
                    map.set(entry.getKey(), entry.getValue().deepCopy());
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static boolean contains(ArrayNode array, JsonNode item) {
        for (JsonNode n : array) {
            if (n.equals(item)) {
                return true;
            }
        }
        return false;
    }
}
