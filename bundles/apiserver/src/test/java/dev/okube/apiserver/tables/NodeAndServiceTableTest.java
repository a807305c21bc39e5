package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Fixtures.assertRow;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Node rows (status, roles, wide system info) and Service rows of every type, as upstream prints them. */
class NodeAndServiceTableTest {
    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.of("ready control plane", """
                        {"metadata":{"name":"cp-1","creationTimestamp":"AGO(P90D)",
                          "labels":{"kubernetes.io/hostname":"cp-1","node-role.kubernetes.io/control-plane":""}},
                         "status":{"conditions":[{"type":"MemoryPressure","status":"False"},
                           {"type":"Ready","status":"True","reason":"KubeletReady"}],
                          "addresses":[{"type":"InternalIP","address":"192.168.1.10"},
                           {"type":"Hostname","address":"cp-1"}],
                          "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Ubuntu 22.04.4 LTS",
                           "kernelVersion":"6.5.0-35-generic","containerRuntimeVersion":"containerd://1.7.13"}}}""",
                        List.of("cp-1", "Ready", "control-plane", "90d", "v1.32.0", "192.168.1.10", "<none>",
                                "Ubuntu 22.04.4 LTS", "6.5.0-35-generic", "containerd://1.7.13")),
                Arguments.of("not ready, cordoned, roles from both label styles", """
                        {"metadata":{"name":"w-2","creationTimestamp":"AGO(PT7H30M)",
                          "labels":{"kubernetes.io/role":"worker","node-role.kubernetes.io/ingress":"true",
                           "node-role.kubernetes.io/":"ignored"}},
                         "spec":{"unschedulable":true},
                         "status":{"conditions":[{"type":"Ready","status":"False"}],
                          "addresses":[{"type":"ExternalIP","address":"203.0.113.7"},
                           {"type":"InternalIP","address":"10.0.0.7"}],
                          "nodeInfo":{"kubeletVersion":"v1.31.2"}}}""",
                        List.of("w-2", "NotReady,SchedulingDisabled", "ingress,worker", "7h30m", "v1.31.2",
                                "10.0.0.7", "203.0.113.7", "<unknown>", "<unknown>", "<unknown>")),
                Arguments.of("ready condition unknown", """
                        {"metadata":{"name":"w-3","creationTimestamp":"AGO(P3D)","labels":{"kubernetes.io/role":""}},
                         "status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""",
                        List.of("w-3", "NotReady", "<none>", "3d", "", "<none>", "<none>", "<unknown>",
                                "<unknown>", "<unknown>")),
                Arguments.of("no conditions yet, cordoned", """
                        {"metadata":{"name":"new"},"spec":{"unschedulable":true}}""",
                        List.of("new", "Unknown,SchedulingDisabled", "<none>", "<unknown>", "", "<none>", "<none>",
                                "<unknown>", "<unknown>", "<unknown>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void nodeRows(String description, String json, List<Object> expected) {
        assertRow("", "Node", json, expected);
    }

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of("ClusterIP", """
                        {"metadata":{"name":"kube-dns","creationTimestamp":"AGO(P3D)"},
                         "spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
                          "selector":{"k8s-app":"kube-dns"},
                          "ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},
                           {"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53},
                           {"name":"metrics","port":9153,"protocol":"TCP","targetPort":9153}]}}""",
                        List.of("kube-dns", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP,9153/TCP", "3d",
                                "k8s-app=kube-dns")),
                Arguments.of("ClusterIP with external IPs, dual stack", """
                        {"metadata":{"name":"s","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"ClusterIP","clusterIPs":["10.96.1.1","fd00::1"],
                          "externalIPs":["198.51.100.1","198.51.100.2"],
                          "selector":{"tier":"web","app":"shop"},"ports":[{"port":80,"protocol":"TCP"}]}}""",
                        List.of("s", "ClusterIP", "10.96.1.1", "198.51.100.1,198.51.100.2", "80/TCP", "2m",
                                "app=shop,tier=web")),
                Arguments.of("headless without selector or ports", """
                        {"metadata":{"name":"h","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"ClusterIP","clusterIP":"None","clusterIPs":["None"]}}""",
                        List.of("h", "ClusterIP", "None", "<none>", "<none>", "2m", "<none>")),
                Arguments.of("NodePort", """
                        {"metadata":{"name":"np","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"NodePort","clusterIPs":["10.96.3.3"],"selector":{"app":"web"},
                          "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},
                           {"port":443,"nodePort":30443,"protocol":"TCP"}]}}""",
                        List.of("np", "NodePort", "10.96.3.3", "<none>", "80:30080/TCP,443:30443/TCP", "2m",
                                "app=web")),
                Arguments.of("LoadBalancer pending", """
                        {"metadata":{"name":"lb","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"LoadBalancer","clusterIPs":["10.96.4.4"],
                          "ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}]},"status":{"loadBalancer":{}}}""",
                        List.of("lb", "LoadBalancer", "10.96.4.4", "<pending>", "443:31443/TCP", "2m", "<none>")),
                Arguments.of("LoadBalancer provisioned: sorted, unique, never clipped", """
                        {"metadata":{"name":"lb","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"LoadBalancer","clusterIPs":["10.96.4.4"],
                          "ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}]},
                         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"},
                          {"hostname":"a1b2c3.elb.example.com"},{"ip":"203.0.113.10"},{"ip":"203.0.113.9"}]}}}""",
                        List.of("lb", "LoadBalancer", "10.96.4.4", "203.0.113.10,203.0.113.9,a1b2c3.elb.example.com",
                                "443:31443/TCP", "2m", "<none>")),
                Arguments.of("LoadBalancer with external IPs", """
                        {"metadata":{"name":"lb","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"LoadBalancer","clusterIPs":["10.96.4.4"],"externalIPs":["198.51.100.7"],
                          "ports":[{"port":80,"nodePort":30000,"protocol":"TCP"}]},
                         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"}]}}}""",
                        List.of("lb", "LoadBalancer", "10.96.4.4", "203.0.113.9,198.51.100.7", "80:30000/TCP", "2m",
                                "<none>")),
                Arguments.of("ExternalName", """
                        {"metadata":{"name":"db","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"ExternalName","externalName":"db.example.com"}}""",
                        List.of("db", "ExternalName", "<none>", "db.example.com", "<none>", "2m", "<none>")),
                Arguments.of("singular clusterIP only", """
                        {"metadata":{"name":"old","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"type":"ClusterIP","clusterIP":"10.96.7.7","ports":[{"port":80,"protocol":"TCP"}]}}""",
                        List.of("old", "ClusterIP", "10.96.7.7", "<none>", "80/TCP", "2m", "<none>")),
                Arguments.of("empty object", "{}",
                        List.of("", "", "<none>", "<unknown>", "<none>", "<unknown>", "<none>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void serviceRows(String description, String json, List<Object> expected) {
        assertRow("", "Service", json, expected);
    }
}
