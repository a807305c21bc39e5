package dev.okube.apiserver.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Column definitions per kind as upstream's AddHandlers declares them; "*" marks -o wide (priority 1) columns. */
class ColumnsTest {
    static Stream<Arguments> columns() {
        return Stream.of(
                Arguments.of("", "Pod", "Name Ready Status Restarts Age *IP *Node *Nominated_Node *Readiness_Gates"),
                Arguments.of("", "Namespace", "Name Status Age"),
                Arguments.of("", "Node", "Name Status Roles Age Version *Internal-IP *External-IP *OS-Image"
                        + " *Kernel-Version *Container-Runtime"),
                Arguments.of("", "Service", "Name Type Cluster-IP External-IP Port(s) Age *Selector"),
                Arguments.of("", "Endpoints", "Name Endpoints Age"),
                Arguments.of("", "ConfigMap", "Name Data Age"),
                Arguments.of("", "Secret", "Name Type Data Age"),
                Arguments.of("", "ServiceAccount", "Name Secrets Age"),
                Arguments.of("", "Event", "Last_Seen Type Reason Object *Subobject *Source Message *First_Seen"
                        + " *Count *Name"),
                Arguments.of("events.k8s.io", "Event", "Last_Seen Type Reason Object *Subobject *Source Message"
                        + " *First_Seen *Count *Name"),
                Arguments.of("", "PersistentVolume", "Name Capacity Access_Modes Reclaim_Policy Status Claim"
                        + " StorageClass VolumeAttributesClass Reason Age *VolumeMode"),
                Arguments.of("", "PersistentVolumeClaim", "Name Status Volume Capacity Access_Modes StorageClass"
                        + " VolumeAttributesClass Age *VolumeMode"),
                Arguments.of("", "LimitRange", "Name Created_At"),
                Arguments.of("", "ResourceQuota", "Name Request Limit Age"),
                Arguments.of("", "ReplicationController", "Name Desired Current Ready Age *Containers *Images"
                        + " *Selector"),
                Arguments.of("apps", "Deployment", "Name Ready Up-to-date Available Age *Containers *Images"
                        + " *Selector"),
                Arguments.of("apps", "ReplicaSet", "Name Desired Current Ready Age *Containers *Images *Selector"),
                Arguments.of("apps", "StatefulSet", "Name Ready Age *Containers *Images"),
                Arguments.of("apps", "DaemonSet", "Name Desired Current Ready Up-to-date Available Node_Selector Age"
                        + " *Containers *Images *Selector"),
                Arguments.of("apps", "ControllerRevision", "Name Controller Revision Age"),
                Arguments.of("batch", "Job", "Name Status Completions Duration Age *Containers *Images *Selector"),
                Arguments.of("batch", "CronJob", "Name Schedule Timezone Suspend Active Last_Schedule Age"
                        + " *Containers *Images *Selector"),
                Arguments.of("autoscaling", "HorizontalPodAutoscaler", "Name Reference Targets MinPods MaxPods"
                        + " Replicas Age"),
                Arguments.of("policy", "PodDisruptionBudget", "Name Min_Available Max_Unavailable"
                        + " Allowed_Disruptions Age"),
                Arguments.of("networking.k8s.io", "Ingress", "Name Class Hosts Address Ports Age"),
                Arguments.of("networking.k8s.io", "IngressClass", "Name Controller Parameters Age"),
                Arguments.of("networking.k8s.io", "NetworkPolicy", "Name Pod-Selector Age"),
                Arguments.of("rbac.authorization.k8s.io", "Role", "Name Created_At"),
                Arguments.of("rbac.authorization.k8s.io", "ClusterRole", "Name Created_At"),
                Arguments.of("rbac.authorization.k8s.io", "RoleBinding", "Name Role Age *Users *Groups"
                        + " *ServiceAccounts"),
                Arguments.of("rbac.authorization.k8s.io", "ClusterRoleBinding", "Name Role Age *Users *Groups"
                        + " *ServiceAccounts"),
                Arguments.of("storage.k8s.io", "StorageClass", "Name Provisioner ReclaimPolicy VolumeBindingMode"
                        + " AllowVolumeExpansion Age"),
                Arguments.of("coordination.k8s.io", "Lease", "Name Holder Age"),
                Arguments.of("discovery.k8s.io", "EndpointSlice", "Name AddressType Ports Endpoints Age"),
                Arguments.of("scheduling.k8s.io", "PriorityClass", "Name Value Global-Default Age PreemptionPolicy"),
                Arguments.of("node.k8s.io", "RuntimeClass", "Name Handler Age"),
                Arguments.of("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "Name Webhooks Age"),
                Arguments.of("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "Name Webhooks Age"),
                Arguments.of("apiextensions.k8s.io", "CustomResourceDefinition", "Name Created_At"),
                Arguments.of("", "PodTemplate", "Name Containers Images Pod_Labels"),
                Arguments.of("", "ComponentStatus", "Name Status Message Error"),
                Arguments.of("certificates.k8s.io", "CertificateSigningRequest", "Name Age SignerName Requestor"
                        + " RequestedDuration Condition"),
                Arguments.of("storage.k8s.io", "CSIDriver", "Name AttachRequired PodInfoOnMount StorageCapacity"
                        + " TokenRequests RequiresRepublish Modes Age"),
                Arguments.of("storage.k8s.io", "CSINode", "Name Drivers Age"),
                Arguments.of("storage.k8s.io", "CSIStorageCapacity", "Name StorageClassName Capacity"),
                Arguments.of("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "Name Validations"
                        + " ParamKind Age"),
                Arguments.of("flowcontrol.apiserver.k8s.io", "FlowSchema", "Name PriorityLevel MatchingPrecedence"
                        + " DistinguisherMethod Age MissingPL"),
                Arguments.of("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "Name Type"
                        + " NominalConcurrencyShares Queues HandSize QueueLengthLimit Age"),
                Arguments.of("networking.k8s.io", "ServiceCIDR", "Name CIDRs Age"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("columns")
    void namesAndPriorities(String group, String kind, String expected) {
        List<ColumnDefinition> columns = Tables.forKind(group, kind).columns();
        StringBuilder actual = new StringBuilder();
        for (ColumnDefinition c : columns) {
            actual.append(actual.length() == 0 ? "" : " ").append(c.priority() == 1 ? "*" : "")
                    .append(c.name().replace(' ', '_'));
            assertTrue(c.priority() == 0 || c.priority() == 1, c.name());
            // Only the object's own name column carries the "name" format, which kubectl uses for -o name.
            assertEquals("Name".equals(c.name()) ? "name" : "", c.format(), c.name());
        }
        assertEquals(expected, actual.toString());
    }

    @Test
    void everyRegisteredKindSurvivesAnEmptyObjectWithOneCellPerColumn() {
        JsonNode empty = Fixtures.json("{}");
        JsonNode junk = Fixtures.json("""
                {"metadata":"x","spec":[1,2],"status":{"conditions":"no","containerStatuses":{"a":1}},
                 "subsets":7,"data":"s","webhooks":null}""");
        assertFalse(Tables.registeredKinds().isEmpty());
        for (String key : Tables.registeredKinds()) {
            int slash = key.indexOf('/');
            TableConvertor c = Tables.forKind(key.substring(0, slash), key.substring(slash + 1));
            for (JsonNode o : List.of(empty, junk)) {
                List<Object> cells = c.cells(o, Fixtures.NOW);
                assertEquals(c.columns().size(), cells.size(), key);
                for (int i = 0; i < cells.size(); i++) {
                    Object cell = cells.get(i);
                    switch (c.columns().get(i).type()) {
                        case "integer" -> assertInstanceOf(Long.class, cell, key + " " + c.columns().get(i).name());
                        // Upstream puts Go values in cells: a few string columns hold counts or booleans.
                        default -> assertTrue(cell instanceof String || cell instanceof Long
                                || cell instanceof Boolean, key + " " + c.columns().get(i).name());
                    }
                }
            }
        }
    }

    @Test
    void descriptionsComeFromTheApiDocumentation() {
        List<ColumnDefinition> pod = Tables.forKind("", "Pod").columns();
        assertTrue(pod.get(0).description().startsWith("Name must be unique within a namespace."));
        assertTrue(pod.get(4).description().startsWith("CreationTimestamp is a timestamp representing the server"));
        assertEquals("podIP address allocated to the pod. Routable at least within the cluster."
                + " Empty if not yet allocated.", pod.get(5).description());
        assertEquals("The aggregate readiness state of this pod for accepting traffic.", pod.get(1).description());
        assertEquals("The number of times this event has occurred.",
                Tables.forKind("", "Event").columns().get(8).description());
        for (String key : Tables.registeredKinds()) {
            int slash = key.indexOf('/');
            for (ColumnDefinition c : Tables.forKind(key.substring(0, slash), key.substring(slash + 1)).columns()) {
                // RuntimeClass's Handler column cites a doc key that does not exist upstream, so it is empty there.
                if (!key.equals("node.k8s.io/RuntimeClass") || !c.name().equals("Handler")) {
                    assertFalse(c.description().isEmpty(), key + " " + c.name());
                }
            }
        }
    }

    @Test
    void lookup() {
        assertSame(Tables.forKind("", "Pod"), Tables.forKind("core", "Pod"));
        assertSame(Tables.forKind("", "Pod"), Tables.forKind(null, "Pod"));
        assertSame(Tables.DEFAULT, Tables.forKind("apps", "Pod"));
        assertSame(Tables.DEFAULT, Tables.forKind("stable.example.com", "CronTab"));
        assertEquals(List.of(new ColumnDefinition("Name", "string", "name", Docs.META_NAME, 0),
                new ColumnDefinition("Created At", "date", "", Docs.META_CREATED, 0)), Tables.DEFAULT.columns());
    }
}
