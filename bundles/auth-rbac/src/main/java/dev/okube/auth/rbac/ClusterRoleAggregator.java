package dev.okube.auth.rbac;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Upstream's clusterrole-aggregation controller: a ClusterRole with
 * {@code aggregationRule.clusterRoleSelectors} gets as {@code rules} the union of the rules of the
 * other ClusterRoles its selectors match, kept up to date as ClusterRoles change. Any ClusterRole
 * event queues every aggregated ClusterRole; a deduplicating queue drained by one worker syncs them.
 */
@Component(service = {})
public final class ClusterRoleAggregator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRoleAggregator.class);
    private static final int MAX_CONFLICT_RETRIES = 10;

    private final ClusterResources resources;
    private final Executor executor;
    private final ExecutorService owned;
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    private boolean draining;
    private AutoCloseable watch;

    @Activate
    public ClusterRoleAggregator(@Reference ClusterResources resources) {
        this(resources, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "okube-clusterrole-aggregation");
            t.setDaemon(true);
            return t;
        }));
    }

    /** For tests: runs the queue on the given executor ({@code Runnable::run} = on the event's thread). */
    ClusterRoleAggregator(ClusterResources resources, Executor executor) {
        this.resources = resources;
        this.executor = executor;
        this.owned = executor instanceof ExecutorService es ? es : null;
        try {
            this.watch = resources.watch(RbacPolicy.CLUSTER_ROLES, this::onEvent);
        } catch (RuntimeException e) {
            LOG.error("ClusterRole aggregation cannot watch clusterroles", e);
        }
    }

    @Override
    @Deactivate
    public void close() {
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception e) {
            LOG.debug("closing the clusterroles watch", e);
        }
        if (owned != null) {
            owned.shutdownNow();
        }
    }

    private void onEvent(ResourceEvent event) {
        // Any change may change what a selector matches: queue every aggregated ClusterRole.
        List<String> names = new ArrayList<>();
        if (aggregated(event.object())) {
            names.add(RbacPolicy.name(event.object()));
        }
        for (ObjectNode role : resources.list(RbacPolicy.CLUSTER_ROLES, "")) {
            if (aggregated(role)) {
                names.add(RbacPolicy.name(role));
            }
        }
        if (event.type() == ResourceEvent.Type.DELETED) {
            names.remove(RbacPolicy.name(event.object()));
        }
        enqueue(names);
    }

    private void enqueue(List<String> names) {
        boolean start;
        synchronized (pending) {
            pending.addAll(names);
            start = !draining && !pending.isEmpty();
            if (start) {
                draining = true;
            }
        }
        if (start) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) { // executor shut down
                synchronized (pending) {
                    draining = false;
                }
            }
        }
    }

    private void drain() {
        while (true) {
            String name;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    draining = false;
                    return;
                }
                name = pending.iterator().next();
                pending.remove(name);
            }
            try {
                sync(name);
            } catch (RuntimeException e) {
                LOG.warn("aggregating ClusterRole {} failed", name, e);
            }
        }
    }

    /** Recomputes one aggregated ClusterRole's rules; retries from the cache on a conflict. */
    void sync(String name) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Optional<ObjectNode> current = resources.get(RbacPolicy.CLUSTER_ROLES, "", name);
            if (current.isEmpty() || !aggregated(current.get())) {
                return;
            }
            List<PolicyRule> rules = aggregate(current.get());
            if (rules.equals(PolicyRule.rulesOf(current.get()))) {
                return;
            }
            ObjectNode updated = current.get().deepCopy();
            ArrayNode array = updated.putArray("rules");
            rules.forEach(r -> array.add(r.toJson()));
            try {
                resources.update(RbacPolicy.CLUSTER_ROLES, updated);
                LOG.debug("ClusterRole {} aggregates {} rules", name, rules.size());
                return;
            } catch (ResourceException e) {
                if (!e.isConflict()) {
                    throw e;
                }
            }
        }
        LOG.warn("ClusterRole {} kept conflicting; it is aggregated again at the next ClusterRole change", name);
    }

    /** The union of the rules of the ClusterRoles the role's selectors match, in upstream's order. */
    List<PolicyRule> aggregate(ObjectNode role) {
        String self = RbacPolicy.name(role);
        List<ObjectNode> all = new ArrayList<>(resources.list(RbacPolicy.CLUSTER_ROLES, ""));
        all.sort(Comparator.comparing(RbacPolicy::name));
        List<PolicyRule> rules = new ArrayList<>();
        for (JsonNode selector : role.path("aggregationRule").path("clusterRoleSelectors")) {
            for (ObjectNode other : all) {
                if (RbacPolicy.name(other).equals(self)
                        || !LabelSelector.matches(selector, other.path("metadata").path("labels"))) {
                    continue;
                }
                for (PolicyRule rule : PolicyRule.rulesOf(other)) {
                    if (!rules.contains(rule)) {
                        rules.add(rule);
                    }
                }
            }
        }
        return rules;
    }

    static boolean aggregated(JsonNode role) {
        JsonNode rule = role.path("aggregationRule");
        return rule.isObject();
    }
}
