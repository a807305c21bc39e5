package dev.okube.apiserver.registry;

import dev.okube.apiserver.rest.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every built-in kind okube serves, with upstream's names, short names, categories, scope,
 * subresources and whether the kind tracks metadata.generation. This table is the only
 * per-kind list in the apiserver: storage, REST, discovery and tables all follow from it.
 */
public final class BuiltinResources {
    private BuiltinResources() {
    }

    private record Spec(String group, String version, String kind, String plural, List<String> shortNames,
            List<String> categories, boolean namespaced, Set<String> subresources, boolean generation) {
    }

    private static final List<String> ALL = List.of("all");

    private static final List<Spec> SPECS = List.of(
            // core/v1
            new Spec("", "v1", "Namespace", "namespaces", List.of("ns"), List.of(), false, Set.of("status", "finalize"), false),
            new Spec("", "v1", "Pod", "pods", List.of("po"), ALL, true, Set.of("status", "binding", "eviction"), false),
            new Spec("", "v1", "Node", "nodes", List.of("no"), List.of(), false, Set.of("status"), false),
            new Spec("", "v1", "Service", "services", List.of("svc"), ALL, true, Set.of("status"), false),
            new Spec("", "v1", "Endpoints", "endpoints", List.of("ep"), List.of(), true, Set.of(), false),
            new Spec("", "v1", "ConfigMap", "configmaps", List.of("cm"), List.of(), true, Set.of(), false),
            new Spec("", "v1", "Secret", "secrets", List.of(), List.of(), true, Set.of(), false),
            new Spec("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), List.of(), true, Set.of(), false),
            new Spec("", "v1", "Event", "events", List.of("ev"), List.of(), true, Set.of(), false),
            new Spec("", "v1", "PersistentVolume", "persistentvolumes", List.of("pv"), List.of(), false, Set.of("status"), false),
            new Spec("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), List.of(), true,
                    Set.of("status"), false),
            new Spec("", "v1", "LimitRange", "limitranges", List.of("limits"), List.of(), true, Set.of(), false),
            new Spec("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), List.of(), true, Set.of("status"), false),
            new Spec("", "v1", "ReplicationController", "replicationcontrollers", List.of("rc"), ALL, true,
                    Set.of("status", "scale"), true),
            // apps/v1
            new Spec("apps", "v1", "Deployment", "deployments", List.of("deploy"), ALL, true, Set.of("status", "scale"), true),
            new Spec("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), ALL, true, Set.of("status", "scale"), true),
            new Spec("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), ALL, true, Set.of("status", "scale"), true),
            new Spec("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), ALL, true, Set.of("status"), true),
            new Spec("apps", "v1", "ControllerRevision", "controllerrevisions", List.of(), List.of(), true, Set.of(), false),
            // batch/v1
            new Spec("batch", "v1", "Job", "jobs", List.of(), ALL, true, Set.of("status"), true),
            new Spec("batch", "v1", "CronJob", "cronjobs", List.of("cj"), ALL, true, Set.of("status"), true),
            // autoscaling/v2
            new Spec("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", List.of("hpa"), ALL, true,
                    Set.of("status"), false),
            // policy/v1
            new Spec("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), List.of(), true,
                    Set.of("status"), true),
            // networking.k8s.io/v1
            new Spec("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), List.of(), true, Set.of("status"), true),
            new Spec("networking.k8s.io", "v1", "IngressClass", "ingressclasses", List.of(), List.of(), false, Set.of(), true),
            new Spec("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", List.of("netpol"), List.of(), true,
                    Set.of(), true),
            // rbac.authorization.k8s.io/v1
            new Spec("rbac.authorization.k8s.io", "v1", "Role", "roles", List.of(), List.of(), true, Set.of(), false),
            new Spec("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", List.of(), List.of(), true, Set.of(),
                    false),
            new Spec("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", List.of(), List.of(), false, Set.of(),
                    false),
            new Spec("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", List.of(), List.of(),
                    false, Set.of(), false),
            // storage.k8s.io/v1
            new Spec("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"), List.of(), false, Set.of(),
                    false),
            // coordination.k8s.io/v1
            new Spec("coordination.k8s.io", "v1", "Lease", "leases", List.of(), List.of(), true, Set.of(), false),
            // discovery.k8s.io/v1
            new Spec("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of(), List.of(), true, Set.of(), true),
            // events.k8s.io/v1
            new Spec("events.k8s.io", "v1", "Event", "events", List.of("ev"), List.of(), true, Set.of(), false),
            // scheduling.k8s.io/v1
            new Spec("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", List.of("pc"), List.of(), false, Set.of(),
                    false),
            // node.k8s.io/v1
            new Spec("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", List.of(), List.of(), false, Set.of(), false),
            // admissionregistration.k8s.io/v1
            new Spec("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
                    List.of(), List.of("api-extensions"), false, Set.of(), true),
            new Spec("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
                    "validatingwebhookconfigurations", List.of(), List.of("api-extensions"), false, Set.of(), true),
            new Spec("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies",
                    List.of(), List.of("api-extensions"), false, Set.of("status"), true),
            new Spec("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding",
                    "validatingadmissionpolicybindings", List.of(), List.of("api-extensions"), false, Set.of(), true),
            // authentication.k8s.io/v1: reviews, answered by the authenticators and never stored
            new Spec("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", List.of(), List.of(), false, Set.of(),
                    false),
            new Spec("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", List.of(), List.of(),
                    false, Set.of(), false),
            // authorization.k8s.io/v1: reviews, answered by the authorizers and never stored
            new Spec("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", List.of(),
                    List.of(), false, Set.of(), false),
            new Spec("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", List.of(),
                    List.of(), false, Set.of(), false),
            new Spec("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", List.of(), List.of(),
                    false, Set.of(), false),
            new Spec("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", List.of(),
                    List.of(), true, Set.of(), false),
            // apiextensions.k8s.io/v1
            new Spec("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                    List.of("crd", "crds"), List.of("api-extensions"), false, Set.of("status"), true));

    public static List<ResourceDefinition> definitions() {
        List<ResourceDefinition> defs = new ArrayList<>();
        for (Spec s : SPECS) {
            KindStrategy strategy = switch (s.kind()) {
                case "Pod" -> new PodStrategy(s.group(), s.version(), s.namespaced());
                default -> new KindStrategy(s.group(), s.version(), s.kind(), s.namespaced(),
                        s.subresources().contains("status"), s.generation());
            };
            List<String> verbs = s.group().equals("authorization.k8s.io") || s.group().equals("authentication.k8s.io")
                    ? List.of("create") : ResourceDefinition.ALL_VERBS;
            defs.add(new ResourceDefinition(s.group(), s.version(), s.kind(), s.plural(), s.kind().toLowerCase(),
                    s.shortNames(), s.categories(), s.namespaced(), s.subresources(), verbs, strategy));
        }
        return defs;
    }

    /** Pods: graceful deletion once they are on a node. */
    static final class PodStrategy extends KindStrategy {
        PodStrategy(String group, String version, boolean namespaced) {
            super(group, version, "Pod", namespaced, true, false);
        }

        /**
         * Upstream's CheckGracefulDeleteStrategy: a pod not yet on a node, or already finished, goes
         * at once; otherwise its terminationGracePeriodSeconds (default 30) gives the kubelet time.
         */
        @Override
        public long defaultGracePeriodSeconds(ObjectNode pod) {
            String node = Json.text(pod, "spec", "nodeName");
            String phase = Json.text(pod, "status", "phase");
            if (node == null || node.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                return 0;
            }
            JsonNode grace = Json.at(pod, "spec", "terminationGracePeriodSeconds");
            return grace == null ? 30 : Math.max(0, grace.asLong());
        }
    }
}
