package dev.okube.admission.resourcequota;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resourcequota controller: keeps every ResourceQuota's status.hard equal to spec.hard and
 * status.used computed from the objects that exist, as upstream's. A quota is synced when it is
 * added or its spec changes, when an object it tracks goes away or stops counting (a pod that
 * finished, a service that changed type, a claim that was resized...), when a pod's deletion grace
 * ends, and in a full resync at an interval. Additions are not watched: admission charges them.
 *
 * <p>Event handlers only enqueue "namespace/name" keys; one worker thread syncs them, each key at
 * most once at a time, failures retried with exponential backoff.
 */
@Component(name = ResourceQuotaController.PID, configurationPid = ResourceQuotaController.PID, immediate = true,
        service = {})
@Designate(ocd = ResourceQuotaController.Config.class)
public final class ResourceQuotaController {
    static final String PID = "dev.okube.controller.resourcequota";
    private static final Logger LOG = LoggerFactory.getLogger(ResourceQuotaController.class);
    private static final ResourceType QUOTAS = ResourceQuotaAdmission.QUOTAS;

    @ObjectClassDefinition(name = "okube resourcequota controller",
            description = "Computes ResourceQuota status.used from the objects in each namespace.")
    public @interface Config {
        @AttributeDefinition(description = "Every quota is recomputed this often (seconds; 0 disables).")
        long resyncPeriodSeconds() default 300;
    }

