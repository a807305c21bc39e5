package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Fixtures.assertRow;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pod rows in every branch of upstream printPod: phases, waiting/terminated reasons, init containers, sidecars,
 * deletion, NodeLost, restarts with their "(x ago)" suffix, readiness gates. Cells are name, ready, status,
 * restarts, age, IP, node, nominated node, readiness gates.
 */
class PodTableTest {
    static Stream<Arguments> pods() {
        return Stream.of(
                Arguments.of("running", """
                        {"metadata":{"name":"web-1","creationTimestamp":"AGO(PT5M)"},
                         "spec":{"nodeName":"node-1","containers":[{"name":"web","image":"nginx"}]},
                         "status":{"phase":"Running","podIP":"10.0.0.12","podIPs":[{"ip":"10.0.0.12"}],
                          "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
                          "containerStatuses":[{"name":"web","ready":true,"restartCount":0,
                           "state":{"running":{"startedAt":"AGO(PT4M)"}}}]}}""",
                        List.of("web-1", "1/1", "Running", "0", "5m", "10.0.0.12", "node-1", "<none>", "<none>")),
                Arguments.of("pending, unscheduled", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT10S)"},
                         "spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Pending"}}""",
                        List.of("p", "0/2", "Pending", "0", "10s", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("scheduling gated", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"containers":[{"name":"a"}],"schedulingGates":[{"name":"example.com/gate"}]},
                         "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False",
                          "reason":"SchedulingGated"}]}}""",
                        List.of("p", "0/1", "SchedulingGated", "0", "60m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("container creating", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT3S)"},
                         "spec":{"nodeName":"n","containers":[{"name":"a"}]},
                         "status":{"phase":"Pending","containerStatuses":[{"name":"a","ready":false,
                          "restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}""",
                        List.of("p", "0/1", "ContainerCreating", "0", "3s", "<none>", "n", "<none>", "<none>")),
                Arguments.of("crash loop with restarts", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT20M)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Running","containerStatuses":[{"name":"a","ready":false,"restartCount":5,
                          "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"AGO(PT2M)"}},
                          "state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""",
                        List.of("p", "0/1", "CrashLoopBackOff", "5 (2m ago)", "20m", "<none>", "<none>", "<none>",
                                "<none>")),
                Arguments.of("restarts summed, latest termination wins", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT2H)"},
                         "spec":{"containers":[{"name":"a"},{"name":"b"}]},
                         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                          "containerStatuses":[
                           {"name":"a","ready":true,"restartCount":2,"state":{"running":{}},
                            "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO(PT10M)"}}},
                           {"name":"b","ready":true,"restartCount":1,"state":{"running":{}},
                            "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO(PT3M)"}}}]}}""",
                        List.of("p", "2/2", "Running", "3 (3m ago)", "120m", "<none>", "<none>", "<none>",
                                "<none>")),
                Arguments.of("first container's state wins", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT20M)"},
                         "spec":{"containers":[{"name":"a"},{"name":"b"}]},
                         "status":{"phase":"Running","containerStatuses":[
                          {"name":"a","restartCount":3,"state":{"waiting":{"reason":"ImagePullBackOff"}}},
                          {"name":"b","restartCount":3,
                           "state":{"terminated":{"exitCode":2,"reason":"OOMKilled"}}}]}}""",
                        List.of("p", "0/2", "ImagePullBackOff", "6", "20m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("init restarts are dropped once initialization is over", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT20M)"},
                         "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Running",
                          "initContainerStatuses":[{"name":"i1","restartCount":2,
                           "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO(PT2M)"}},
                           "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}],
                          "containerStatuses":[{"name":"a","ready":false,"restartCount":4,"state":{"running":{}},
                           "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO(PT20S)"}}}]}}""",
                        List.of("p", "0/1", "Running", "4 (20s ago)", "20m", "<none>", "<none>", "<none>",
                                "<none>")),
                Arguments.of("completed", """
                        {"metadata":{"name":"job-x","creationTimestamp":"AGO(PT3H)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Succeeded","containerStatuses":[{"name":"a","ready":false,
                          "restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""",
                        List.of("job-x", "0/1", "Completed", "0", "3h", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("error", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT3H5M)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Failed","containerStatuses":[{"name":"a","restartCount":0,
                          "state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}}""",
                        List.of("p", "0/1", "Error", "0", "3h5m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("terminated without reason: exit code", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(P2D)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Failed","containerStatuses":[{"name":"a",
                          "state":{"terminated":{"exitCode":137}}}]}}""",
                        List.of("p", "0/1", "ExitCode:137", "0", "2d", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("terminated without reason: signal", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(P9D)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Failed","containerStatuses":[{"name":"a",
                          "state":{"terminated":{"exitCode":0,"signal":9}}}]}}""",
                        List.of("p", "0/1", "Signal:9", "0", "9d", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("first init container running", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT30S)"},
                         "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Pending",
                          "initContainerStatuses":[{"name":"i1","state":{"running":{}}},
                           {"name":"i2","state":{"waiting":{"reason":"PodInitializing"}}}],
                          "containerStatuses":[{"name":"a","state":{"waiting":{"reason":"PodInitializing"}}}]}}""",
                        List.of("p", "0/1", "Init:0/2", "0", "30s", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("second init container running", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT30S)"},
                         "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Pending",
                          "initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":0,
                            "reason":"Completed"}}},{"name":"i2","state":{"running":{}}}]}}""",
                        List.of("p", "0/1", "Init:1/2", "0", "30s", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("init container crash looping", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT15M)"},
                         "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Pending","conditions":[{"type":"Initialized","status":"False"}],
                          "initContainerStatuses":[{"name":"i1","restartCount":3,
                           "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO(PT30S)"}},
                           "state":{"waiting":{"reason":"CrashLoopBackOff"}}}],
                          "containerStatuses":[{"name":"a","restartCount":0,
                           "state":{"waiting":{"reason":"PodInitializing"}}}]}}""",
                        List.of("p", "0/1", "Init:CrashLoopBackOff", "3 (30s ago)", "15m", "<none>", "<none>",
                                "<none>", "<none>")),
                Arguments.of("init container failed with reason", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT15M)"},
                         "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Failed","initContainerStatuses":[{"name":"i1",
                          "state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}}""",
                        List.of("p", "0/1", "Init:Error", "0", "15m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("init container failed: exit code", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT15M)"},
                         "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Pending","initContainerStatuses":[{"name":"i1",
                          "state":{"terminated":{"exitCode":2}}}]}}""",
                        List.of("p", "0/1", "Init:ExitCode:2", "0", "15m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("init container failed: signal", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT15M)"},
                         "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                         "status":{"phase":"Pending","initContainerStatuses":[{"name":"i1",
                          "state":{"terminated":{"exitCode":137,"signal":9}}}]}}""",
                        List.of("p", "0/1", "Init:Signal:9", "0", "15m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("sidecar counts as a container", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"initContainers":[{"name":"proxy","restartPolicy":"Always"}],
                          "containers":[{"name":"app"}]},
                         "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"},
                          {"type":"Ready","status":"True"}],
                          "initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"restartCount":1,
                           "state":{"running":{}}}],
                          "containerStatuses":[{"name":"app","ready":true,"restartCount":0,
                           "state":{"running":{}}}]}}""",
                        List.of("p", "2/2", "Running", "1", "60m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("sidecar running but not started yet", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1M)"},
                         "spec":{"initContainers":[{"name":"s1","restartPolicy":"Always"},
                           {"name":"s2","restartPolicy":"Always"}],"containers":[{"name":"app"}]},
                         "status":{"phase":"Pending","conditions":[{"type":"Initialized","status":"False"}],
                          "initContainerStatuses":[{"name":"s1","started":false,"restartCount":3,
                            "state":{"running":{}},"lastState":{"terminated":{"exitCode":1,
                            "finishedAt":"AGO(PT10S)"}}},
                           {"name":"s2","started":false,"state":{"waiting":{}}}],
                          "containerStatuses":[{"name":"app","state":{"waiting":{}}}]}}""",
                        List.of("p", "0/3", "Init:0/2", "3 (10s ago)", "60s", "<none>", "<none>", "<none>",
                                "<none>")),
                Arguments.of("sidecars started, restarts of sidecars and containers add up", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1M)"},
                         "spec":{"initContainers":[{"name":"s1","restartPolicy":"Always"},
                           {"name":"s2","restartPolicy":"Always"}],"containers":[{"name":"app"}]},
                         "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
                          "initContainerStatuses":[{"name":"s1","started":true,"ready":false,"restartCount":3,
                            "state":{"running":{}},"lastState":{"terminated":{"exitCode":1,
                            "finishedAt":"AGO(PT10S)"}}},
                           {"name":"s2","started":true,"ready":false,"state":{"running":{}}}],
                          "containerStatuses":[{"name":"app","ready":true,"restartCount":4,"state":{"running":{}},
                           "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO(PT20S)"}}}]}}""",
                        List.of("p", "1/3", "Running", "7 (10s ago)", "60s", "<none>", "<none>", "<none>",
                                "<none>")),
                Arguments.of("completed container next to a running one, pod ready", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"containers":[{"name":"a"},{"name":"b"}]},
                         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                          "containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},
                           {"name":"b","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""",
                        List.of("p", "1/2", "Running", "0", "60m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("completed container next to a running one, pod not ready", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"containers":[{"name":"a"},{"name":"b"}]},
                         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
                          "containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},
                           {"name":"b","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""",
                        List.of("p", "1/2", "NotReady", "0", "60m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("terminating", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)","deletionTimestamp":"AGO(PT1S)"},
                         "spec":{"nodeName":"n","containers":[{"name":"a"}]},
                         "status":{"phase":"Running","containerStatuses":[{"name":"a","ready":true,
                          "state":{"running":{}}}]}}""",
                        List.of("p", "1/1", "Terminating", "0", "60m", "<none>", "n", "<none>", "<none>")),
                Arguments.of("terminal pods being deleted keep their status", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)","deletionTimestamp":"AGO(PT1S)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Succeeded","containerStatuses":[{"name":"a",
                          "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""",
                        List.of("p", "0/1", "Completed", "0", "60m", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("node lost", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)"},
                         "spec":{"nodeName":"gone","containers":[{"name":"a"}]},
                         "status":{"phase":"Running","reason":"NodeLost","containerStatuses":[{"name":"a",
                          "ready":true,"state":{"running":{}}}]}}""",
                        List.of("p", "1/1", "NodeLost", "0", "60m", "<none>", "gone", "<none>", "<none>")),
                Arguments.of("node lost and deleted: Unknown", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1H)","deletionTimestamp":"AGO(PT1M)"},
                         "spec":{"nodeName":"gone","containers":[{"name":"a"}]},
                         "status":{"phase":"Running","reason":"NodeLost","containerStatuses":[{"name":"a",
                          "ready":true,"state":{"running":{}}}]}}""",
                        List.of("p", "1/1", "Unknown", "0", "60m", "<none>", "gone", "<none>", "<none>")),
                Arguments.of("evicted", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(P1D)"},
                         "spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Failed","reason":"Evicted","message":"low on memory"}}""",
                        List.of("p", "0/1", "Evicted", "0", "24h", "<none>", "<none>", "<none>", "<none>")),
                Arguments.of("wide columns: nominated node and readiness gates", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1M)"},
                         "spec":{"containers":[{"name":"a"}],"readinessGates":[{"conditionType":"example.com/lb"},
                          {"conditionType":"example.com/dns"}]},
                         "status":{"phase":"Pending","nominatedNodeName":"node-2","podIPs":[{"ip":"fd00::5"}],
                          "conditions":[{"type":"example.com/lb","status":"True"},
                           {"type":"example.com/dns","status":"False"}]}}""",
                        List.of("p", "0/1", "Pending", "0", "60s", "fd00::5", "<none>", "node-2", "1/2")),
                Arguments.of("singular podIP only", """
                        {"metadata":{"name":"p","creationTimestamp":"AGO(PT1M)"},"spec":{"containers":[{"name":"a"}]},
                         "status":{"phase":"Pending","podIP":"10.1.2.3"}}""",
                        List.of("p", "0/1", "Pending", "0", "60s", "10.1.2.3", "<none>", "<none>", "<none>")),
                Arguments.of("empty object", "{}",
                        List.of("", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void printsLikeUpstream(String description, String json, List<Object> expected) {
        assertRow("", "Pod", json, expected);
    }
}
