package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Fixtures.assertRow;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rows of the controllers' kinds: apps/v1, batch/v1, autoscaling/v2, policy/v1 and ReplicationController. */
class WorkloadTableTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("apps", "Deployment", "rolling out", """
                        {"metadata":{"name":"web","creationTimestamp":"AGO(PT45M)"},
                         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
                           {"name":"web","image":"nginx:1.27"},{"name":"proxy","image":"envoyproxy/envoy:v1.30"}]}}},
                         "status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}""",
                        List.of("web", "2/3", 3L, 2L, "45m", "web,proxy", "nginx:1.27,envoyproxy/envoy:v1.30",
                                "app=web")),
                Arguments.of("apps", "Deployment", "selector with expressions, no status yet", """
                        {"metadata":{"name":"api","creationTimestamp":"AGO(PT5S)"},
                         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"api"},"matchExpressions":[
                           {"key":"tier","operator":"In","values":["frontend","cache"]},
                           {"key":"canary","operator":"DoesNotExist"},
                           {"key":"track","operator":"NotIn","values":["beta"]},
                           {"key":"owner","operator":"Exists"}]},
                          "template":{"spec":{"containers":[{"name":"api","image":"api:2"}]}}}}""",
                        List.of("api", "0/1", 0L, 0L, "5s", "api", "api:2",
                                "app=api,!canary,owner,tier in (cache,frontend),track notin (beta)")),
                Arguments.of("apps", "Deployment", "invalid selector", """
                        {"metadata":{"name":"bad","creationTimestamp":"AGO(PT5S)"},
                         "spec":{"replicas":1,"selector":{"matchExpressions":[{"key":"a","operator":"Bogus"}]}}}""",
                        List.of("bad", "0/1", 0L, 0L, "5s", "", "", "<invalid>")),
                Arguments.of("apps", "Deployment", "empty object", "{}",
                        List.of("", "0/0", 0L, 0L, "<unknown>", "", "", "")),
                Arguments.of("apps", "ReplicaSet", "owned by a deployment", """
                        {"metadata":{"name":"web-7c5ddbdf54","creationTimestamp":"AGO(PT45M)"},
                         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web",
                           "pod-template-hash":"7c5ddbdf54"}},
                          "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}},
                         "status":{"replicas":3,"readyReplicas":2,"availableReplicas":2}}""",
                        List.of("web-7c5ddbdf54", 3L, 3L, 2L, "45m", "web", "nginx:1.27",
                                "app=web,pod-template-hash=7c5ddbdf54")),
                Arguments.of("apps", "ReplicaSet", "empty object", "{}",
                        List.of("", 0L, 0L, 0L, "<unknown>", "", "", "<none>")),
                Arguments.of("apps", "StatefulSet", "partially ready", """
                        {"metadata":{"name":"db","creationTimestamp":"AGO(P10D)"},
                         "spec":{"replicas":3,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
                          "template":{"spec":{"containers":[{"name":"postgres","image":"postgres:16"}]}}},
                         "status":{"replicas":3,"readyReplicas":2}}""",
                        List.of("db", "2/3", "10d", "postgres", "postgres:16")),
                Arguments.of("apps", "DaemonSet", "kube-proxy", """
                        {"metadata":{"name":"kube-proxy","creationTimestamp":"AGO(P90D)"},
                         "spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},
                          "template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},"containers":[
                           {"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.32.0"}]}}},
                         "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
                          "updatedNumberScheduled":3,"numberAvailable":2}}""",
                        List.of("kube-proxy", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "90d", "kube-proxy",
                                "registry.k8s.io/kube-proxy:v1.32.0", "k8s-app=kube-proxy")),
                Arguments.of("apps", "DaemonSet", "empty object", "{}",
                        List.of("", 0L, 0L, 0L, 0L, 0L, "<none>", "<unknown>", "", "", "<none>")),
                Arguments.of("apps", "ControllerRevision", "owned by a statefulset", """
                        {"metadata":{"name":"db-5d8f7c9b4","creationTimestamp":"AGO(P10D)","ownerReferences":[
                          {"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","uid":"u1","controller":true}]},
                         "revision":2,"data":{}}""",
                        List.of("db-5d8f7c9b4", "statefulset.apps/db", 2L, "10d")),
                Arguments.of("apps", "ControllerRevision", "core-group controller", """
                        {"metadata":{"name":"r","creationTimestamp":"AGO(P10D)","ownerReferences":[
                          {"apiVersion":"v1","kind":"Thing","name":"t","uid":"u1","controller":false},
                          {"apiVersion":"v1","kind":"Widget","name":"w","uid":"u2","controller":true}]},
                         "revision":7}""",
                        List.of("r", "widget/w", 7L, "10d")),
                Arguments.of("apps", "ControllerRevision", "no controller", """
                        {"metadata":{"name":"r"},"revision":1}""",
                        List.of("r", "<none>", 1L, "<unknown>")),
                Arguments.of("", "ReplicationController", "classic", """
                        {"metadata":{"name":"nginx","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"replicas":3,"selector":{"app":"nginx"},
                          "template":{"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}},
                         "status":{"replicas":3,"readyReplicas":2}}""",
                        List.of("nginx", 3L, 3L, 2L, "60m", "nginx", "nginx", "app=nginx")),
                Arguments.of("policy", "PodDisruptionBudget", "min available", """
                        {"metadata":{"name":"web","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}},
                         "status":{"disruptionsAllowed":1}}""",
                        List.of("web", "2", "N/A", 1L, "60m")),
                Arguments.of("policy", "PodDisruptionBudget", "max unavailable percentage", """
                        {"metadata":{"name":"db","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"maxUnavailable":"25%"}}""",
                        List.of("db", "N/A", "25%", 0L, "60m")));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("rows")
    void printsLikeUpstream(String group, String kind, String description, String json, List<Object> expected) {
        assertRow(group, kind, json, expected);
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of("complete", """
                        {"metadata":{"name":"pi","creationTimestamp":"AGO(PT10M)"},
                         "spec":{"completions":1,"parallelism":1,
                          "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"8c1f"}},
                          "template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34"}]}}},
                         "status":{"succeeded":1,"startTime":"AGO(PT10M)","completionTime":"AGO(PT9M50S)",
                          "conditions":[{"type":"SuccessCriteriaMet","status":"True"},
                           {"type":"Complete","status":"True"}]}}""",
                        List.of("pi", "Complete", "1/1", "10s", "10m", "pi", "perl:5.34",
                                "batch.kubernetes.io/controller-uid=8c1f")),
                Arguments.of("running, parallel without completions", """
                        {"metadata":{"name":"work","creationTimestamp":"AGO(PT2M)"},
                         "spec":{"parallelism":3,"template":{"spec":{"containers":[{"name":"w","image":"w:1"}]}}},
                         "status":{"active":3,"startTime":"AGO(PT2M)"}}""",
                        List.of("work", "Running", "0/1 of 3", "2m", "2m", "w", "w:1", "<none>")),
                Arguments.of("partially done", """
                        {"metadata":{"name":"batch","creationTimestamp":"AGO(PT3H)"},
                         "spec":{"completions":5,"parallelism":2},
                         "status":{"succeeded":2,"startTime":"AGO(PT2H30M)",
                          "conditions":[{"type":"Complete","status":"False"}]}}""",
                        List.of("batch", "Running", "2/5", "150m", "3h", "", "", "<none>")),
                Arguments.of("failed", """
                        {"metadata":{"name":"f","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"completions":1,"backoffLimit":0},
                         "status":{"failed":1,"startTime":"AGO(PT1H)","conditions":[
                          {"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True"}]}}""",
                        List.of("f", "Failed", "0/1", "60m", "60m", "", "", "<none>")),
                Arguments.of("failure target only", """
                        {"metadata":{"name":"f","creationTimestamp":"AGO(PT1H)"},"spec":{"completions":1},
                         "status":{"startTime":"AGO(PT1H)","conditions":[{"type":"FailureTarget","status":"True"}]}}""",
                        List.of("f", "FailureTarget", "0/1", "60m", "60m", "", "", "<none>")),
                Arguments.of("suspended, never started", """
                        {"metadata":{"name":"s","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"completions":1,"suspend":true},
                         "status":{"conditions":[{"type":"Suspended","status":"True"}]}}""",
                        List.of("s", "Suspended", "0/1", "", "60m", "", "", "<none>")),
                Arguments.of("terminating", """
                        {"metadata":{"name":"t","creationTimestamp":"AGO(PT1H)","deletionTimestamp":"AGO(PT1S)"},
                         "spec":{"completions":1},"status":{"startTime":"AGO(PT1H)"}}""",
                        List.of("t", "Terminating", "0/1", "60m", "60m", "", "", "<none>")),
                Arguments.of("empty object", "{}",
                        List.of("", "Running", "0/1", "", "<unknown>", "", "", "<none>")));
    }

    @ParameterizedTest(name = "Job: {0}")
    @MethodSource("jobs")
    void jobRows(String description, String json, List<Object> expected) {
        assertRow("batch", "Job", json, expected);
    }

    static Stream<Arguments> cronJobs() {
        return Stream.of(
                Arguments.of("active", """
                        {"metadata":{"name":"hello","creationTimestamp":"AGO(P2D)"},
                         "spec":{"schedule":"*/5 * * * *","suspend":false,"jobTemplate":{"spec":{"template":{
                          "spec":{"containers":[{"name":"hello","image":"busybox:1.36"}]}}}}},
                         "status":{"active":[{"kind":"Job","name":"hello-29123"}],
                          "lastScheduleTime":"AGO(PT3M)"}}""",
                        List.of("hello", "*/5 * * * *", "<none>", "False", 1L, "3m", "2d", "hello", "busybox:1.36",
                                "<none>")),
                Arguments.of("suspended with time zone, never scheduled", """
                        {"metadata":{"name":"nightly","creationTimestamp":"AGO(PT20H)"},
                         "spec":{"schedule":"0 3 * * *","timeZone":"Europe/Berlin","suspend":true,
                          "jobTemplate":{"spec":{"selector":{"matchLabels":{"job":"nightly"}},
                           "template":{"spec":{"containers":[{"name":"a","image":"a"},
                            {"name":"b","image":"b"}]}}}}}}""",
                        List.of("nightly", "0 3 * * *", "Europe/Berlin", "True", 0L, "<none>", "20h", "a,b", "a,b",
                                "job=nightly")),
                Arguments.of("empty object", "{}",
                        List.of("", "", "<none>", "<unset>", 0L, "<none>", "<unknown>", "", "", "<none>")));
    }

    @ParameterizedTest(name = "CronJob: {0}")
    @MethodSource("cronJobs")
    void cronJobRows(String description, String json, List<Object> expected) {
        assertRow("batch", "CronJob", json, expected);
    }

    static Stream<Arguments> autoscalers() {
        return Stream.of(
                Arguments.of("cpu utilization", """
                        {"metadata":{"name":"web","creationTimestamp":"AGO(P5D)"},
                         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                          "minReplicas":2,"maxReplicas":10,"metrics":[{"type":"Resource","resource":{"name":"cpu",
                           "target":{"type":"Utilization","averageUtilization":80}}}]},
                         "status":{"currentReplicas":3,"desiredReplicas":3,"currentMetrics":[{"type":"Resource",
                          "resource":{"name":"cpu","current":{"averageValue":"120m","averageUtilization":45}}}]}}""",
                        List.of("web", "Deployment/web", "cpu: 45%/80%", "2", 10L, 3L, "5d")),
                Arguments.of("no metrics observed yet", """
                        {"metadata":{"name":"web","creationTimestamp":"AGO(PT10S)"},
                         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5,
                          "metrics":[{"type":"Resource","resource":{"name":"cpu",
                           "target":{"type":"Utilization","averageUtilization":50}}},
                          {"type":"ContainerResource","containerResource":{"name":"memory","container":"app",
                           "target":{"type":"Utilization"}}}]}}""",
                        List.of("web", "Deployment/web", "cpu: <unknown>/50%, memory: <unknown>/<auto>", "<unset>",
                                5L, 0L, "10s")),
                Arguments.of("more than two metrics", """
                        {"metadata":{"name":"q","creationTimestamp":"AGO(P5D)"},
                         "spec":{"scaleTargetRef":{"kind":"StatefulSet","name":"workers"},"minReplicas":1,
                          "maxReplicas":20,"metrics":[
                           {"type":"Resource","resource":{"name":"memory",
                            "target":{"type":"AverageValue","averageValue":"500Mi"}}},
                           {"type":"Pods","pods":{"metric":{"name":"packets-per-second"},
                            "target":{"type":"AverageValue","averageValue":"1k"}}},
                           {"type":"External","external":{"metric":{"name":"queue_messages"},
                            "target":{"type":"Value","value":"30"}}}]},
                         "status":{"currentReplicas":4,"currentMetrics":[
                           {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"300Mi"}}},
                           {"type":"Pods","pods":{"metric":{"name":"packets-per-second"},
                            "current":{"averageValue":"850"}}},
                           {"type":"External","external":{"metric":{"name":"queue_messages"},
                            "current":{"value":"12"}}}]}}""",
                        List.of("q", "StatefulSet/workers", "memory: 300Mi/500Mi, 850/1k + 1 more...", "1", 20L, 4L,
                                "5d")),
                Arguments.of("object and external metrics", """
                        {"metadata":{"name":"o","creationTimestamp":"AGO(P5D)"},
                         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"d"},"maxReplicas":3,"metrics":[
                           {"type":"Object","object":{"metric":{"name":"requests"},
                            "describedObject":{"kind":"Ingress","name":"main"},
                            "target":{"type":"AverageValue","averageValue":"10"}}},
                           {"type":"External","external":{"metric":{"name":"lag"},
                            "target":{"type":"Value","value":"100"}}}]},
                         "status":{"currentMetrics":[{"type":"Object","object":{"metric":{"name":"requests"},
                           "current":{"averageValue":"7"}}}]}}""",
                        List.of("o", "Deployment/d", "7/10 (avg), <unknown>/100", "<unset>", 3L, 0L, "5d")),
                Arguments.of("empty object", "{}",
                        List.of("", "/", "<none>", "<unset>", 0L, 0L, "<unknown>")));
    }

    @ParameterizedTest(name = "HorizontalPodAutoscaler: {0}")
    @MethodSource("autoscalers")
    void autoscalerRows(String description, String json, List<Object> expected) {
        assertRow("autoscaling", "HorizontalPodAutoscaler", json, expected);
    }
}
