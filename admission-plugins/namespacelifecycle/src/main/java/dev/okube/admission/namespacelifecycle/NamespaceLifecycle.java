package dev.okube.admission.namespacelifecycle;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's NamespaceLifecycle: nothing is created in a namespace that does not exist or is being
 * terminated, and the system namespaces cannot be deleted. Cluster-scoped objects and namespaces
 * themselves are exempt.
 *
 * <p>Like upstream it is a mutating plugin that changes nothing: it runs first in the chain, so a
 * write into a missing namespace is refused with {@code namespaces "x" not found} before any other
 * plugin (ServiceAccount, say) looks for objects in that namespace.
 *
 * <p>Upstream reads an informer and falls back to a live lookup. Here the cache is the apiserver's own
 * watch cache, so the fallback is to wait briefly for the cache to catch up: when the namespace is
 * not there (just created, its event not yet applied), and when this plugin saw the namespace being
 * deleted but the cache still shows the version from before the delete.
 */
@Component(name = NamespaceLifecycle.PID, configurationPid = NamespaceLifecycle.PID, service = MutatingAdmission.class)
@Designate(ocd = NamespaceLifecycle.Config.class)
public final class NamespaceLifecycle implements MutatingAdmission {
    static final String PID = "dev.okube.admission.namespacelifecycle";
    static final String NAME = "NamespaceLifecycle";
    static final ResourceType NAMESPACES = ResourceType.core("namespaces");
    private static final long POLL_MILLIS = 10;
    private static final int MAX_REMEMBERED_DELETES = 1000;

    @ObjectClassDefinition(name = "okube NamespaceLifecycle admission",
            description = "Refuses writes into missing or terminating namespaces and deleting the system namespaces.")
    public @interface Config {
        @AttributeDefinition(description = "Namespaces that may not be deleted.")
        String[] immortalNamespaces() default {"default", "kube-system", "kube-public"};

        @AttributeDefinition(description = "Longest wait (ms) for the watch cache to show a namespace it does not "
                + "show yet, or a delete it has not applied yet, before deciding.")
        long cacheWaitMillis() default 1000;

        @AttributeDefinition(description = "How long (s) after a namespace delete its cached state is distrusted "
                + "until the cache has caught up with the delete (upstream's force-live-lookup TTL).")
        long deletedNamespaceTtlSeconds() default 30;
    }

    private final ClusterResources resources;
    private final Set<String> immortal;
    private final long cacheWaitNanos;
    private final long deletedTtlNanos;
    /** Namespaces deleted recently: the resourceVersion the delete started from, and until when to care. */
    private final Map<String, Deleted> deleted = new ConcurrentHashMap<>();

    private record Deleted(String resourceVersion, long expiresNanos) {
    }

    @Activate
    public NamespaceLifecycle(@Reference ClusterResources resources, Config config) {
        this(resources, Set.copyOf(list(config.immortalNamespaces())), config.cacheWaitMillis(),
                config.deletedNamespaceTtlSeconds());
    }

