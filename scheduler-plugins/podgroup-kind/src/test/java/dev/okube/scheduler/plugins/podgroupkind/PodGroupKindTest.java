package dev.okube.scheduler.plugins.podgroupkind;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodGroupKindTest {
    final PodGroupKind kind = new PodGroupKind();

    List<String> validate(String body) {
        return kind.validate(json("{'apiVersion':'scheduling.x-k8s.io/v1alpha1','kind':'PodGroup',"
                + "'metadata':{'name':'pg','namespace':'ns'}," + body + "}"));
    }

    @Test
    void theKindIsTheCrdsOne() {
        assertEquals("scheduling.x-k8s.io", kind.group());
        assertEquals("v1alpha1", kind.version());
        assertEquals("PodGroup", kind.kind());
        assertEquals("podgroups", kind.plural());
        assertTrue(kind.namespaced());
        assertTrue(kind.hasStatus());
        assertEquals(List.of("pg", "pgs"), kind.shortNames());
    }

    @Test
    void aWellFormedGroupIsValid() {
        assertEquals(List.of(), validate("'spec':{'minMember':3,'minResources':{'cpu':'3','memory':'1Gi','nvidia.com/gpu':2},"
                + "'scheduleTimeoutSeconds':10},'status':{'phase':'Scheduling','scheduled':1,'scheduleStartTime':'2026-01-01T00:00:00Z'}"));
        assertEquals(List.of(), validate("'spec':{}"), "every field is optional");
    }

    @Test
    void schemaViolationsAreReported() {
        assertEquals(List.of("spec.minMember: Invalid value: 0: spec.minMember in body should be greater than or equal to 1"),
                validate("'spec':{'minMember':0}"));
        assertEquals(List.of("spec.minMember: Invalid value: \"string\": spec.minMember in body must be of type integer: \"string\""),
                validate("'spec':{'minMember':'3'}"));
        assertEquals(List.of("spec.scheduleTimeoutSeconds: Invalid value: 4294967296: spec.scheduleTimeoutSeconds in body should be a 32-bit integer"),
                validate("'spec':{'scheduleTimeoutSeconds':4294967296}"));
        assertEquals(1, validate("'spec':{'minResources':{'cpu':'lots'}}").size());
        assertEquals(List.of("status.scheduled: Invalid value: \"string\": status.scheduled in body must be of type integer: \"string\""),
                validate("'status':{'scheduled':'1'}"));
    }
}
