package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Fixtures.assertRow;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rows of the remaining built-in kinds, including those upstream serves with the default table. */
class OtherKindsTableTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("", "Namespace", "active", """
                        {"metadata":{"name":"default","creationTimestamp":"AGO(P90D)"},
                         "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""",
                        List.of("default", "Active", "90d")),
                Arguments.of("", "Namespace", "terminating", """
                        {"metadata":{"name":"old","creationTimestamp":"AGO(PT4M)","deletionTimestamp":"AGO(PT1S)"},
                         "status":{"phase":"Terminating"}}""",
                        List.of("old", "Terminating", "4m")),
                Arguments.of("", "ConfigMap", "data and binary data both count", """
                        {"metadata":{"name":"cfg","creationTimestamp":"AGO(PT1H)"},
                         "data":{"a":"1","b":"2"},"binaryData":{"c":"AAEC"}}""",
                        List.of("cfg", 3L, "60m")),
                Arguments.of("", "ConfigMap", "no data", """
                        {"metadata":{"name":"kube-root-ca.crt"}}""",
                        List.of("kube-root-ca.crt", 0L, "<unknown>")),
                Arguments.of("", "Secret", "tls", """
                        {"metadata":{"name":"tls","creationTimestamp":"AGO(PT1H)"},"type":"kubernetes.io/tls",
                         "data":{"tls.crt":"Y3J0","tls.key":"a2V5"}}""",
                        List.of("tls", "kubernetes.io/tls", 2L, "60m")),
                Arguments.of("", "ServiceAccount", "default, no token secrets", """
                        {"metadata":{"name":"default","creationTimestamp":"AGO(P90D)"}}""",
                        List.of("default", 0L, "90d")),
                Arguments.of("", "ServiceAccount", "legacy token secret", """
                        {"metadata":{"name":"builder","creationTimestamp":"AGO(P90D)"},
                         "secrets":[{"name":"builder-token-x"}]}""",
                        List.of("builder", 1L, "90d")),
                Arguments.of("", "Endpoints", "kubernetes", """
                        {"metadata":{"name":"kubernetes","creationTimestamp":"AGO(P90D)"},
                         "subsets":[{"addresses":[{"ip":"192.168.1.10"}],
                          "ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]}""",
                        List.of("kubernetes", "192.168.1.10:6443", "90d")),
                Arguments.of("", "Endpoints", "more than three", """
                        {"metadata":{"name":"web","creationTimestamp":"AGO(PT1H)"},
                         "subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"},{"ip":"10.0.0.3"},
                           {"ip":"10.0.0.4"}],"ports":[{"port":80},{"port":443}]}]}""",
                        List.of("web", "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...", "60m")),
                Arguments.of("", "Endpoints", "headless without ports, IPv6 with ports", """
                        {"metadata":{"name":"h","creationTimestamp":"AGO(PT1H)"},
                         "subsets":[{"addresses":[{"ip":"10.0.0.9"}]},
                          {"addresses":[{"ip":"fd00::9"}],"ports":[{"port":8080}]}]}""",
                        List.of("h", "10.0.0.9,[fd00::9]:8080", "60m")),
                Arguments.of("", "Endpoints", "no subsets", """
                        {"metadata":{"name":"none","creationTimestamp":"AGO(PT1H)"}}""",
                        List.of("none", "<none>", "60m")),
                Arguments.of("", "PersistentVolume", "bound", """
                        {"metadata":{"name":"pv-1","creationTimestamp":"AGO(P1D)"},
                         "spec":{"capacity":{"storage":"10240Mi"},"accessModes":["ReadWriteMany","ReadWriteOnce",
                           "ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Retain","storageClassName":"standard",
                          "claimRef":{"kind":"PersistentVolumeClaim","namespace":"default","name":"data"},
                          "volumeMode":"Filesystem"},
                         "status":{"phase":"Bound"}}""",
                        List.of("pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>",
                                "", "24h", "Filesystem")),
                Arguments.of("", "PersistentVolume", "being deleted, class from the beta annotation", """
                        {"metadata":{"name":"pv-2","creationTimestamp":"AGO(P1D)","deletionTimestamp":"AGO(PT1S)",
                          "annotations":{"volume.beta.kubernetes.io/storage-class":"slow"}},
                         "spec":{"capacity":{"storage":"1Ti"},"accessModes":["ReadWriteOncePod","ReadOnlyMany"],
                          "persistentVolumeReclaimPolicy":"Delete","storageClassName":"fast",
                          "volumeAttributesClassName":"gold"},
                         "status":{"phase":"Failed","reason":"ProvisioningFailed"}}""",
                        List.of("pv-2", "1Ti", "ROX,RWOP", "Delete", "Terminating", "", "slow", "gold",
                                "ProvisioningFailed", "24h", "<unset>")),
                Arguments.of("", "PersistentVolume", "empty object", "{}",
                        List.of("", "0", "", "", "", "", "", "<unset>", "", "<unknown>", "<unset>")),
                Arguments.of("", "PersistentVolumeClaim", "bound", """
                        {"metadata":{"name":"data","creationTimestamp":"AGO(P1D)"},
                         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
                          "storageClassName":"standard","volumeName":"pv-1","volumeMode":"Filesystem"},
                         "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"10Gi"}}}""",
                        List.of("data", "Bound", "pv-1", "10Gi", "RWO", "standard", "<unset>", "24h", "Filesystem")),
                Arguments.of("", "PersistentVolumeClaim", "pending: no capacity or modes yet", """
                        {"metadata":{"name":"wait","creationTimestamp":"AGO(PT30S)"},
                         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}},
                         "status":{"phase":"Pending"}}""",
                        List.of("wait", "Pending", "", "", "", "", "<unset>", "30s", "<unset>")),
                Arguments.of("", "ResourceQuota", "requests and limits, quantities canonical", """
                        {"metadata":{"name":"compute","creationTimestamp":"AGO(P7D)"},
                         "status":{"hard":{"pods":"10","requests.cpu":"4","limits.memory":"8Gi","limits.cpu":"8",
                           "requests.memory":"4Gi"},
                          "used":{"pods":"3","requests.cpu":"0.5","requests.memory":"1024Mi","limits.cpu":"1000m"}}}""",
                        List.of("compute", "pods: 3/10, requests.cpu: 500m/4, requests.memory: 1Gi/4Gi",
                                "limits.cpu: 1/8, limits.memory: 0/8Gi", "7d")),
                Arguments.of("networking.k8s.io", "Ingress", "hosts, tls, address", """
                        {"metadata":{"name":"web","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example.com"],"secretName":"t"}],
                          "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{"http":{"paths":[]}}]},
                         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.5"}]}}}""",
                        List.of("web", "nginx", "a.example.com,b.example.com", "203.0.113.5", "80, 443", "60m")),
                Arguments.of("networking.k8s.io", "Ingress", "many hosts", """
                        {"metadata":{"name":"many","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"rules":[{"host":"h1"},{"host":"h2"},{"host":"h3"},{"host":"h4"},{"host":"h5"}]}}""",
                        List.of("many", "<none>", "h1,h2,h3 + 2 more...", "", "80", "60m")),
                Arguments.of("networking.k8s.io", "Ingress", "default backend only", """
                        {"metadata":{"name":"d","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"defaultBackend":{"service":{"name":"s","port":{"number":80}}}}}""",
                        List.of("d", "<none>", "*", "", "80", "60m")),
                Arguments.of("networking.k8s.io", "IngressClass", "with parameters", """
                        {"metadata":{"name":"nginx","creationTimestamp":"AGO(P2D)"},
                         "spec":{"controller":"k8s.io/ingress-nginx","parameters":{"apiGroup":"k8s.example.com",
                          "kind":"IngressParameters","name":"external-lb"}}}""",
                        List.of("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb",
                                "2d")),
                Arguments.of("networking.k8s.io", "IngressClass", "core-group parameters", """
                        {"metadata":{"name":"c","creationTimestamp":"AGO(P2D)"},
                         "spec":{"controller":"example.com/c","parameters":{"kind":"ConfigMap","name":"cfg"}}}""",
                        List.of("c", "example.com/c", "ConfigMap/cfg", "2d")),
                Arguments.of("networking.k8s.io", "IngressClass", "without parameters", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(P2D)"},"spec":{"controller":"x/y"}}""",
                        List.of("p", "x/y", "<none>", "2d")),
                Arguments.of("networking.k8s.io", "NetworkPolicy", "all pods", """
                        {"metadata":{"name":"deny-all","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"podSelector":{},"policyTypes":["Ingress"]}}""",
                        List.of("deny-all", "<none>", "60m")),
                Arguments.of("networking.k8s.io", "NetworkPolicy", "selected pods", """
                        {"metadata":{"name":"db","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"podSelector":{"matchLabels":{"role":"db"}}}}""",
                        List.of("db", "role=db", "60m")),
                Arguments.of("rbac.authorization.k8s.io", "RoleBinding", "mixed subjects", """
                        {"metadata":{"name":"viewers","creationTimestamp":"AGO(PT1H)"},
                         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                         "subjects":[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},
                          {"kind":"ServiceAccount","namespace":"ci","name":"builder"},{"kind":"User","name":"bob"}]}""",
                        List.of("viewers", "ClusterRole/view", "60m", "alice, bob", "devs", "ci/builder")),
                Arguments.of("rbac.authorization.k8s.io", "ClusterRoleBinding", "no subjects", """
                        {"metadata":{"name":"crb","creationTimestamp":"AGO(PT1H)"},
                         "roleRef":{"kind":"ClusterRole","name":"cluster-admin"}}""",
                        List.of("crb", "ClusterRole/cluster-admin", "60m", "", "", "")),
                Arguments.of("storage.k8s.io", "StorageClass", "default class", """
                        {"metadata":{"name":"standard","creationTimestamp":"AGO(P90D)",
                          "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
                         "provisioner":"rancher.io/local-path","reclaimPolicy":"Delete",
                         "volumeBindingMode":"WaitForFirstConsumer","allowVolumeExpansion":true}""",
                        List.of("standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", true,
                                "90d")),
                Arguments.of("storage.k8s.io", "StorageClass", "unset fields take upstream defaults", """
                        {"metadata":{"name":"fast","creationTimestamp":"AGO(P90D)",
                          "annotations":{"storageclass.beta.kubernetes.io/is-default-class":"false"}},
                         "provisioner":"ebs.csi.aws.com"}""",
                        List.of("fast", "ebs.csi.aws.com", "Delete", "Immediate", false, "90d")),
                Arguments.of("coordination.k8s.io", "Lease", "held", """
                        {"metadata":{"name":"kube-scheduler","creationTimestamp":"AGO(P90D)"},
                         "spec":{"holderIdentity":"cp-1_5f2c","leaseDurationSeconds":15}}""",
                        List.of("kube-scheduler", "cp-1_5f2c", "90d")),
                Arguments.of("coordination.k8s.io", "Lease", "unheld", """
                        {"metadata":{"name":"l","creationTimestamp":"AGO(P90D)"},"spec":{}}""",
                        List.of("l", "", "90d")),
                Arguments.of("discovery.k8s.io", "EndpointSlice", "ports and endpoints", """
                        {"metadata":{"name":"web-abc12","creationTimestamp":"AGO(PT1H)"},"addressType":"IPv4",
                         "ports":[{"name":"http","port":80,"protocol":"TCP"},{"name":"metrics"},{}],
                         "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2","10.0.0.3"]},
                          {"addresses":["10.0.0.4"]}]}""",
                        List.of("web-abc12", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...",
                                "60m")),
                Arguments.of("discovery.k8s.io", "EndpointSlice", "empty", """
                        {"metadata":{"name":"e","creationTimestamp":"AGO(PT1H)"},"addressType":"IPv6"}""",
                        List.of("e", "IPv6", "<unset>", "<unset>", "60m")),
                Arguments.of("scheduling.k8s.io", "PriorityClass", "system class", """
                        {"metadata":{"name":"system-cluster-critical","creationTimestamp":"AGO(P90D)"},
                         "value":2000000000,"globalDefault":false,"preemptionPolicy":"PreemptLowerPriority"}""",
                        List.of("system-cluster-critical", 2000000000L, false, "90d", "PreemptLowerPriority")),
                Arguments.of("node.k8s.io", "RuntimeClass", "gvisor", """
                        {"metadata":{"name":"gvisor","creationTimestamp":"AGO(PT1H)"},"handler":"runsc"}""",
                        List.of("gvisor", "runsc", "60m")),
                Arguments.of("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "two webhooks", """
                        {"metadata":{"name":"m","creationTimestamp":"AGO(PT1H)"},
                         "webhooks":[{"name":"a.example.com"},{"name":"b.example.com"}]}""",
                        List.of("m", 2L, "60m")),
                Arguments.of("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "none", """
                        {"metadata":{"name":"v","creationTimestamp":"AGO(PT1H)"}}""",
                        List.of("v", 0L, "60m")),
                Arguments.of("rbac.authorization.k8s.io", "Role", "default table", """
                        {"metadata":{"name":"pod-reader","creationTimestamp":"2025-05-01T12:00:00.250Z"},
                         "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""",
                        List.of("pod-reader", "2025-05-01T12:00:00Z")),
                Arguments.of("rbac.authorization.k8s.io", "ClusterRole", "default table", """
                        {"metadata":{"name":"view","creationTimestamp":"2024-02-29T23:59:59+01:00"}}""",
                        List.of("view", "2024-02-29T22:59:59Z")),
                Arguments.of("", "LimitRange", "default table", """
                        {"metadata":{"name":"limits","creationTimestamp":"2025-05-01T12:00:00Z"}}""",
                        List.of("limits", "2025-05-01T12:00:00Z")),
                Arguments.of("apiextensions.k8s.io", "CustomResourceDefinition", "default table", """
                        {"metadata":{"name":"crontabs.stable.example.com",
                          "creationTimestamp":"2025-05-01T12:00:00Z"}}""",
                        List.of("crontabs.stable.example.com", "2025-05-01T12:00:00Z")),
                Arguments.of("example.com", "Unknown", "default table without a timestamp", "{}",
                        List.of("", "0001-01-01T00:00:00Z")));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("rows")
    void printsLikeUpstream(String group, String kind, String description, String json, List<Object> expected) {
        assertRow(group, kind, json, expected);
    }
}
