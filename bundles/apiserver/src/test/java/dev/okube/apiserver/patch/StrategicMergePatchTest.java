package dev.okube.apiserver.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.okube.apiserver.rest.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch cases from upstream's documented behaviour (strategicpatch/patch_test.go and the
 * patch-strategy docs), on built-in kinds. JSON is written with single quotes for readability.
 */
class StrategicMergePatchTest {

    static JsonNode j(String json) {
        return Json.MAPPER.readTree(json.replace('\'', '"'));
    }

    private static ObjectNode apply(String kind, String original, String patch) {
        String[] gvk = kind.split("/");
        return StrategicMergePatch.apply((ObjectNode) j(original), j(patch), PatchMeta.forKind(gvk[0], gvk[1], gvk[2]));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("containers merge by name: one image changes, the other container stays", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a','image':'nginx'},{'name':'b','image':'redis'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'nginx:1.27'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'nginx:1.27'},{'name':'b','image':'redis'}]}}"),
                Arguments.of("env merges by name; $patch: delete removes one entry", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'},"
                                + "{'name':'Z','value':'3'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','$patch':'delete'},"
                                + "{'name':'Z','value':'9'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Z','value':'9'}]}]}}"),
                Arguments.of("without $setElementOrder an item new to a merging list goes first, as upstream", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'W','value':'0'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'W','value':'0'},{'name':'X','value':'1'}]}]}}"),
                Arguments.of("merging list keeps the patch's order for patched items (patch_test: preserve order 2)",
                        "/v1/Pod",
                        "{'spec':{'containers':[{'name':'1'},{'name':'2','image':'b'},{'name':'3'}]}}",
                        "{'spec':{'containers':[{'name':'3','image':'c'},{'name':'1','image':'a'}]}}",
                        "{'spec':{'containers':[{'name':'2','image':'b'},{'name':'3','image':'c'},{'name':'1','image':'a'}]}}"),
                Arguments.of("deployment env resolves through spec.template.spec.containers[]", "apps/v1/Deployment",
                        "{'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'app','image':'x',"
                                + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'app','env':[{'name':'B','value':'3'}]}]}}}}",
                        "{'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'app','image':'x',"
                                + "'env':[{'name':'A','value':'1'},{'name':'B','value':'3'}]}]}}}}"),
                Arguments.of("$setElementOrder/containers orders the merged list", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a','image':'a'},{'name':'b','image':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'},{'name':'c'}],"
                                + "'containers':[{'name':'c','image':'c'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'b'},{'name':'a','image':'a'},{'name':'c','image':'c'}]}}"),
                Arguments.of("kubectl apply image change: $setElementOrder with the unchanged order", "apps/v1/Deployment",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}}}",
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                                + "'containers':[{'image':'b:2','name':'b'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:2'}]}}}}"),
                Arguments.of("$setElementOrder: a server-only item stays ahead of the items that followed it live", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a'},{'name':'s'},{'name':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}",
                        "{'spec':{'containers':[{'name':'s'},{'name':'b'},{'name':'a'}]}}"),
                Arguments.of("$setElementOrder with an add and a delete: upstream orders by the list as mergeSlice left it",
                        "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b','image':'b'},{'name':'d','image':'d'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'c'}],"
                                + "'containers':[{'name':'c'},{'name':'a','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'b'},{'name':'d','image':'d'},{'name':'c'}]}}"),
                Arguments.of("$setElementOrder/finalizers reorders a primitive list", "/v1/ConfigMap",
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$setElementOrder/finalizers':['c','a','b']}}",
                        "{'metadata':{'finalizers':['c','a','b']}}"),
                Arguments.of("$patch: replace on a list", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'$patch':'replace'},{'name':'z','image':'z'}]}}",
                        "{'spec':{'containers':[{'name':'z','image':'z'}]}}"),
                Arguments.of("$patch: replace alone empties a merging list (patch_test: delete all items)", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'$patch':'replace'}]}}",
                        "{'spec':{'containers':[]}}"),
                Arguments.of("$patch: replace on a map", "/v1/ConfigMap",
                        "{'metadata':{'name':'c','labels':{'a':'1','b':'2'}},'data':{'k':'v'}}",
                        "{'metadata':{'labels':{'$patch':'replace','x':'1'}}}",
                        "{'metadata':{'name':'c','labels':{'x':'1'}},'data':{'k':'v'}}"),
                Arguments.of("$patch: delete on a map leaves it empty (patch_test: delete map from nested map)",
                        "/v1/ConfigMap",
                        "{'metadata':{'name':'c'},'data':{'k':'v','l':'w'}}",
                        "{'data':{'$patch':'delete'}}",
                        "{'metadata':{'name':'c'},'data':{}}"),
                Arguments.of("$retainKeys: RollingUpdate to Recreate clears rollingUpdate", "apps/v1/Deployment",
                        "{'spec':{'replicas':2,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%',"
                                + "'maxUnavailable':'25%'}}}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
                        "{'spec':{'replicas':2,'strategy':{'type':'Recreate'}}}"),
                Arguments.of("$retainKeys as kubectl sends it, with the explicit null", "apps/v1/Deployment",
                        "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}",
                        "{'spec':{'strategy':{'type':'Recreate'}}}"),
                Arguments.of("$retainKeys in a map new to the object is not stored", "apps/v1/Deployment",
                        "{'spec':{'replicas':1}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
                        "{'spec':{'replicas':1,'strategy':{'type':'Recreate'}}}"),
                Arguments.of("$retainKeys on a volume element switches its source", "/v1/Pod",
                        "{'spec':{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','emptyDir':{}}]}}",
                        "{'spec':{'volumes':[{'name':'v','$retainKeys':['configMap','name'],'configMap':{'name':'cm'}}]}}",
                        "{'spec':{'volumes':[{'name':'v','configMap':{'name':'cm'}},{'name':'w','emptyDir':{}}]}}"),
                Arguments.of("finalizers merge as a set", "/v1/ConfigMap",
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'finalizers':['b','c']}}",
                        "{'metadata':{'finalizers':['a','b','c']}}"),
                Arguments.of("$deleteFromPrimitiveList/finalizers with kubectl's $setElementOrder", "/v1/Namespace",
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$setElementOrder/finalizers':['a','c','d'],"
                                + "'$deleteFromPrimitiveList/finalizers':['b'],'finalizers':['d']}}",
                        "{'metadata':{'finalizers':['a','c','d']}}"),
                Arguments.of("$deleteFromPrimitiveList on its own", "apps/v1/Deployment",
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','x']}}",
                        "{'metadata':{'finalizers':['a','c']}}"),
                Arguments.of("node podCIDRs merge as primitives", "/v1/Node",
                        "{'spec':{'podCIDRs':['10.0.0.0/24']}}",
                        "{'spec':{'podCIDRs':['fd00::/64']}}",
                        "{'spec':{'podCIDRs':['fd00::/64','10.0.0.0/24']}}"),
                Arguments.of("args and command are atomic", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a','args':['x','y'],'command':['sh','-c']}]}}",
                        "{'spec':{'containers':[{'name':'a','args':['z'],'command':['bash']}]}}",
                        "{'spec':{'containers':[{'name':'a','args':['z'],'command':['bash']}]}}"),
                Arguments.of("tolerations are atomic", "/v1/Pod",
                        "{'spec':{'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}"),
                Arguments.of("RBAC rules are atomic", "rbac.authorization.k8s.io/v1/Role",
                        "{'rules':[{'apiGroups':[''],'resources':['pods'],'verbs':['get']}]}",
                        "{'rules':[{'apiGroups':[''],'resources':['secrets'],'verbs':['list']}]}",
                        "{'rules':[{'apiGroups':[''],'resources':['secrets'],'verbs':['list']}]}"),
                Arguments.of("null deletes a map key; a null for an absent key is ignored", "/v1/ConfigMap",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'b':null,'c':null}}}",
                        "{'metadata':{'labels':{'a':'1'}}}"),
                Arguments.of("nulls inside a new map are dropped", "/v1/ConfigMap",
                        "{'metadata':{'name':'c'}}",
                        "{'metadata':{'labels':{'a':'1','b':null}}}",
                        "{'metadata':{'name':'c','labels':{'a':'1'}}}"),
                Arguments.of("ports merge by containerPort", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'},"
                                + "{'containerPort':443}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http','protocol':'TCP'},"
                                + "{'containerPort':443}]}]}}"),
                Arguments.of("service ports merge by port", "/v1/Service",
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':8443}]}}",
                        "{'spec':{'ports':[{'port':443,'targetPort':9443}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':9443}]}}"),
                Arguments.of("pod conditions merge by type", "/v1/Pod",
                        "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}"),
                Arguments.of("deployment conditions merge by type", "apps/v1/Deployment",
                        "{'status':{'conditions':[{'type':'Available','status':'False'},{'type':'Progressing','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Available','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Available','status':'True'},{'type':'Progressing','status':'True'}]}}"),
                Arguments.of("ownerReferences merge by uid", "apps/v1/ReplicaSet",
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'a'},{'uid':'2','name':'b'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'2','name':'c'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'a'},{'uid':'2','name':'c'}]}}"),
                Arguments.of("cronjob containers resolve through jobTemplate", "batch/v1/CronJob",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},"
                                + "{'name':'b','image':'1'}]}}}}}}",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'2'}]}}}}}}",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},"
                                + "{'name':'b','image':'2'}]}}}}}}"),
                Arguments.of("PDB selector has patchStrategy replace", "policy/v1/PodDisruptionBudget",
                        "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}"),
                Arguments.of("unknown kinds: lists are replaced, maps merged", "example.com/v1/Widget",
                        "{'spec':{'items':[{'name':'a'}],'size':1},'metadata':{'finalizers':['x']}}",
                        "{'spec':{'items':[{'name':'b'}]},'metadata':{'finalizers':['y']}}",
                        "{'spec':{'items':[{'name':'b'}],'size':1},'metadata':{'finalizers':['y']}}"),
                Arguments.of("a change of type takes the patch's value", "/v1/ConfigMap",
                        "{'data':{'k':'v'}}",
                        "{'data':'x'}",
                        "{'data':'x'}"),
                Arguments.of("duplicate keys in a merging list are all deleted (patch_test)", "/v1/Pod",
                        "{'spec':{'containers':[{'name':'1'},{'name':'1'},{'name':'2','image':'a'},{'name':'3'},{'name':'3'}]}}",
                        "{'spec':{'containers':[{'name':'1','$patch':'delete'},{'name':'3','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'2','image':'a'}]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void applies(String description, String kind, String original, String patch, String expected) {
        assertEquals(j(expected), apply(kind, original, patch));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("unknown $patch in a map", "{'metadata':{'labels':{'$patch':'merge','a':'b'}}}",
                        "unknown patch type: merge in map: map[$patch:merge a:b]"),
                Arguments.of("merge key missing from a patch item", "{'spec':{'containers':[{'image':'x'}]}}",
                        "map: map[image:x] does not contain declared merge key: name"),
                Arguments.of("delete without the merge key",
                        "{'spec':{'containers':[{'$patch':'delete','image':'x'}]}}",
                        "map: map[$patch:delete image:x] does not contain declared merge key: name"),
                Arguments.of("$patch: merge in a list", "{'spec':{'containers':[{'$patch':'merge'}]}}",
                        "merging lists cannot yet be specified in the patch"),
                Arguments.of("unknown $patch in a list", "{'spec':{'containers':[{'name':'a','$patch':'bogus'}]}}",
                        "unknown patch type: bogus in map: map[$patch:bogus name:a]"),
                Arguments.of("$retainKeys not a list", "{'spec':{'volumes':[{'name':'v','$retainKeys':'name'}]}}",
                        "invalid patch format of retainKeys"),
                Arguments.of("patch key missing from $retainKeys",
                        "{'spec':{'volumes':[{'name':'v','$retainKeys':['name'],'secret':{}}]}}",
                        "invalid patch format of retainKeys"),
                Arguments.of("deletion list without a field name", "{'metadata':{'$deleteFromPrimitiveList':['a']}}",
                        "invalid patch format of primitive list"),
                Arguments.of("$setElementOrder without a field name", "{'spec':{'$setElementOrder':[]}}",
                        "invalid patch format of setElementOrder list"),
                Arguments.of("$setElementOrder not a list", "{'spec':{'$setElementOrder/containers':'a'}}",
                        "expected a []interface {}, but received a string"),
                Arguments.of("patch list out of $setElementOrder's order",
                        "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                                + "'containers':[{'name':'b','image':'1'},{'name':'a','image':'1'}]}}",
                        "The order in patch list:\n[map[image:1 name:b] map[image:1 name:a]]\n doesn't match "
                                + "$setElementOrder list:\n[map[name:a] map[name:b]]\n"),
                Arguments.of("mixed element types", "{'spec':{'containers':['a']}}",
                        "list element types are not identical: [[map[name:a]] [a]]"),
                Arguments.of("a list inside a primitive list", "{'metadata':{'finalizers':[['a']]}}",
                        "list element types are not identical: [[f] [[a]]]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String description, String patch, String message) {
        ObjectNode pod = (ObjectNode) j("{'metadata':{'labels':{'x':'y'},'finalizers':['f']},"
                + "'spec':{'containers':[{'name':'a'}],'volumes':[{'name':'v','emptyDir':{}}]}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrategicMergePatch.apply(pod, j(patch), PatchMeta.forKind("", "v1", "Pod")));
        assertEquals(message, e.getMessage());
    }

    /** What kubectl 1.32 {@code apply} (client-side) sends after only spec.replicas changed in the manifest. */
    @Test
    void kubectlClientSideApplyOfAReplicasChange() {
        String lastApplied = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},"
                + "\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":"
                + "{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":"
                + "[{\"image\":\"nginx:1.27\",\"name\":\"nginx\"}]}}}}\n";
        ObjectNode live = (ObjectNode) j("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
                + "'namespace':'default','generation':1,'annotations':{'deployment.kubernetes.io/revision':'1',"
                + "'kubectl.kubernetes.io/last-applied-configuration':'old'}},'spec':{'replicas':1,'selector':"
                + "{'matchLabels':{'app':'web'}},'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%',"
                + "'maxUnavailable':'25%'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':"
                + "[{'name':'nginx','image':'nginx:1.27','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}},"
                + "'status':{'replicas':1}}");
        ObjectNode patch = Json.object();
        patch.putObject("metadata").putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration",
                lastApplied);
        patch.putObject("spec").put("replicas", 3);

        ObjectNode result = StrategicMergePatch.apply(live, patch, PatchMeta.forKind("apps", "v1", "Deployment"));

        ObjectNode expected = live.deepCopy();
        ((ObjectNode) expected.get("metadata").get("annotations")).put("kubectl.kubernetes.io/last-applied-configuration",
                lastApplied);
        ((ObjectNode) expected.get("spec")).put("replicas", 3);
        assertEquals(expected, result);
        assertEquals(j("{'replicas':1}"), live.get("status"), "the original is not modified");
    }

    @Test
    void patchMustBeAnObject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrategicMergePatch.apply(Json.object(), j("[1]"), PatchMeta.none()));
        assertEquals("invalid JSON document", e.getMessage());
    }

    @Test
    void replaceAtTheRoot() {
        ObjectNode result = StrategicMergePatch.apply((ObjectNode) j("{'a':1,'b':2}"), j("{'$patch':'replace','c':3}"),
                PatchMeta.none());
        assertEquals(j("{'c':3}"), result);
    }
}
