package dev.okube.apiserver.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.patch.PatchMeta.Strategy;
import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The table resolves upstream's struct tags along the type graph of each built-in kind. */
class PatchMetaTest {

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("/v1/Pod", "spec.containers", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("/v1/Pod", "spec.initContainers", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("/v1/Pod", "spec.ephemeralContainers.env", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("/v1/Pod", "spec.containers.ports", Strategy.MERGE_BY_KEY, "containerPort"),
                Arguments.of("/v1/Pod", "spec.containers.volumeMounts", Strategy.MERGE_BY_KEY, "mountPath"),
                Arguments.of("/v1/Pod", "spec.containers.volumeDevices", Strategy.MERGE_BY_KEY, "devicePath"),
                Arguments.of("/v1/Pod", "spec.containers.args", Strategy.ATOMIC, null),
                Arguments.of("/v1/Pod", "spec.containers.envFrom", Strategy.ATOMIC, null),
                Arguments.of("/v1/Pod", "spec.tolerations", Strategy.ATOMIC, null),
                Arguments.of("/v1/Pod", "spec.readinessGates", Strategy.ATOMIC, null),
                Arguments.of("/v1/Pod", "spec.hostAliases", Strategy.MERGE_BY_KEY, "ip"),
                Arguments.of("/v1/Pod", "spec.topologySpreadConstraints", Strategy.MERGE_BY_KEY, "topologyKey"),
                Arguments.of("/v1/Pod", "spec.imagePullSecrets", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("/v1/Pod", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("/v1/Pod", "status.podIPs", Strategy.MERGE_BY_KEY, "ip"),
                Arguments.of("/v1/Pod", "status.containerStatuses", Strategy.ATOMIC, null),
                Arguments.of("/v1/Pod", "metadata.finalizers", Strategy.MERGE_PRIMITIVES, null),
                Arguments.of("/v1/Pod", "metadata.ownerReferences", Strategy.MERGE_BY_KEY, "uid"),
                Arguments.of("/v1/Pod", "metadata.managedFields", Strategy.ATOMIC, null),
                Arguments.of("/v1/Service", "spec.ports", Strategy.MERGE_BY_KEY, "port"),
                Arguments.of("/v1/Node", "status.addresses", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("/v1/Node", "spec.podCIDRs", Strategy.MERGE_PRIMITIVES, null),
                Arguments.of("/v1/Node", "spec.taints", Strategy.ATOMIC, null),
                Arguments.of("/v1/ServiceAccount", "secrets", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("/v1/PersistentVolumeClaim", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("/v1/PersistentVolumeClaim", "status.healthStatus.healthConditions", Strategy.MERGE_BY_KEY,
                        "status"),
                Arguments.of("/v1/Endpoints", "subsets", Strategy.ATOMIC, null),
                Arguments.of("/v1/ReplicationController", "spec.template.spec.containers", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("/v1/PodTemplate", "template.spec.volumes", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("apps/v1/Deployment", "spec.template.spec.containers.env", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("apps/v1/Deployment", "spec.template.metadata.finalizers", Strategy.MERGE_PRIMITIVES, null),
                Arguments.of("apps/v1/Deployment", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("apps/v1/StatefulSet", "spec.template.spec.containers", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("apps/v1/StatefulSet", "spec.volumeClaimTemplates", Strategy.ATOMIC, null),
                Arguments.of("apps/v1/DaemonSet", "spec.template.spec.initContainers.env", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("apps/v1/ReplicaSet", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("batch/v1/Job", "spec.template.spec.containers.ports", Strategy.MERGE_BY_KEY, "containerPort"),
                Arguments.of("batch/v1/Job", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("batch/v1/Job", "spec.scheduling.resourceClaims", Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("batch/v1/CronJob", "spec.jobTemplate.spec.template.spec.containers", Strategy.MERGE_BY_KEY,
                        "name"),
                Arguments.of("autoscaling/v2/HorizontalPodAutoscaler", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("policy/v1/PodDisruptionBudget", "status.conditions", Strategy.MERGE_BY_KEY, "type"),
                Arguments.of("rbac.authorization.k8s.io/v1/ClusterRole", "rules", Strategy.ATOMIC, null),
                Arguments.of("rbac.authorization.k8s.io/v1/RoleBinding", "subjects", Strategy.ATOMIC, null),
                Arguments.of("rbac.authorization.k8s.io/v1/RoleBinding", "metadata.finalizers", Strategy.MERGE_PRIMITIVES,
                        null),
                Arguments.of("admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration", "webhooks",
                        Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("admissionregistration.k8s.io/v1/MutatingWebhookConfiguration", "webhooks.matchConditions",
                        Strategy.MERGE_BY_KEY, "name"),
                Arguments.of("example.com/v1/Widget", "metadata.finalizers", Strategy.ATOMIC, null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paths")
    void resolves(String kind, String path, Strategy strategy, String mergeKey) {
        PatchMeta m = at(kind, path);
        assertEquals(strategy, m.listStrategy());
        assertEquals(mergeKey, m.mergeKey());
    }

    @Test
    void retainKeysAndReplace() {
        assertTrue(at("apps/v1/Deployment", "spec.strategy").retainKeys());
        assertFalse(at("apps/v1/DaemonSet", "spec.updateStrategy").retainKeys());
        PatchMeta volumes = at("/v1/Pod", "spec.volumes");
        assertTrue(volumes.retainKeys());
        assertEquals(Strategy.MERGE_BY_KEY, volumes.listStrategy());
        assertTrue(at("policy/v1/PodDisruptionBudget", "spec.selector").replace());
        assertFalse(at("apps/v1/Deployment", "spec.selector").replace());
    }

    /** The handler serves strategic merge patches for exactly the kinds in the table, so every built-in must be there. */
    @Test
    void everyBuiltinKindIsInTheTable() {
        for (ResourceDefinition d : BuiltinResources.definitions()) {
            if (!d.verbs().contains("patch")) {
                continue; // create-only reviews are never patched
            }
            assertTrue(PatchMeta.knows(d.group(), d.version(), d.kind()), d.group() + "/" + d.version() + "/" + d.kind());
            assertEquals(Strategy.MERGE_PRIMITIVES,
                    PatchMeta.forKind(d.group(), d.version(), d.kind()).field("metadata").field("finalizers").listStrategy());
        }
        assertFalse(PatchMeta.knows("example.com", "v1", "Widget"));
    }

    @Test
    void unknownFieldsHaveNoTags() {
        PatchMeta m = at("/v1/Pod", "spec.nope.deeper");
        assertEquals(Strategy.ATOMIC, m.listStrategy());
        assertNull(m.mergeKey());
        assertFalse(m.retainKeys());
    }

    private static PatchMeta at(String kind, String path) {
        String[] gvk = kind.split("/");
        PatchMeta m = PatchMeta.forKind(gvk[0], gvk[1], gvk[2]);
        for (String f : path.split("\\.")) {
            m = m.field(f);
        }
        return m;
    }
}
