package dev.okube.apiserver.defaults;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's (Kubernetes 1.32, default feature gates) defaulting of built-in kinds, on JSON trees.
 *
 * <p>Kubernetes defaults an object while decoding it into its versioned Go type; okube keeps objects
 * as JSON, so {@link #apply} fills in the same fields, with the same "unset" rules (a nil pointer, an
 * empty string, a zero number), so that what is read back looks like what upstream serves. What a
 * registry strategy sets on create (pod status, namespace finalizers, generated Job selectors) is
 * {@link #prepareForCreate}'s. Neither covers allocation (Service cluster IPs, IP families, node
 * ports) nor admission plugins (service account, priority, default tolerations).
 *
 * <p>Two serialization effects are reproduced as well, as a JSON server has no other place for them:
 * Go always emits non-pointer structs (every container carries {@code resources: {}}, every
 * resourceFieldRef a {@code divisor}, every embedded template {@code metadata} with
 * {@code creationTimestamp: null}), and resource quantities come back in canonical form
 * ({@code 1024Mi} as {@code 1Gi}, {@code 0.5} as {@code 500m}), ResourceList entries rounded up to
 * milli-units as upstream's defaulting does.
 */
public final class Defaults {
    private static final Map<String, Consumer<ObjectNode>> BY_KIND = new HashMap<>();

    static {
        core("Pod", PodDefaults::pod);
        core("PodTemplate", CoreDefaults::podTemplate);
        core("ReplicationController", CoreDefaults::replicationController);
        core("Service", CoreDefaults::service);
        core("Namespace", CoreDefaults::namespace);
        core("Secret", CoreDefaults::secret);
        core("PersistentVolume", CoreDefaults::persistentVolume);
        core("PersistentVolumeClaim", CoreDefaults::persistentVolumeClaim);
        core("Node", CoreDefaults::node);
        core("Endpoints", CoreDefaults::endpoints);
        core("LimitRange", CoreDefaults::limitRange);
        core("ResourceQuota", CoreDefaults::resourceQuota);

        register("apps", "v1", "Deployment", WorkloadDefaults::deployment);
        register("apps", "v1", "ReplicaSet", WorkloadDefaults::replicaSet);
        register("apps", "v1", "StatefulSet", WorkloadDefaults::statefulSet);
        register("apps", "v1", "DaemonSet", WorkloadDefaults::daemonSet);
        register("batch", "v1", "Job", WorkloadDefaults::job);
        register("batch", "v1", "CronJob", WorkloadDefaults::cronJob);
        register("autoscaling", "v1", "HorizontalPodAutoscaler", WorkloadDefaults::horizontalPodAutoscalerV1);
        register("autoscaling", "v2", "HorizontalPodAutoscaler", WorkloadDefaults::horizontalPodAutoscalerV2);

        register("networking.k8s.io", "v1", "NetworkPolicy", ClusterDefaults::networkPolicy);
        register("networking.k8s.io", "v1", "IngressClass", ClusterDefaults::ingressClass);
        register("rbac.authorization.k8s.io", "v1", "RoleBinding", ClusterDefaults::roleBinding);
        register("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", ClusterDefaults::roleBinding);
        register("storage.k8s.io", "v1", "StorageClass", ClusterDefaults::storageClass);
        register("storage.k8s.io", "v1", "CSIDriver", ClusterDefaults::csiDriver);
        register("scheduling.k8s.io", "v1", "PriorityClass", ClusterDefaults::priorityClass);
        register("discovery.k8s.io", "v1", "EndpointSlice", ClusterDefaults::endpointSlice);
        register("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
                ClusterDefaults::validatingWebhookConfiguration);
        register("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
                ClusterDefaults::mutatingWebhookConfiguration);
        register("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy",
                ClusterDefaults::validatingAdmissionPolicy);
        register("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding",
                ClusterDefaults::validatingAdmissionPolicyBinding);
        register("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", ClusterDefaults::flowSchema);
        register("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration",
                ClusterDefaults::priorityLevelConfiguration);
        register("apiregistration.k8s.io", "v1", "APIService", ClusterDefaults::apiService);
        register("authentication.k8s.io", "v1", "TokenRequest", ClusterDefaults::tokenRequest);
        register("apiextensions.k8s.io", "v1", "CustomResourceDefinition", ClusterDefaults::customResourceDefinition);
    }

    private static final Map<String, BiConsumer<ObjectNode, Instant>> ON_CREATE = new HashMap<>();

