package dev.okube.apiserver.selection;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldSetsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEFAULT_REFUSAL =
            " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";

    /** group | kind | selector | upstream's refusal. Each kind words it as its conversion func does. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                  | Pod                       | spec.foo=x             | field label not supported: spec.foo",
            "''                  | Pod                       | status.hostIP=x        | field label not supported: status.hostIP",
            "''                  | Node                      | metadata.namespace=x   | field label not supported: metadata.namespace",
            "''                  | Namespace                 | name=x                 | field label not supported: name",
            "''                  | Secret                    | data=x                 | field label not supported: data",
            "''                  | Service                   | spec.ports=x           | field label not supported: spec.ports",
            "''                  | Event                     | message=x              | field label not supported: message",
            "''                  | ReplicationController     | spec.replicas=1        | field label not supported: spec.replicas",
            "batch               | Job                       | status.failed=1        | field label \"status.failed\" not supported for batchv1.Job",
            "certificates.k8s.io | CertificateSigningRequest | spec.username=x        | field label not supported: spec.username",
            "resource.k8s.io     | ResourceSlice             | spec.pool=x            | field label not supported for resource.k8s.io/v1beta1, Kind=ResourceSlice: spec.pool",
            "apps                | ReplicaSet                | status.replicas=0      | \"status.replicas\"" + DEFAULT_REFUSAL,
            "apps                | Deployment                | spec.paused=true       | \"spec.paused\"" + DEFAULT_REFUSAL,
            "''                  | ConfigMap                 | data.x=y               | \"data.x\"" + DEFAULT_REFUSAL,
            "example.com         | Widget                    | spec.size=1            | \"spec.size\"" + DEFAULT_REFUSAL,
            // terms are checked in sorted order, so the first refusal names the smallest unsupported field
            "''                  | Pod                       | spec.zzz=1,spec.aaa=2  | field label not supported: spec.aaa",
    })
    void unsupportedFieldsAreRefusedWithUpstreamText(String group, String kind, String selector, String message) {
        SelectorException e = assertThrows(SelectorException.class,
                () -> FieldSets.check(group, kind, FieldSelector.parse(selector)));
        assertEquals(message, e.getMessage());
    }

    /** group | kind | selector that upstream accepts. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''          | Pod                    | metadata.name=x,metadata.namespace=y,spec.nodeName=n,status.phase!=Running",
            "''          | Pod                    | spec.restartPolicy=Always,spec.schedulerName=s,spec.serviceAccountName=a",
            "''          | Pod                    | spec.hostNetwork=true,status.podIP=1.2.3.4,status.nominatedNodeName=n",
            "''          | Pod                    | spec.host=n",
            "''          | Event                  | involvedObject.name=x,involvedObject.namespace=default,involvedObject.uid=u",
            "''          | Event                  | involvedObject.kind=Pod,involvedObject.apiVersion=v1,involvedObject.resourceVersion=1",
            "''          | Event                  | involvedObject.fieldPath=f,reason=r,reportingComponent=c,source=s,type=Normal",
            "''          | Node                   | metadata.name=n,spec.unschedulable=false",
            "''          | Namespace              | metadata.name=n,status.phase=Active",
            "''          | Secret                 | type=Opaque",
            "''          | Service                | spec.clusterIP=None,spec.type=ClusterIP",
            "batch       | Job                    | status.successful=1",
            "apps        | Deployment             | metadata.name=web",
            "example.com | Widget                 | metadata.name=w,metadata.namespace=n",
            "''          | Pod                    | ''",
    })
    void supportedFieldsPass(String group, String kind, String selector) {
        assertDoesNotThrow(() -> FieldSets.check(group, kind, FieldSelector.parse(selector)));
    }

    @Test
    void supportedSets() {
        assertEquals(Set.of("metadata.name", "metadata.namespace"), FieldSets.supported("apps", "Deployment"));
        assertEquals(Set.of("type", "metadata.namespace", "metadata.name"), FieldSets.supported("", "Secret"));
        assertEquals(Set.of("metadata.name", "spec.unschedulable"), FieldSets.supported("", "Node"));
        assertTrue(FieldSets.supported("", "Pod").containsAll(Set.of("metadata.name", "metadata.namespace",
                "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName")));
        assertEquals(Set.of("metadata.name", "spec.signerName"),
                FieldSets.supported("certificates.k8s.io", "CertificateSigningRequest"));
    }

    @Test
    void convertRenamesTheOldPodHostAlias() {
        FieldSelector s = FieldSets.convert("", "Pod", FieldSelector.parse("spec.host=node-1"));
        assertEquals("spec.nodeName=node-1", s.toString());
        assertTrue(s.matches(FieldSets.fields("", "Pod", json("{\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"},"
                + "\"spec\":{\"nodeName\":\"node-1\"}}"))));
    }

    @Test
    void newStyleEventsSelectByTheirOwnNames() {
        JsonNode event = json("""
                {"metadata":{"name":"web.18","namespace":"default"},
                 "regarding":{"kind":"Pod","namespace":"default","name":"web","uid":"u-1"},
                 "reason":"Scheduled","type":"Normal","reportingController":"default-scheduler"}""");
        FieldSelector s = FieldSets.convert("events.k8s.io", "Event",
                FieldSelector.parse("regarding.name=web,reportingController=default-scheduler,type=Normal"));
        assertEquals("involvedObject.name=web,reportingComponent=default-scheduler,type=Normal", s.toString());
        assertTrue(s.matches(FieldSets.fields("events.k8s.io", "Event", event)));
        assertEquals("default-scheduler", FieldSets.fields("events.k8s.io", "Event", event).get("source"));
        SelectorException e = assertThrows(SelectorException.class, () -> FieldSets.check("events.k8s.io", "Event",
                FieldSelector.parse("involvedObject.name=web")));
        assertEquals("field label not supported: involvedObject.name", e.getMessage());
    }

    @Test
    void podFields() {
        Map<String, String> f = FieldSets.fields("", "Pod", json("""
                {"metadata":{"name":"web-1","namespace":"default"},
                 "spec":{"nodeName":"n1","restartPolicy":"Always","schedulerName":"default-scheduler",
                         "serviceAccountName":"default","hostNetwork":true},
                 "status":{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.1"},{"ip":"fd00::1"}],
                           "nominatedNodeName":"n2"}}"""));
        assertEquals(Map.of("metadata.name", "web-1", "metadata.namespace", "default", "spec.nodeName", "n1",
                "spec.restartPolicy", "Always", "spec.schedulerName", "default-scheduler",
                "spec.serviceAccountName", "default", "spec.hostNetwork", "true", "status.phase", "Running",
                // podIPs[0] wins: the internal object keeps only the list
                "status.podIP", "10.0.0.1", "status.nominatedNodeName", "n2"), f);

        Map<String, String> bare = FieldSets.fields("", "Pod", json("{\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"},"
                + "\"status\":{\"podIP\":\"10.0.0.2\"}}"));
        assertEquals("false", bare.get("spec.hostNetwork"));
        assertEquals("", bare.get("spec.nodeName"));
        assertEquals("10.0.0.2", bare.get("status.podIP"));
        // a pod not yet scheduled is found by an empty nodeName, as kubelets and schedulers rely on
        assertTrue(FieldSelector.parse("spec.nodeName=").matches(bare));
        assertFalse(FieldSelector.parse("spec.nodeName!=").matches(bare));
        // status.podIPs passes the check, as upstream, yet no value is ever computed for it
        FieldSets.check("", "Pod", FieldSelector.parse("status.podIPs=10.0.0.2"));
        assertFalse(FieldSelector.parse("status.podIPs=10.0.0.2").matches(bare));
    }

    @Test
    void eventFields() {
        JsonNode event = json("""
                {"metadata":{"name":"web.17","namespace":"default"},
                 "involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"u-1","apiVersion":"v1",
                                   "resourceVersion":"42","fieldPath":"spec.containers{app}"},
                 "reason":"Pulled","type":"Normal","reportingComponent":"kubelet","source":{}}""");
        Map<String, String> f = FieldSets.fields("", "Event", event);
        assertEquals("Pod", f.get("involvedObject.kind"));
        assertEquals("u-1", f.get("involvedObject.uid"));
        assertEquals("spec.containers{app}", f.get("involvedObject.fieldPath"));
        assertEquals("kubelet", f.get("reportingComponent"));
        // without source.component the reporting controller stands in
        assertEquals("kubelet", f.get("source"));
        assertEquals("Normal", f.get("type"));
        // what kubectl describe pod sends
        FieldSelector describe = FieldSelector.parse(
                "involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u-1");
        FieldSets.check("", "Event", describe);
        assertTrue(describe.matches(f));
        assertFalse(FieldSelector.parse("involvedObject.uid=u-2").matches(f));

        Map<String, String> legacy = FieldSets.fields("", "Event", json(
                "{\"metadata\":{\"name\":\"e\",\"namespace\":\"d\"},\"source\":{\"component\":\"scheduler\"}}"));
        assertEquals("scheduler", legacy.get("source"));
        assertEquals("", legacy.get("reportingComponent"));
    }

    @Test
    void otherKindsFields() {
        assertEquals("true", FieldSets.fields("", "Node",
                json("{\"metadata\":{\"name\":\"n\"},\"spec\":{\"unschedulable\":true}}")).get("spec.unschedulable"));
        Map<String, String> node = FieldSets.fields("", "Node", json("{\"metadata\":{\"name\":\"n\"}}"));
        assertEquals("false", node.get("spec.unschedulable"));
        assertFalse(node.containsKey("metadata.namespace"));
        assertEquals("Active", FieldSets.fields("", "Namespace",
                json("{\"metadata\":{\"name\":\"ns\"},\"status\":{\"phase\":\"Active\"}}")).get("status.phase"));
        assertEquals("kubernetes.io/tls", FieldSets.fields("", "Secret",
                json("{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"type\":\"kubernetes.io/tls\"}")).get("type"));
        Map<String, String> svc = FieldSets.fields("", "Service", json(
                "{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"spec\":{\"clusterIP\":\"None\",\"type\":\"ClusterIP\"}}"));
        assertEquals("None", svc.get("spec.clusterIP"));
        assertEquals("ClusterIP", svc.get("spec.type"));
        assertEquals("3", FieldSets.fields("", "ReplicationController",
                json("{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"},\"status\":{\"replicas\":3}}")).get("status.replicas"));
        assertEquals("0", FieldSets.fields("apps", "ReplicaSet",
                json("{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"}}")).get("status.replicas"));
        assertEquals("2", FieldSets.fields("batch", "Job",
                json("{\"metadata\":{\"name\":\"j\",\"namespace\":\"d\"},\"status\":{\"succeeded\":2}}")).get("status.successful"));
        assertEquals("kubernetes.io/kubelet-serving", FieldSets.fields("certificates.k8s.io", "CertificateSigningRequest",
                json("{\"metadata\":{\"name\":\"c\"},\"spec\":{\"signerName\":\"kubernetes.io/kubelet-serving\"}}"))
                .get("spec.signerName"));
        Map<String, String> widget = FieldSets.fields("example.com", "Widget",
                json("{\"metadata\":{\"name\":\"w\",\"namespace\":\"team\"},\"spec\":{\"size\":1}}"));
        assertEquals(Map.of("metadata.name", "w", "metadata.namespace", "team"), widget);
        // what kubectl rollout status and delete --wait send
        assertTrue(FieldSelector.parse("metadata.name=w").matches(widget));
    }

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }
}
