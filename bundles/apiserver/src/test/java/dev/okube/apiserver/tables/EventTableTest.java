package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Fixtures.assertRow;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Event rows for core/v1 and events.k8s.io/v1. Cells: last seen, type, reason, object, subobject, source, message,
 * first seen, count, name.
 */
class EventTableTest {
    static Stream<Arguments> coreEvents() {
        return Stream.of(
                Arguments.of("kubelet event with legacy timestamps", """
                        {"metadata":{"name":"web-1.17f3a","namespace":"default","creationTimestamp":"AGO(PT10M)"},
                         "involvedObject":{"kind":"Pod","namespace":"default","name":"web-1",
                          "fieldPath":"spec.containers{web}"},
                         "reason":"Pulling","message":"Pulling image \\"nginx:1.27\\"\\n","type":"Normal",
                         "source":{"component":"kubelet","host":"node-1"},
                         "firstTimestamp":"AGO(PT10M)","lastTimestamp":"AGO(PT2M)","count":3}""",
                        List.of("2m", "Normal", "Pulling", "pod/web-1", "spec.containers{web}", "kubelet, node-1",
                                "Pulling image \"nginx:1.27\"", "10m", 3L, "web-1.17f3a")),
                Arguments.of("new-style singleton: event time, reporting controller", """
                        {"metadata":{"name":"web-1.17f3b"},
                         "involvedObject":{"kind":"Pod","name":"web-1"},
                         "reason":"Scheduled","message":"Successfully assigned default/web-1 to node-1",
                         "type":"Normal","source":{},"eventTime":"2025-06-01T11:59:29.500000Z",
                         "reportingComponent":"default-scheduler","reportingController":"default-scheduler",
                         "reportingInstance":"default-scheduler-cp-1"}""",
                        List.of("30s", "Normal", "Scheduled", "pod/web-1", "",
                                "default-scheduler, default-scheduler-cp-1",
                                "Successfully assigned default/web-1 to node-1", "30s", 1L, "web-1.17f3b")),
                Arguments.of("series", """
                        {"metadata":{"name":"n.1"},"involvedObject":{"kind":"Node","name":"node-1"},
                         "reason":"NodeNotReady","type":"Warning","eventTime":"AGO(PT1H)",
                         "series":{"count":5,"lastObservedTime":"AGO(PT1M)"},"reportingController":"node-controller",
                         "message":"Node is not ready"}""",
                        List.of("60s", "Warning", "NodeNotReady", "node/node-1", "", "node-controller",
                                "Node is not ready", "60m", 5L, "n.1")),
                Arguments.of("object without a name", """
                        {"metadata":{"name":"x"},"involvedObject":{"kind":"ClusterThing"},"count":2,
                         "firstTimestamp":"AGO(PT5M)","source":{"component":"c"}}""",
                        List.of("5m", "", "", "clusterthing", "", "c", "", "5m", 2L, "x")),
                Arguments.of("empty object", "{}",
                        List.of("<unknown>", "", "", "", "", "", "", "<unknown>", 1L, "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coreEvents")
    void coreEventRows(String description, String json, List<Object> expected) {
        assertRow("", "Event", json, expected);
    }

    static Stream<Arguments> eventsV1() {
        return Stream.of(
                Arguments.of("with deprecated fields", """
                        {"apiVersion":"events.k8s.io/v1","kind":"Event",
                         "metadata":{"name":"web-1.17f3a","namespace":"default"},
                         "eventTime":null,"reportingController":"kubelet","reportingInstance":"node-1",
                         "action":"Pulling","reason":"Pulling","type":"Normal",
                         "regarding":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{web}"},
                         "note":"Pulling image","deprecatedSource":{"component":"kubelet","host":"node-1"},
                         "deprecatedFirstTimestamp":"AGO(PT10M)","deprecatedLastTimestamp":"AGO(PT2M)",
                         "deprecatedCount":3}""",
                        List.of("2m", "Normal", "Pulling", "pod/web-1", "spec.containers{web}", "kubelet, node-1",
                                "Pulling image", "10m", 3L, "web-1.17f3a")),
                Arguments.of("new API only", """
                        {"metadata":{"name":"e"},"eventTime":"AGO(PT45S)","reportingController":"my-operator",
                         "reason":"Synced","type":"Normal","regarding":{"kind":"Deployment","name":"web"},
                         "note":"  synced  "}""",
                        List.of("45s", "Normal", "Synced", "deployment/web", "", "my-operator", "synced", "45s", 1L,
                                "e")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventsV1")
    void eventsApiRows(String description, String json, List<Object> expected) {
        assertRow("events.k8s.io", "Event", json, expected);
    }
}
