package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ResourceQuota admission plugin: a write that would take a namespace's usage past one of its
 * ResourceQuotas is refused (403), and an admitted write is charged to the quotas' status.used
 * before it is stored, with an optimistic status update (retried on conflicts), so concurrent
 * writes cannot all slip under a limit. Writes in one namespace are evaluated one at a time.
 * Dry-run writes are checked but never charged. The resourcequota controller recomputes usage from
 * the stored objects and releases it when objects go.
 */
@Component(name = ResourceQuotaAdmission.PID, configurationPid = ResourceQuotaAdmission.PID,
        service = ValidatingAdmission.class)
@Designate(ocd = ResourceQuotaAdmission.Config.class)
public final class ResourceQuotaAdmission implements ValidatingAdmission {
    static final String PID = "dev.okube.admission.resourcequota";
    static final ResourceType QUOTAS = ResourceType.core("resourcequotas");
    private static final Logger LOG = LoggerFactory.getLogger(ResourceQuotaAdmission.class);

    @ObjectClassDefinition(name = "okube ResourceQuota admission",
            description = "Enforces ResourceQuotas on writes and charges their status.used.")
    public @interface Config {
        @AttributeDefinition(description = "How long a write waits for the namespace's quota evaluation "
                + "(milliseconds) before it fails.")
        long evaluationTimeoutMillis() default 10_000;

        @AttributeDefinition(description = "Status updates retried after a conflict before the write fails.")
        int conflictRetries() default 5;
    }

    private final ClusterResources resources;
    private final Evaluators evaluators = new Evaluators();
    private final Clock clock;
    private final long timeoutMillis;
    private final int retries;
    private final QuotaLedger ledger;
    /** Quotas as this plugin last wrote them: the watch cache may not have caught up yet. */
    private final Map<String, ObjectNode> written = new ConcurrentHashMap<>();

    @Activate
    public ResourceQuotaAdmission(@Reference ClusterResources resources, @Reference QuotaLedger ledger, Config config) {
        this(resources, ledger, Clock.systemUTC(), config.evaluationTimeoutMillis(), config.conflictRetries());
    }