    static {
        onCreate("", "v1", "Pod", CreateStrategies::pod);
        onCreate("", "v1", "Namespace", (o, now) -> CreateStrategies.namespace(o));
        onCreate("", "v1", "Service", (o, now) -> CreateStrategies.service(o));
        onCreate("", "v1", "PersistentVolume", CreateStrategies::persistentVolume);
        onCreate("", "v1", "PersistentVolumeClaim", (o, now) -> CreateStrategies.persistentVolumeClaim(o));
        onCreate("", "v1", "ReplicationController", (o, now) -> CreateStrategies.resetStatus(o, "replicas"));
        onCreate("apps", "v1", "Deployment", (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("apps", "v1", "ReplicaSet", (o, now) -> CreateStrategies.resetStatus(o, "replicas"));
        onCreate("apps", "v1", "StatefulSet",
                (o, now) -> CreateStrategies.resetStatus(o, "replicas", "availableReplicas"));
        onCreate("apps", "v1", "DaemonSet", (o, now) -> CreateStrategies.daemonSet(o));
        onCreate("batch", "v1", "Job", (o, now) -> CreateStrategies.job(o));
        onCreate("batch", "v1", "CronJob", (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("", "v1", "ResourceQuota", (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("autoscaling", "v1", "HorizontalPodAutoscaler",
                (o, now) -> CreateStrategies.resetStatus(o, "currentReplicas", "desiredReplicas"));
        onCreate("autoscaling", "v2", "HorizontalPodAutoscaler",
                (o, now) -> CreateStrategies.horizontalPodAutoscalerV2(o));
        onCreate("policy", "v1", "PodDisruptionBudget", (o, now) -> CreateStrategies.resetStatus(o,
                "disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"));
        onCreate("networking.k8s.io", "v1", "Ingress", (o, now) -> CreateStrategies.service(o));
        onCreate("certificates.k8s.io", "v1", "CertificateSigningRequest",
                (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy",
                (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration",
                (o, now) -> CreateStrategies.resetStatus(o));
        onCreate("apiregistration.k8s.io", "v1", "APIService", (o, now) -> CreateStrategies.resetStatus(o));
    }

    private Defaults() {
    }

    private static void onCreate(String group, String version, String kind, BiConsumer<ObjectNode, Instant> strategy) {
        ON_CREATE.put(key(group, version, kind), strategy);
    }

    private static void core(String kind, Consumer<ObjectNode> defaulter) {
        register("", "v1", kind, defaulter);
    }

    private static void register(String group, String version, String kind, Consumer<ObjectNode> defaulter) {
        BY_KIND.put(key(group, version, kind), defaulter);
    }

    private static String key(String group, String version, String kind) {
        return group + "/" + version + "/" + kind;
    }

    /**
     * Applies upstream's defaulting for the kind to a JSON object in place: the object as posted,
     * after decoding, and likewise an object read back from storage (upstream defaults on every
     * decode; the result is idempotent). Metadata is the caller's, except the labels upstream's
     * defaulting itself sets (a Namespace's name label, ReplicationController and Job labels from
     * their templates). Unknown kinds are a no-op. Never throws, whatever the object's shape.
     *
     * @param group   the API group, "" (or "core") for the legacy core group
     * @param version the API version, e.g. "v1"
     * @param kind    the kind, e.g. "Deployment"
     * @param object  the whole object, modified in place; null is ignored
     */
    public static void apply(String group, String version, String kind, ObjectNode object) {
        if (object == null || version == null || kind == null) {
            return;
        }
        String g = group == null || group.equals("core") ? "" : group;
        Consumer<ObjectNode> defaulter = BY_KIND.get(key(g, version, kind));
        if (defaulter != null) {
            defaulter.accept(object);
        }
    }

    /**
     * Applies what upstream's registry strategy sets when the object is created, then defaults it
     * again as upstream does when it reads the stored object back: the result is what a create
     * returns. Call it once system metadata (the uid) is filled in; it runs {@link #apply} first
     * itself, which is idempotent, so an object already defaulted is fine. Unknown kinds get only
     * the defaulting; never throws on partial objects.
     *
     * <p>Covered: Pod status (phase Pending, qosClass, the SchedulingGated condition), the
     * matchLabelKeys/mismatchLabelKeys merge into affinity selectors and the AppArmor
     * field/annotation sync; Namespace status and the {@code kubernetes} finalizer; the status reset
     * (clients cannot set status on create; Go still writes the non-omitempty zero fields) of Service,
     * Ingress, PersistentVolume (with its phase transition time), PersistentVolumeClaim (with the
     * dataSource/dataSourceRef normalization), the workloads, HorizontalPodAutoscaler,
     * PodDisruptionBudget, ResourceQuota, CertificateSigningRequest, ValidatingAdmissionPolicy,
     * FlowSchema, PriorityLevelConfiguration and APIService; a DaemonSet's template-generation
     * annotation; the generated selector and pod labels of a Job without a manual selector (which
     * the second defaulting also copies to the Job's labels).
     */
    public static void prepareForCreate(String group, String version, String kind, ObjectNode object) {
        prepareForCreate(group, version, kind, object, Instant.now());
    }

    static void prepareForCreate(String group, String version, String kind, ObjectNode object, Instant now) {
        if (object == null || version == null || kind == null) {
            return;
        }
        String g = group == null || group.equals("core") ? "" : group;
        apply(g, version, kind, object);
        BiConsumer<ObjectNode, Instant> strategy = ON_CREATE.get(key(g, version, kind));
        if (strategy != null) {
            strategy.accept(object, now);
        }
        apply(g, version, kind, object);
    }

    /** True when {@link #apply} has defaulting for this kind, e.g. to skip a deep copy otherwise. */
    public static boolean covers(String group, String version, String kind) {
        String g = group == null || group.equals("core") ? "" : group;
        return BY_KIND.containsKey(key(g, version, kind));
    }
}
