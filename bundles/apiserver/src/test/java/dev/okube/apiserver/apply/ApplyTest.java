package dev.okube.apiserver.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.rest.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ApplyTest {
    private static final ManagedFields.Scope SCOPE = ManagedFields.scope("apps", "v1", "Deployment", "", true);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static ObjectNode json(String text) {
        return (ObjectNode) tree(text);
    }

    static JsonNode tree(String text) {
        return Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    private static ObjectNode deployment(String spec) {
        return json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default'},"
                + "'spec':" + spec + "}");
    }

    private static FieldSet owned(JsonNode object, String manager, String operation) {
        for (ManagedFields.Entry e : ManagedFields.read(object)) {
            if (e.manager().equals(manager) && e.operation().equals(operation)) {
                return e.fields();
            }
        }
        return FieldSet.empty();
    }

    private static final List<String> REPLICAS = List.of("f:spec", "f:replicas");

    @Test
    void fieldsV1RoundTrip() {
        ObjectNode encoded = json("{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:template':"
                + "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'main\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}"
                .replace("\\'", "\\\""));
        FieldSet set = FieldSet.fromJson(encoded);
        assertTrue(set.contains(List.of("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"main\"}")));
        assertTrue(set.contains(List.of("f:metadata", "f:labels", "f:app")));
        assertEquals(5, set.paths().size());
        assertEquals(encoded, set.toJson());
        assertEquals(set, FieldSet.fromJson(set.toJson()));
    }

    @Test
    void objectFieldSetKeysContainersByName() {
        ObjectNode d = deployment("{'replicas':1,'template':{'spec':{'containers':[{'name':'main','image':'x',"
                + "'args':['a','b'],'ports':[{'containerPort':80}]}]}}}");
        FieldSet set = SCOPE.tracked(d);
        String c = "k:{\"name\":\"main\"}";
        assertTrue(set.contains(List.of("f:spec", "f:template", "f:spec", "f:containers", c, "f:image")));
        assertTrue(set.contains(List.of("f:spec", "f:template", "f:spec", "f:containers", c, "f:args")), "atomic list");
        assertTrue(set.contains(List.of("f:spec", "f:template", "f:spec", "f:containers", c, "f:ports",
                "k:{\"containerPort\":80}", "f:containerPort")));
        assertFalse(set.containsPrefix(List.of("f:metadata")), "name and namespace are nobody's");
        assertEquals(".spec.template.spec.containers[name=\"main\"].image",
                FieldSet.display(List.of("f:spec", "f:template", "f:spec", "f:containers", c, "f:image")));
    }

    @Test
    void createRecordsAnApplyEntry() {
        ObjectNode created = Apply.apply(null, deployment("{'replicas':2}"), "kubectl", false, SCOPE, NOW);
        assertEquals(2, created.get("spec").get("replicas").asInt());
        JsonNode entry = created.get("metadata").get("managedFields").get(0);
        assertEquals("kubectl", entry.get("manager").asString());
        assertEquals("Apply", entry.get("operation").asString());
        assertEquals("apps/v1", entry.get("apiVersion").asString());
        assertEquals("FieldsV1", entry.get("fieldsType").asString());
        assertEquals("2026-01-01T00:00:00Z", entry.get("time").asString());
        assertEquals(json("{'f:spec':{'f:replicas':{}}}"), entry.get("fieldsV1"));
    }

    @Test
    void reapplyingIsANoOp() {
        ObjectNode config = deployment("{'replicas':2}");
        ObjectNode live = Apply.apply(null, config, "kubectl", false, SCOPE, NOW);
        assertSame(live, Apply.apply(live, config, "kubectl", false, SCOPE, NOW.plusSeconds(60)));
    }

    @Test
    void fieldsDroppedFromTheConfigAreRemoved() {
        ObjectNode live = Apply.apply(null, json("{'metadata':{'name':'web','labels':{'a':'1','b':'2'}},"
                + "'spec':{'replicas':2}}"), "kubectl", false, SCOPE, NOW);
        ObjectNode next = Apply.apply(live, json("{'metadata':{'name':'web','labels':{'a':'1'}}}"), "kubectl", false,
                SCOPE, NOW);
        assertEquals(json("{'a':'1'}"), next.get("metadata").get("labels"));
        assertNull(next.get("spec").get("replicas"));
        assertEquals(json("{'f:metadata':{'f:labels':{'f:a':{}}}}"), next.get("metadata").get("managedFields").get(0)
                .get("fieldsV1"));
    }

    @Test
    void twoManagersShareAFieldAndItStaysWhileOneHoldsIt() {
        ObjectNode live = Apply.apply(null, deployment("{'replicas':3}"), "a", false, SCOPE, NOW);
        live = Apply.apply(live, deployment("{'replicas':3,'paused':true}"), "b", false, SCOPE, NOW);
        assertTrue(owned(live, "a", "Apply").contains(REPLICAS));
        assertTrue(owned(live, "b", "Apply").contains(REPLICAS));
        ObjectNode bare = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'}}");
        live = Apply.apply(live, bare, "a", false, SCOPE, NOW);
        assertEquals(3, live.get("spec").get("replicas").asInt(), "b still holds it");
        assertTrue(owned(live, "a", "Apply").isEmpty());
        live = Apply.apply(live, deployment("{'paused':true}"), "b", false, SCOPE, NOW);
        assertNull(live.get("spec").get("replicas"), "the last holder let go");
    }

    @Test
    void conflictsAndForce() {
        ObjectNode live = Apply.apply(null, deployment("{'replicas':3}"), "a", false, SCOPE, NOW);
        ObjectNode current = live;
        Apply.ConflictException e = assertThrows(Apply.ConflictException.class,
                () -> Apply.apply(current, deployment("{'replicas':5}"), "b", false, SCOPE, NOW));
        assertEquals("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas", e.getMessage());
        ObjectNode forced = Apply.apply(live, deployment("{'replicas':5}"), "b", true, SCOPE, NOW);
        assertEquals(5, forced.get("spec").get("replicas").asInt());
        assertTrue(owned(forced, "b", "Apply").contains(REPLICAS));
        assertFalse(owned(forced, "a", "Apply").contains(REPLICAS));
    }

    @Test
    void updatesRecordTheirFieldsAndConflictWithApply() {
        ObjectNode created = deployment("{'replicas':1,'paused':false}");
        ManagedFields.recordUpdate(null, created, "kubectl-client-side-apply", SCOPE, NOW);
        assertEquals("Update", created.get("metadata").get("managedFields").get(0).get("operation").asString());
        ObjectNode changed = created.deepCopy();
        ((ObjectNode) changed.get("spec")).put("replicas", 2);
        ManagedFields.recordUpdate(created, changed, "kubectl-edit", SCOPE, NOW);
        assertTrue(owned(changed, "kubectl-edit", "Update").contains(REPLICAS));
        assertFalse(owned(changed, "kubectl-client-side-apply", "Update").contains(REPLICAS));

        Apply.ConflictException e = assertThrows(Apply.ConflictException.class, () -> Apply.apply(changed,
                deployment("{'replicas':4,'paused':false}"), "kubectl", false, SCOPE, NOW));
        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas",
                e.getMessage());
        e = assertThrows(Apply.ConflictException.class, () -> Apply.apply(changed,
                deployment("{'replicas':4,'paused':true}"), "kubectl", false, SCOPE, NOW));
        assertEquals("Apply failed with 2 conflicts: conflict with \"kubectl-client-side-apply\" using apps/v1: "
                + ".spec.paused\nconflict with \"kubectl-edit\" using apps/v1: .spec.replicas", e.getMessage());
    }

    @Test
    void containersMergeByName() {
        ObjectNode live = deployment("{'template':{'spec':{'containers':[{'name':'a','image':'a:1'},"
                + "{'name':'b','image':'b:1'}]}}}");
        ManagedFields.recordUpdate(null, live, "kubectl-create", SCOPE, NOW);
        ObjectNode applied = Apply.apply(live, deployment("{'template':{'spec':{'containers':["
                + "{'name':'b','image':'b:1','args':['x']},{'name':'c','image':'c:1'}]}}}"), "kubectl", false, SCOPE, NOW);
        JsonNode containers = applied.get("spec").get("template").get("spec").get("containers");
        assertEquals(tree("[{'name':'a','image':'a:1'},{'name':'b','image':'b:1','args':['x']},"
                + "{'name':'c','image':'c:1'}]"), containers);
        // The creator still owns b's image (shared now), the applier took c and b's args.
        String b = "k:{\"name\":\"b\"}";
        List<String> containersPath = List.of("f:spec", "f:template", "f:spec", "f:containers");
        FieldSet mine = owned(applied, "kubectl", "Apply");
        assertTrue(mine.contains(append(containersPath, b, "f:args")));
        assertTrue(owned(applied, "kubectl-create", "Update").contains(append(containersPath, b, "f:image")));

        // Dropping c from the config removes the container; a, owned by the creator, stays.
        ObjectNode again = Apply.apply(applied, deployment("{'template':{'spec':{'containers':["
                + "{'name':'b','image':'b:1','args':['x']}]}}}"), "kubectl", false, SCOPE, NOW);
        assertEquals(tree("[{'name':'a','image':'a:1'},{'name':'b','image':'b:1','args':['x']}]"),
                again.get("spec").get("template").get("spec").get("containers"));
    }

    @Test
    void lastAppliedManagerTakesTheAnnotation() {
        String old = "{\"spec\":{\"replicas\":1}}";
        ObjectNode live = deployment("{'replicas':1}");
        Json.objectAt(live, "metadata", "annotations").put(Apply.LAST_APPLIED, old);
        ManagedFields.recordUpdate(null, live, "kubectl-client-side-apply", SCOPE, NOW);
        ObjectNode config = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'}}");
        Json.objectAt(config, "metadata", "annotations").put(Apply.LAST_APPLIED, "{\"spec\":{\"replicas\":2}}");
        ObjectNode next = Apply.apply(live, config, "kubectl-last-applied", false, SCOPE, NOW);
        List<String> annotation = List.of("f:metadata", "f:annotations", "f:" + Apply.LAST_APPLIED);
        assertEquals(FieldSet.of(java.util.Set.of(annotation)), owned(next, "kubectl-last-applied", "Apply"));
        assertFalse(owned(next, "kubectl-client-side-apply", "Update").contains(annotation));
    }

    @Test
    void managedFieldsAClientRewritesAreTaken() {
        // kubectl's client-side to server-side upgrade rewrites managedFields with a JSON patch.
        ObjectNode live = deployment("{'replicas':1}");
        ManagedFields.recordUpdate(null, live, "kubectl-client-side-apply", SCOPE, NOW);
        ObjectNode rewritten = live.deepCopy();
        ObjectNode entry = (ObjectNode) rewritten.get("metadata").get("managedFields").get(0);
        entry.put("manager", "kubectl");
        entry.put("operation", "Apply");
        ManagedFields.recordUpdate(live, rewritten, "kubectl", SCOPE, NOW);
        assertTrue(owned(rewritten, "kubectl", "Apply").contains(REPLICAS));
        assertTrue(owned(rewritten, "kubectl-client-side-apply", "Update").isEmpty());
        // An update that sends the stored entries back unchanged keeps them, and takes only what it changed.
        ObjectNode edited = rewritten.deepCopy();
        ((ObjectNode) edited.get("spec")).put("paused", true);
        ManagedFields.recordUpdate(rewritten, edited, "kubectl-edit", SCOPE, NOW);
        assertTrue(owned(edited, "kubectl", "Apply").contains(REPLICAS));
        assertEquals(FieldSet.of(java.util.Set.of(List.of("f:spec", "f:paused"))), owned(edited, "kubectl-edit", "Update"));
    }

    private static List<String> append(List<String> prefix, String... more) {
        List<String> out = new java.util.ArrayList<>(prefix);
        out.addAll(List.of(more));
        return out;
    }
}