    NamespaceLifecycle(ClusterResources resources, Set<String> immortalNamespaces, long cacheWaitMillis,
            long deletedTtlSeconds) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
        this.immortal = Set.copyOf(immortalNamespaces);
        this.cacheWaitNanos = Math.max(0, cacheWaitMillis) * 1_000_000L;
        this.deletedTtlNanos = Math.max(0, deletedTtlSeconds) * 1_000_000_000L;
    }

    /** A list setting: from a .cfg file it arrives as one comma-separated string, typed it is an array. */
    static java.util.List<String> list(String[] values) {
        java.util.List<String> list = new java.util.ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    list.add(item.trim());
                }
            }
        }
        return list;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        boolean isNamespace = request.group().isEmpty() && "Namespace".equals(request.kind());
        if (request.operation() == Operation.DELETE && isNamespace && immortal.contains(request.name())) {
            return AdmissionResponse.deny(403, "Forbidden",
                    "namespaces \"" + request.name() + "\" is forbidden: this namespace may not be deleted");
        }
        if (request.namespace().isEmpty() && !isNamespace) {
            return AdmissionResponse.allow();
        }
        if (isNamespace) {
            if (request.operation() == Operation.DELETE && !request.dryRun()) {
                rememberDelete(request);
            }
            return AdmissionResponse.allow();
        }
        if (request.operation() == Operation.DELETE || request.operation() == Operation.CONNECT) {
            return AdmissionResponse.allow();
        }
        // Access reviews may not reveal whether a namespace exists.
        if ("authorization.k8s.io".equals(request.group()) && "localsubjectaccessreviews".equals(request.resource())) {
            return AdmissionResponse.allow();
        }

        String name = request.namespace();
        long deadline = System.nanoTime() + cacheWaitNanos;
        Optional<ObjectNode> namespace = resources.get(NAMESPACES, "", name);
        while (namespace.isEmpty() && System.nanoTime() < deadline) {
            pause();
            namespace = resources.get(NAMESPACES, "", name);
        }
        if (namespace.isPresent()) {
            namespace = afterKnownDelete(name, namespace.get(), deadline);
        }
        if (namespace.isEmpty()) {
            return AdmissionResponse.deny(404, "NotFound", "namespaces \"" + name + "\" not found");
        }
        if (request.operation() == Operation.CREATE
                && "Terminating".equals(namespace.get().path("status").path("phase").asString(""))) {
            return AdmissionResponse.deny(403, "Forbidden", forbidden(request,
                    "unable to create new content in namespace " + name + " because it is being terminated"));
        }
        return AdmissionResponse.allow();
    }

    /**
     * A namespace this plugin saw being deleted, still shown active in the version the delete started
     * from: the cache has not applied the delete yet, so wait (within the deadline) until it has.
     */
    private Optional<ObjectNode> afterKnownDelete(String name, ObjectNode namespace, long deadline) {
        Deleted delete = deleted.get(name);
        if (delete == null) {
            return Optional.of(namespace);
        }
        if (System.nanoTime() - delete.expiresNanos() > 0) {
            deleted.remove(name, delete);
            return Optional.of(namespace);
        }
        Optional<ObjectNode> current = Optional.of(namespace);
        while (current.isPresent() && stale(current.get(), delete) && System.nanoTime() < deadline) {
            pause();
            current = resources.get(NAMESPACES, "", name);
        }
        // Caught up, or still the version from before the delete after the whole wait (the delete was
        // refused or failed after this plugin saw it): either way the cache is trusted from now on, so
        // a delete that never happened costs one bounded wait, not one per request.
        deleted.remove(name, delete);
        return current;
    }

    private static boolean stale(ObjectNode namespace, Deleted delete) {
        String phase = namespace.path("status").path("phase").asString("");
        return !"Terminating".equals(phase)
                && delete.resourceVersion().equals(namespace.path("metadata").path("resourceVersion").asString(""));
    }

    private void rememberDelete(AdmissionRequest request) {
        ObjectNode old = request.oldObject();
        String rv = old == null ? "" : old.path("metadata").path("resourceVersion").asString("");
        long now = System.nanoTime();
        if (deleted.size() >= MAX_REMEMBERED_DELETES) {
            for (Iterator<Map.Entry<String, Deleted>> it = deleted.entrySet().iterator(); it.hasNext();) {
                if (now - it.next().getValue().expiresNanos() > 0) {
                    it.remove();
                }
            }
            if (deleted.size() >= MAX_REMEMBERED_DELETES) {
                return; // like upstream's bounded LRU: forgetting only costs the extra care
            }
        }
        deleted.put(request.name(), new Deleted(rv, now + deletedTtlNanos));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the namespace cache", e);
        }
    }

    /** Upstream's admission.NewForbidden: {@code <resource> "<name>" is forbidden: <reason>}. */
    static String forbidden(AdmissionRequest request, String reason) {
        String resource = request.group().isEmpty() ? request.resource() : request.resource() + "." + request.group();
        return resource + " \"" + objectName(request) + "\" is forbidden: " + reason;
    }

    private static String objectName(AdmissionRequest request) {
        if (request.name() != null && !request.name().isEmpty()) {
            return request.name();
        }
        ObjectNode object = request.object();
        if (object == null) {
            return "Unknown";
        }
        String name = object.path("metadata").path("name").asString("");
        if (!name.isEmpty()) {
            return name;
        }
        String generateName = object.path("metadata").path("generateName").asString("");
        return generateName.isEmpty() ? "Unknown" : generateName;
    }
}
