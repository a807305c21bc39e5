package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Fixtures.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rows of the plumbing kinds: templates, component statuses, CSRs, CSI objects, admission policies, APF, CIDRs. */
class PlatformTableTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("", "PodTemplate", "labelled", """
                        {"metadata":{"name":"tpl"},"template":{"metadata":{"labels":{"b":"2","a":"1"}},
                         "spec":{"containers":[{"name":"c1","image":"i1"},{"name":"c2","image":"i2"}]}}}""",
                        List.of("tpl", "c1,c2", "i1,i2", "a=1,b=2")),
                Arguments.of("", "ComponentStatus", "healthy", """
                        {"metadata":{"name":"etcd-0"},"conditions":[{"type":"Healthy","status":"True",
                         "message":"ok"}]}""",
                        List.of("etcd-0", "Healthy", "ok", "")),
                Arguments.of("", "ComponentStatus", "unhealthy", """
                        {"metadata":{"name":"scheduler"},"conditions":[{"type":"Healthy","status":"False",
                         "message":"","error":"connection refused"}]}""",
                        List.of("scheduler", "Unhealthy", "", "connection refused")),
                Arguments.of("", "ComponentStatus", "no conditions", """
                        {"metadata":{"name":"x"}}""",
                        List.of("x", "Unknown", "", "")),
                Arguments.of("certificates.k8s.io", "CertificateSigningRequest", "approved and issued", """
                        {"metadata":{"name":"csr-abc","creationTimestamp":"AGO(PT5M)"},
                         "spec":{"signerName":"kubernetes.io/kube-apiserver-client-kubelet","expirationSeconds":86400,
                          "username":"system:node:node-1","request":"LS0t"},
                         "status":{"conditions":[{"type":"Approved","status":"True"}],"certificate":"LS0t"}}""",
                        List.of("csr-abc", "5m", "kubernetes.io/kube-apiserver-client-kubelet", "system:node:node-1",
                                "24h", "Approved,Issued")),
                Arguments.of("certificates.k8s.io", "CertificateSigningRequest", "denied wins, failed appended", """
                        {"metadata":{"name":"csr-d","creationTimestamp":"AGO(PT5M)"},"spec":{"username":"bob"},
                         "status":{"conditions":[{"type":"Approved","status":"True"},{"type":"Denied","status":"True"},
                          {"type":"Failed","status":"True"}]}}""",
                        List.of("csr-d", "5m", "<none>", "bob", "<none>", "Denied,Failed")),
                Arguments.of("certificates.k8s.io", "CertificateSigningRequest", "pending", """
                        {"metadata":{"name":"csr-p","creationTimestamp":"AGO(PT5M)"}}""",
                        List.of("csr-p", "5m", "<none>", "", "<none>", "Pending")),
                Arguments.of("storage.k8s.io", "VolumeAttachment", "attached", """
                        {"metadata":{"name":"csi-123","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"attacher":"ebs.csi.aws.com","nodeName":"node-1",
                          "source":{"persistentVolumeName":"pv-1"}},"status":{"attached":true}}""",
                        List.of("csi-123", "ebs.csi.aws.com", "pv-1", "node-1", true, "60m")),
                Arguments.of("storage.k8s.io", "CSIDriver", "defaults", """
                        {"metadata":{"name":"ebs.csi.aws.com","creationTimestamp":"AGO(P1D)"},"spec":{}}""",
                        List.of("ebs.csi.aws.com", true, false, false, "<unset>", false, "<none>", "24h")),
                Arguments.of("storage.k8s.io", "CSIDriver", "everything set", """
                        {"metadata":{"name":"secrets-store.csi.k8s.io","creationTimestamp":"AGO(P1D)"},
                         "spec":{"attachRequired":false,"podInfoOnMount":true,"storageCapacity":true,
                          "tokenRequests":[{"audience":"vault"},{"audience":"aws"}],"requiresRepublish":true,
                          "volumeLifecycleModes":["Persistent","Ephemeral"]}}""",
                        List.of("secrets-store.csi.k8s.io", false, true, true, "vault,aws", true,
                                "Persistent,Ephemeral", "24h")),
                Arguments.of("storage.k8s.io", "CSINode", "two drivers", """
                        {"metadata":{"name":"node-1","creationTimestamp":"AGO(P1D)"},
                         "spec":{"drivers":[{"name":"a","nodeID":"n"},{"name":"b","nodeID":"n"}]}}""",
                        List.of("node-1", 2L, "24h")),
                Arguments.of("storage.k8s.io", "CSIStorageCapacity", "reported", """
                        {"metadata":{"name":"csisc-1"},"storageClassName":"fast","capacity":"1024Gi"}""",
                        List.of("csisc-1", "fast", "1Ti")),
                Arguments.of("storage.k8s.io", "CSIStorageCapacity", "not reported", """
                        {"metadata":{"name":"csisc-2"},"storageClassName":"fast"}""",
                        List.of("csisc-2", "fast", "<unset>")),
                Arguments.of("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "with params", """
                        {"metadata":{"name":"replicas-limit","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"paramKind":{"apiVersion":"rules.example.com/v1","kind":"ReplicaLimit"},
                          "validations":[{"expression":"object.spec.replicas <= params.maxReplicas"}]}}""",
                        List.of("replicas-limit", 1L, "rules.example.com/v1/ReplicaLimit", "60m")),
                Arguments.of("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "without params", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)"},"spec":{}}""",
                        List.of("p", 0L, "<unset>", "60m")),
                Arguments.of("flowcontrol.apiserver.k8s.io", "FlowSchema", "by user", """
                        {"metadata":{"name":"system-leader-election","creationTimestamp":"AGO(P90D)"},
                         "spec":{"priorityLevelConfiguration":{"name":"leader-election"},"matchingPrecedence":100,
                          "distinguisherMethod":{"type":"ByUser"}},
                         "status":{"conditions":[{"type":"Dangling","status":"False"}]}}""",
                        List.of("system-leader-election", "leader-election", 100L, "ByUser", "90d", "False")),
                Arguments.of("flowcontrol.apiserver.k8s.io", "FlowSchema", "not yet judged", """
                        {"metadata":{"name":"exempt","creationTimestamp":"AGO(P90D)"},
                         "spec":{"priorityLevelConfiguration":{"name":"exempt"},"matchingPrecedence":1}}""",
                        List.of("exempt", "exempt", 1L, "<none>", "90d", "?")),
                Arguments.of("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "queuing", """
                        {"metadata":{"name":"workload-low","creationTimestamp":"AGO(P90D)"},
                         "spec":{"type":"Limited","limited":{"nominalConcurrencyShares":100,"limitResponse":{
                          "type":"Queue","queuing":{"queues":128,"handSize":6,"queueLengthLimit":50}}}}}""",
                        List.of("workload-low", "Limited", 100L, 128L, 6L, 50L, "90d")),
                Arguments.of("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "rejecting", """
                        {"metadata":{"name":"catch-all","creationTimestamp":"AGO(P90D)"},
                         "spec":{"type":"Limited","limited":{"nominalConcurrencyShares":5,
                          "limitResponse":{"type":"Reject"}}}}""",
                        List.of("catch-all", "Limited", 5L, "<none>", "<none>", "<none>", "90d")),
                Arguments.of("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "exempt", """
                        {"metadata":{"name":"exempt","creationTimestamp":"AGO(P90D)"},
                         "spec":{"type":"Exempt","exempt":{}}}""",
                        List.of("exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "90d")),
                Arguments.of("networking.k8s.io", "ServiceCIDR", "dual stack", """
                        {"metadata":{"name":"kubernetes","creationTimestamp":"AGO(P90D)"},
                         "spec":{"cidrs":["10.96.0.0/12","fd00:10:96::/112"]}}""",
                        List.of("kubernetes", "10.96.0.0/12,fd00:10:96::/112", "90d")));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("rows")
    void printsLikeUpstream(String group, String kind, String description, String json, List<Object> expected) {
        assertRow(group, kind, json, expected);
    }

    @Test
    void volumeAttachmentMarksTheAttacherAsAName() {
        List<ColumnDefinition> columns = Tables.forKind("storage.k8s.io", "VolumeAttachment").columns();
        assertEquals("name", columns.get(1).format());
        assertEquals("Attacher", columns.get(1).name());
    }
}
