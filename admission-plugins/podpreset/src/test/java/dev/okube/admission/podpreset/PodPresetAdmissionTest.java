package dev.okube.admission.podpreset;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.InMemoryClusterResources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PodPresetAdmissionTest {
    static final ResourceType PRESETS = ResourceType.of("settings.k8s.io", "podpresets");

    final InMemoryClusterResources cluster = new InMemoryClusterResources().serve(PRESETS);
    final PodPresetAdmission plugin = new PodPresetAdmission(cluster);

    ObjectNode preset(String name, String spec) {
        ObjectNode p = json("{'apiVersion':'settings.k8s.io/v1alpha1','kind':'PodPreset','metadata':{'name':'" + name
                + "','namespace':'ns'},'spec':" + spec + "}");
        new PodPresetKind().applyDefaults(p);
        return cluster.put(PRESETS, p);
    }

    static ObjectNode pod(String labels, String containers) {
        return json("{'metadata':{'name':'web','namespace':'ns','labels':" + labels + "},'spec':{'containers':"
                + containers + "}}");
    }

    static final String DB_PRESET = "{'selector':{'matchLabels':{'role':'frontend'}},"
            + "'env':[{'name':'DB_PORT','value':'6379'}],"
            + "'envFrom':[{'configMapRef':{'name':'etcd-env-config'}}],"
            + "'volumeMounts':[{'mountPath':'/cache','name':'cache-volume'}],"
            + "'volumes':[{'name':'cache-volume','emptyDir':{}}]}";

    @Test
    void aMatchingPresetIsInjectedIntoEveryContainerAndThePod() {
        ObjectNode preset = preset("allow-database", DB_PRESET);
        ObjectNode pod = pod("{'role':'frontend','app':'web'}",
                "[{'name':'a','image':'nginx','env':[{'name':'KEEP','value':'1'}]},{'name':'b','image':'nginx'}]");
        pod.withObjectProperty("spec").set("initContainers", json("{'x':[{'name':'init','image':'busybox'}]}").get("x"));
        AdmissionResponse response = plugin.admit(create("pods", "Pod", pod));
        assertTrue(response.allowed());
        assertTrue(response.warnings().isEmpty());
        assertEquals(json("{'x':[{'name':'KEEP','value':'1'},{'name':'DB_PORT','value':'6379'}]}").get("x"),
                pod.at("/spec/containers/0/env"));
        for (String c : new String[] {"/spec/containers/1", "/spec/initContainers/0"}) {
            assertEquals("DB_PORT", pod.at(c + "/env/0/name").asString(), c);
            assertEquals("/cache", pod.at(c + "/volumeMounts/0/mountPath").asString(), c);
            assertEquals("etcd-env-config", pod.at(c + "/envFrom/0/configMapRef/name").asString(), c);
        }
        assertEquals("cache-volume", pod.at("/spec/volumes/0/name").asString());
        assertEquals(preset.path("metadata").path("resourceVersion").asString(),
                pod.at("/metadata/annotations/podpreset.admission.kubernetes.io~1podpreset-allow-database").asString());
    }

    @Test
    void aPodTheSelectorDoesNotMatchIsUnchanged() {
        preset("allow-database", DB_PRESET);
        ObjectNode pod = pod("{'role':'backend'}", "[{'name':'a','image':'nginx'}]");
        ObjectNode before = pod.deepCopy();
        assertTrue(plugin.admit(create("pods", "Pod", pod)).allowed());
        assertEquals(before, pod);
        ObjectNode noLabels = json("{'metadata':{'name':'x','namespace':'ns'},'spec':{'containers':[{'name':'a'}]}}");
        ObjectNode copy = noLabels.deepCopy();
        plugin.admit(create("pods", "Pod", noLabels));
        assertEquals(copy, noLabels);
    }

    @Test
    void severalPresetsMergeInNameOrderAndIdenticalEntriesAreNoConflict() {
        preset("b-second", "{'selector':{'matchExpressions':[{'key':'role','operator':'In','values':['frontend']}]},"
                + "'env':[{'name':'B','value':'2'},{'name':'SHARED','value':'same'}]}");
        preset("a-first", "{'selector':{},'env':[{'name':'A','value':'1'},{'name':'SHARED','value':'same'}]}");
        ObjectNode pod = pod("{'role':'frontend'}", "[{'name':'c','image':'nginx'}]");
        assertTrue(plugin.admit(create("pods", "Pod", pod)).allowed());
        assertEquals("[\"A\",\"SHARED\",\"B\"]", names(pod.at("/spec/containers/0/env")));
        assertTrue(pod.at("/metadata/annotations").has("podpreset.admission.kubernetes.io/podpreset-a-first"));
        assertTrue(pod.at("/metadata/annotations").has("podpreset.admission.kubernetes.io/podpreset-b-second"));
    }

    static String names(tools.jackson.databind.JsonNode list) {
        StringBuilder b = new StringBuilder("[");
        list.forEach(e -> b.append(b.length() > 1 ? "," : "").append('"').append(e.path("name").asString()).append('"'));
        return b.append(']').toString();
    }

    @Test
    void aConflictInjectsNothingAndWarns() {
        preset("allow-database", DB_PRESET);
        ObjectNode pod = pod("{'role':'frontend'}",
                "[{'name':'a','image':'nginx','env':[{'name':'DB_PORT','value':'5432'}]}]");
        ObjectNode before = pod.deepCopy();
        AdmissionResponse response = plugin.admit(create("pods", "Pod", pod));
        assertTrue(response.allowed());
        assertEquals(before, pod);
        assertEquals(1, response.warnings().size());
        assertTrue(response.warnings().get(0).startsWith("conflict occurred while applying podpresets: allow-database on pod: web"),
                response.warnings().get(0));
        assertTrue(response.warnings().get(0).contains("merging env for allow-database has a conflict on DB_PORT"));
    }

    @Test
    void mountPathAndVolumeConflictsToo() {
        preset("allow-database", DB_PRESET);
        ObjectNode samePath = pod("{'role':'frontend'}",
                "[{'name':'a','volumeMounts':[{'name':'other','mountPath':'/cache'}]}]");
        samePath.withObjectProperty("spec").set("volumes", json("{'x':[{'name':'other','emptyDir':{}}]}").get("x"));
        AdmissionResponse r1 = plugin.admit(create("pods", "Pod", samePath));
        assertTrue(r1.warnings().get(0).contains("conflict on mount path /cache"), r1.warnings().get(0));
        assertFalse(samePath.at("/metadata").has("annotations"));

        ObjectNode sameVolume = pod("{'role':'frontend'}", "[{'name':'a'}]");
        sameVolume.withObjectProperty("spec").set("volumes",
                json("{'x':[{'name':'cache-volume','hostPath':{'path':'/tmp'}}]}").get("x"));
        AdmissionResponse r2 = plugin.admit(create("pods", "Pod", sameVolume));
        assertTrue(r2.warnings().get(0).contains("merging volumes for allow-database has a conflict on cache-volume"),
                r2.warnings().get(0));
        // The same volume, stated with a zero-valued field, is no conflict (Go compares structs).
        ObjectNode identical = pod("{'role':'frontend'}", "[{'name':'a','volumeMounts':[{'name':'cache-volume',"
                + "'mountPath':'/cache','readOnly':false}]}]");
        identical.withObjectProperty("spec").set("volumes", json("{'x':[{'name':'cache-volume','emptyDir':{}}]}").get("x"));
        AdmissionResponse r3 = plugin.admit(create("pods", "Pod", identical));
        assertTrue(r3.warnings().isEmpty(), r3.warnings().toString());
        assertEquals(1, identical.at("/spec/volumes").size());
        assertEquals(1, identical.at("/spec/containers/0/volumeMounts").size());
    }

    @Test
    void excludedMirrorAndNonCreateRequestsAreLeftAlone() {
        preset("allow-database", DB_PRESET);
        ObjectNode excluded = pod("{'role':'frontend'}", "[{'name':'a'}]");
        excluded.withObjectProperty("metadata").putObject("annotations")
                .put("podpreset.admission.kubernetes.io/exclude", "true");
        ObjectNode before = excluded.deepCopy();
        plugin.admit(create("pods", "Pod", excluded));
        assertEquals(before, excluded);

        ObjectNode mirror = pod("{'role':'frontend'}", "[{'name':'a'}]");
        mirror.withObjectProperty("metadata").putObject("annotations").put("kubernetes.io/config.mirror", "abc");
        ObjectNode mirrorBefore = mirror.deepCopy();
        plugin.admit(create("pods", "Pod", mirror));
        assertEquals(mirrorBefore, mirror);

        ObjectNode updated = pod("{'role':'frontend'}", "[{'name':'a'}]");
        ObjectNode updatedBefore = updated.deepCopy();
        plugin.admit(update("", "v1", "pods", "Pod", updated, updatedBefore, ADMIN));
        assertEquals(updatedBefore, updated);

        ObjectNode notAPod = json("{'metadata':{'name':'d','namespace':'ns','labels':{'role':'frontend'}},'spec':{}}");
        ObjectNode notAPodBefore = notAPod.deepCopy();
        plugin.admit(create("apps", "v1", "deployments", "Deployment", notAPod, ADMIN));
        assertEquals(notAPodBefore, notAPod);
    }

    @Test
    void presetsOfOtherNamespacesDoNotApply() {
        ObjectNode other = json("{'metadata':{'name':'elsewhere','namespace':'other'},'spec':" + DB_PRESET + "}");
        cluster.put(PRESETS, other);
        ObjectNode pod = pod("{'role':'frontend'}", "[{'name':'a'}]");
        ObjectNode before = pod.deepCopy();
        plugin.admit(create("pods", "Pod", pod));
        assertEquals(before, pod);
    }

    @Test
    void withoutTheKindServedNothingHappens() {
        PodPresetAdmission unserved = new PodPresetAdmission(new InMemoryClusterResources());
        ObjectNode pod = pod("{'role':'frontend'}", "[{'name':'a'}]");
        ObjectNode before = pod.deepCopy();
        assertTrue(unserved.admit(create("pods", "Pod", pod)).allowed());
        assertEquals(before, pod);
    }

    @Test
    void aBrokenSelectorFailsThePodWithAClearError() {
        cluster.put(PRESETS, json("{'metadata':{'name':'broken','namespace':'ns'},'spec':{'selector':{'matchExpressions':"
                + "[{'key':'role','operator':'Near'}]},'env':[{'name':'A','value':'1'}]}}"));
        AdmissionResponse response = plugin.admit(create("pods", "Pod", pod("{'role':'frontend'}", "[{'name':'a'}]")));
        assertFalse(response.allowed());
        assertEquals(500, response.code());
        assertTrue(response.message().contains("PodPreset broken: \"Near\" is not a valid label selector operator"),
                response.message());
    }
}
