package dev.okube.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.testkit.Admission;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pods for the tests, written as JSON with single quotes. */
final class TestPods {
    private TestPods() {
    }

    /** A pod from its spec: {@code pod("{'containers':[{'name':'a'}]}")}. */
    static ObjectNode pod(String spec) {
        ObjectNode pod = Admission.json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ns'}}");
        pod.set("spec", Admission.json(spec));
        return pod;
    }

    /** A pod with metadata too. */
    static ObjectNode pod(String metadata, String spec) {
        ObjectNode pod = pod(spec);
        pod.set("metadata", Admission.json(metadata));
        return pod;
    }

    /**
     * A pod that passes restricted:latest: non-root, no privilege escalation, capabilities
     * dropped, RuntimeDefault seccomp.
     */
    static ObjectNode restrictedPod(String name) {
        return pod("{'name':'" + name + "','namespace':'ns'}", "{'securityContext':{'runAsNonRoot':true,"
                + "'seccompProfile':{'type':'RuntimeDefault'}},'containers':[{'name':'c','image':'nginx',"
                + "'securityContext':{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}}]}");
    }

    static JsonNode meta(JsonNode pod) {
        return pod.path("metadata");
    }

    static JsonNode spec(JsonNode pod) {
        return pod.path("spec");
    }

    static void assertAllowed(CheckResult result) {
        assertTrue(result.allowed(), () -> "expected allowed, got " + result);
    }

    static void assertForbidden(CheckResult result, String reason, String detail) {
        assertEquals(false, result.allowed(), "expected forbidden");
        assertEquals(reason, result.reason());
        assertEquals(detail, result.detail());
    }
}