    private final ClusterResources resources;
    private final QuotaLedger ledger;
    private final AutoCloseable ledgerListener;
    private final Clock clock;
    private final Evaluators evaluators = new Evaluators();
    private final ScheduledExecutorService worker;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> rechecks = new ConcurrentHashMap<>();
    private final Map<ResourceType, AutoCloseable> watches = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    @Activate
    public ResourceQuotaController(@Reference ClusterResources resources, @Reference QuotaLedger ledger,
            Config config) {
        this(resources, ledger, Clock.systemUTC(), Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "resourcequota-controller");
            t.setDaemon(true);
            return t;
        }), config.resyncPeriodSeconds());
    }

    ResourceQuotaController(ClusterResources resources, QuotaLedger ledger, Clock clock,
            ScheduledExecutorService worker, long resyncSeconds) {
        this.resources = resources;
        this.ledger = ledger;
        this.clock = clock;
        this.worker = worker;
        // A charge whose object never shows up (its create failed after admission) is released by a
        // recount once it expires.
        this.ledgerListener = ledger.listen(charge -> {
            Evaluator e = evaluators.forResource(charge.resource());
            long delay = Math.max(0, Duration.between(clock.instant(), charge.expires()).toMillis()) + 100;
            if (e != null && !stopped) {
                try {
                    worker.schedule(() -> enqueueNamespace(charge.namespace(), e), delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException ignored) {
                    // shutting down
                }
            }
        });
        watch(QUOTAS, this::onQuota);
        for (Evaluator e : evaluators.builtIn()) {
            watchObjects(e);
        }
        if (resyncSeconds > 0) {
            worker.scheduleWithFixedDelay(this::enqueueAll, resyncSeconds, resyncSeconds, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    public void deactivate() {
        stopped = true;
        try {
            ledgerListener.close();
        } catch (Exception e) {
            LOG.debug("closing the ledger listener", e);
        }
        for (AutoCloseable w : watches.values()) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing a watch", e);
            }
        }
        watches.clear();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- events: only enqueue ----

    private void onQuota(ResourceEvent event) {
        ObjectNode quota = event.object();
        switch (event.type()) {
            case ADDED -> enqueue(key(quota));
            case MODIFIED -> {
                // Status writes (admission's charges, ours) do not trigger a recount; spec changes do.
                JsonNode oldSpec = event.oldObject() == null ? null : event.oldObject().get("spec");
                JsonNode status = quota.path("status");
                if (!Objects.equals(oldSpec, quota.get("spec")) || !status.path("hard").isObject()
                        || !status.path("used").isObject()) {
                    enqueue(key(quota));
                }
            }
            case DELETED -> {
                failures.remove(key(quota));
                rechecks.remove(key(quota));
            }
        }
    }

    private void watchObjects(Evaluator evaluator) {
        watch(evaluator.resource(), event -> onObject(evaluator, event));
    }

    private void onObject(Evaluator evaluator, ResourceEvent event) {
        boolean replenish = switch (event.type()) {
            case ADDED -> {
                JsonNode meta = event.object().path("metadata");
                ledger.seen(meta.path("namespace").asString(""), evaluator.resource(), meta.path("name").asString(""));
                yield false; // admission charged it
            }
            case DELETED -> true;
            case MODIFIED -> {
                Instant now = clock.instant();
                ObjectNode old = event.oldObject();
                try {
                    yield old == null || !ResourceList.equal(evaluator.usage(old, now), evaluator.usage(event.object(), now))
                            || evaluator.usageChangesAt(event.object()) != null && evaluator.usageChangesAt(old) == null;
                } catch (IllegalArgumentException e) {
                    yield true;
                }
            }
        };
        if (replenish) {
            enqueueNamespace(event.object().path("metadata").path("namespace").asString(""), evaluator);
        }
    }

    private void watch(ResourceType type, java.util.function.Consumer<ResourceEvent> handler) {
        if (stopped || watches.containsKey(type)) {
            return;
        }
        try {
            AutoCloseable handle = resources.watch(type, handler);
            if (watches.putIfAbsent(type, handle) != null) {
                handle.close();
            }
        } catch (ResourceException e) {
            LOG.info("resourcequota controller: cannot watch {}: {}", type, e.getMessage());
        } catch (Exception e) {
            LOG.warn("resourcequota controller: watching {} failed", type, e);
        }
    }

    /** The quotas of a namespace that track something this evaluator measures. */
    private void enqueueNamespace(String namespace, Evaluator evaluator) {
        if (namespace.isEmpty()) {
            return;
        }
        for (ObjectNode quota : resources.list(QUOTAS, namespace)) {
            try {
                if (!evaluator.matchingResources(ResourceList.read(quota.path("spec").get("hard")).keySet()).isEmpty()) {
                    enqueue(key(quota));
                }
            } catch (IllegalArgumentException e) {
                enqueue(key(quota));
            }
        }
    }

    void enqueueAll() {
        for (ObjectNode quota : resources.list(QUOTAS, "")) {
            enqueue(key(quota));
        }
    }

    void enqueue(String key) {
        if (stopped || !queued.add(key)) {
            return;
        }
        try {
            worker.execute(() -> {
                queued.remove(key);
                process(key);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queued.remove(key);
        }
    }

    private void process(String key) {
        int slash = key.indexOf('/');
        try {
            sync(key.substring(0, slash), key.substring(slash + 1));
            failures.remove(key);
        } catch (RuntimeException e) {
            int n = failures.merge(key, 1, Integer::sum);
            long delayMillis = Math.min(60_000, 5L << Math.min(n, 14));
            if (e instanceof ResourceException re && re.isConflict()) {
                LOG.debug("resourcequota {}: conflict, retrying in {} ms", key, delayMillis);
            } else {
                LOG.warn("resourcequota {}: sync failed (retry in {} ms): {}", key, delayMillis, e.toString());
            }
            schedule(key, delayMillis);
        }
    }

    private void schedule(String key, long delayMillis) {
        if (stopped) {
            return;
        }
        try {
            worker.schedule(() -> enqueue(key), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    // ---- the reconcile ----

    /**
     * Recomputes one quota's status and writes it when it changed. Idempotent; a conflict (someone
     * wrote the quota meanwhile) throws and the key is retried.
     */
    void sync(String namespace, String name) {
        boolean locked;
        try {
            locked = ledger.lock(namespace, 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!locked) {
            throw new IllegalStateException("namespace " + namespace + " stayed busy with admissions");
        }
        try {
            syncLocked(namespace, name);
        } finally {
            ledger.unlock(namespace);
        }
    }

    /** The recount, with the namespace locked against admission's charges. */
    private void syncLocked(String namespace, String name) {
        Optional<ObjectNode> found = resources.get(QUOTAS, namespace, name);
        if (found.isEmpty()) {
            return;
        }
        ObjectNode quota = found.get();
        JsonNode specHard = quota.path("spec").path("hard");
        TreeMap<String, Quantity> hard = ResourceList.read(specHard);
        JsonNode status = quota.path("status");
        TreeMap<String, Quantity> statusHard = ResourceList.read(status.get("hard"));
        TreeMap<String, Quantity> previous = ResourceList.read(status.get("used"));
        boolean dirty = !status.path("hard").isObject() || !status.path("used").isObject()
                || !ResourceList.equal(hard, statusHard);

        TreeMap<String, Quantity> used = new TreeMap<>(previous);
        used.putAll(calculateUsage(namespace, key(quota), ScopeRequirement.of(quota), hard));
        used = ResourceList.mask(used, hard.keySet());
        dirty |= !ResourceList.equal(used, previous);
        if (!dirty) {
            return;
        }
        ObjectNode updated = quota.deepCopy();
        ObjectNode newStatus = updated.putObject("status");
        newStatus.set("hard", specHard.isObject() ? specHard.deepCopy() : ResourceList.write(hard));
        newStatus.set("used", ResourceList.write(used));
        resources.updateStatus(QUOTAS, updated);
    }

    /**
     * The usage of every resource in {@code hard} that some evaluator measures (others are left
     * out), over the objects of the namespace in the quota's scopes; as upstream's CalculateUsage.
     */
    TreeMap<String, Quantity> calculateUsage(String namespace, String quotaKey, List<ScopeRequirement> scopes,
            Map<String, Quantity> hard) {
        Instant now = clock.instant();
        Set<String> matched = new LinkedHashSet<>();
        List<Evaluator> list = evaluators.forNames(hard.keySet());
        for (Evaluator e : list) {
            matched.addAll(e.matchingResources(hard.keySet()));
        }
        TreeMap<String, Quantity> usage = new TreeMap<>();
        for (Evaluator e : list) {
            List<String> names = e.matchingResources(matched);
            if (names.isEmpty()) {
                continue;
            }
            if (!resources.serves(e.resource())) {
                matched.removeAll(names); // nothing to count: keep what status said
                continue;
            }
            watchObjects(e); // count/<anything>: follow its deletions too
            TreeMap<String, Quantity> stats = new TreeMap<>();
            for (String n : names) {
                stats.put(n, Quantity.ZERO);
            }
            List<ObjectNode> objects = new ArrayList<>(resources.list(e.resource(), namespace));
            Set<String> present = new java.util.HashSet<>();
            for (ObjectNode object : objects) {
                present.add(object.path("metadata").path("name").asString(""));
            }
            for (QuotaLedger.Charge charge : ledger.pending(namespace, e.resource(), now)) {
                if (present.contains(charge.name())) {
                    ledger.seen(namespace, e.resource(), charge.name());
                } else {
                    objects.add(charge.object()); // admitted, not visible yet: it counts
                }
            }
            for (ObjectNode object : objects) {
                boolean inScope = true;
                for (ScopeRequirement scope : scopes) {
                    try {
                        inScope &= e.matchesScope(scope, object);
                    } catch (IllegalArgumentException ex) {
                        inScope = false;
                    }
                }
                if (!inScope) {
                    continue;
                }
                try {
                    stats = ResourceList.add(stats, e.usage(object, now));
                } catch (IllegalArgumentException ex) {
                    LOG.warn("resourcequota: {} {}/{} has a bad quantity: {}", e.resource(), namespace,
                            object.path("metadata").path("name").asString(""), ex.getMessage());
                }
                Instant change = e.usageChangesAt(object);
                if (change != null && change.isAfter(now)) {
                    recheckAt(quotaKey, change, now);
                }
            }
            usage = ResourceList.add(usage, stats);
        }
        return ResourceList.mask(usage, new ArrayList<>(matched));
    }

    /** Syncs the quota again when an object's usage changes by time alone (a pod's grace period ending). */
    private void recheckAt(String key, Instant when, Instant now) {
        Instant[] scheduled = new Instant[1];
        rechecks.compute(key, (k, existing) -> {
            if (existing != null && existing.isAfter(now) && !existing.isAfter(when)) {
                return existing;
            }
            scheduled[0] = when;
            return when;
        });
        if (scheduled[0] != null) {
            schedule(key, Math.max(0, Duration.between(now, when).toMillis()));
        }
    }

    private static String key(ObjectNode quota) {
        JsonNode meta = quota.path("metadata");
        return meta.path("namespace").asString("") + "/" + meta.path("name").asString("");
    }
}