    ResourceQuotaAdmission(ClusterResources resources, QuotaLedger ledger, Clock clock, long timeoutMillis, int retries) {
        this.resources = resources;
        this.ledger = ledger;
        this.clock = clock;
        this.timeoutMillis = timeoutMillis;
        this.retries = Math.max(0, retries);
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        String namespace = request.namespace();
        if (namespace == null || namespace.isEmpty() || request.object() == null) {
            return AdmissionResponse.allow();
        }
        Evaluator evaluator = evaluators.forResource(ResourceType.of(request.group(), request.resource()));
        if (evaluator == null || !evaluator.handles(request)) {
            return AdmissionResponse.allow();
        }
        if (resources.list(QUOTAS, namespace).isEmpty()) {
            return AdmissionResponse.allow();
        }
        try {
            if (!ledger.lock(namespace, timeoutMillis)) {
                return AdmissionResponse.deny(500, "InternalError",
                        "Internal error occurred: resource quota evaluation timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdmissionResponse.deny(500, "InternalError", "Internal error occurred: interrupted");
        }
        try {
            return evaluate(request, evaluator);
        } finally {
            ledger.unlock(namespace);
        }
    }

    private AdmissionResponse evaluate(AdmissionRequest request, Evaluator evaluator) {
        String namespace = request.namespace();
        Set<String> pending = null; // after a conflict: only the quotas not charged yet
        ResourceException lastConflict = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            List<Quota> quotas = new ArrayList<>();
            try {
                for (ObjectNode q : currentQuotas(namespace)) {
                    Quota quota = new Quota(q);
                    if (pending == null || pending.contains(quota.name())) {
                        quotas.add(quota);
                    }
                }
            } catch (IllegalArgumentException e) {
                return AdmissionResponse.deny(500, "InternalError",
                        "Internal error occurred: a ResourceQuota in " + namespace + " is unreadable: " + e.getMessage());
            }
            if (quotas.isEmpty()) {
                return AdmissionResponse.allow();
            }
            QuotaCheck.Result result;
            try {
                result = QuotaCheck.check(quotas, request, evaluator, clock.instant());
            } catch (IllegalArgumentException e) {
                // A quantity that does not parse: validation answers for the object itself.
                return AdmissionResponse.deny(400, "BadRequest", QuotaCheck.forbidden(request, e.getMessage()));
            }
            if (!result.allowed()) {
                return AdmissionResponse.deny(403, "Forbidden", QuotaCheck.forbidden(request, result.denial()));
            }
            if (result.charges().isEmpty() || request.dryRun()) {
                return AdmissionResponse.allow();
            }
            Set<String> failed = new HashSet<>();
            for (Map.Entry<Quota, TreeMap<String, Quantity>> charge : result.charges().entrySet()) {
                Quota quota = charge.getKey();
                try {
                    ObjectNode stored = resources.updateStatus(QUOTAS, quota.withUsed(charge.getValue()));
                    written.put(key(namespace, quota.name()), stored);
                    if (request.operation() == AdmissionRequest.Operation.CREATE) {
                        // Charged: until the object is visible the controller's recounts include it, and if
                        // it never appears (refused later, or its create fails) the charge expires.
                        ledger.charged(namespace, evaluator.resource(), request.name(), request.object(),
                                clock.instant());
                    }
                } catch (ResourceException e) {
                    if (e.isNotFound()) {
                        continue; // deleted meanwhile: nothing to charge
                    }
                    if (!e.isConflict()) {
                        return AdmissionResponse.deny(e.code(), e.reason(), e.getMessage());
                    }
                    lastConflict = e;
                    failed.add(quota.name());
                    awaitNewerThan(namespace, quota);
                }
            }
            if (failed.isEmpty()) {
                return AdmissionResponse.allow();
            }
            pending = failed;
        }
        LOG.warn("ResourceQuota: charging {} {}/{} kept conflicting", request.resource(), namespace, request.name());
        return AdmissionResponse.deny(409, "Conflict", lastConflict.getMessage());
    }

    /** The namespace's quotas: the watch cache's, or the version this plugin wrote when the cache lags. */
    List<ObjectNode> currentQuotas(String namespace) {
        List<ObjectNode> result = new ArrayList<>();
        for (ObjectNode cached : resources.list(QUOTAS, namespace)) {
            String key = key(namespace, cached.path("metadata").path("name").asString(""));
            ObjectNode mine = written.get(key);
            if (mine != null && Quota.compareVersions(version(mine), version(cached)) > 0
                    && uid(mine).equals(uid(cached))) {
                result.add(mine);
            } else {
                if (mine != null) {
                    written.remove(key, mine);
                }
                result.add(cached);
            }
        }
        written.keySet().removeIf(k -> k.startsWith(namespace + "/")
                && result.stream().noneMatch(q -> key(namespace, q.path("metadata").path("name").asString("")).equals(k)));
        return result;
    }

    /** After a conflict, wait briefly for the watch cache to show the newer quota (bounded). */
    private void awaitNewerThan(String namespace, Quota quota) {
        written.remove(key(namespace, quota.name()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long sleep = 2;
        while (System.nanoTime() < deadline) {
            Optional<ObjectNode> cached = resources.get(QUOTAS, namespace, quota.name());
            if (cached.isEmpty() || Quota.compareVersions(version(cached.get()), quota.resourceVersion()) > 0) {
                return;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep = Math.min(50, sleep * 2);
        }
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String version(ObjectNode o) {
        return o.path("metadata").path("resourceVersion").asString("");
    }

    private static String uid(ObjectNode o) {
        return o.path("metadata").path("uid").asString("");
    }
}
