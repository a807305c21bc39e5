package dev.okube.admission.webhook;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** RFC 6902 operations, including the examples of its appendix A. */
class JsonPatchTest {
    private static JsonNode apply(String doc, String patch) {
        return JsonPatch.decode(WebhookClient.JSON.readTree(patch.replace('\'', '"')))
                .apply(WebhookClient.JSON.readTree(doc.replace('\'', '"')));
    }

    @Test
    void addToObjectAndArray() {
        assertEquals(json("{'foo':'bar','baz':'qux'}"), apply("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]"));
        assertEquals(json("{'foo':['bar','qux','baz']}"),
                apply("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]"));
        assertEquals(json("{'foo':['bar','qux']}"), apply("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':'qux'}]"));
        assertEquals(json("{'a/b':1,'m~n':2}"),
                apply("{}", "[{'op':'add','path':'/a~1b','value':1},{'op':'add','path':'/m~0n','value':2}]"));
    }

    @Test
    void removeReplaceMoveCopy() {
        assertEquals(json("{'foo':'bar'}"), apply("{'foo':'bar','baz':'qux'}", "[{'op':'remove','path':'/baz'}]"));
        assertEquals(json("{'foo':['bar','baz']}"), apply("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]"));
        assertEquals(json("{'baz':'boo'}"), apply("{'baz':'qux'}", "[{'op':'replace','path':'/baz','value':'boo'}]"));
        assertEquals(json("{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"),
                apply("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                        "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]"));
        assertEquals(json("{'foo':['all','cows','eat','grass']}"),
                apply("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]"));
        assertEquals(json("{'a':{'x':1},'b':{'x':1}}"), apply("{'a':{'x':1}}", "[{'op':'copy','from':'/a','path':'/b'}]"));
        assertEquals(json("{'whole':true}"), apply("{'a':1}", "[{'op':'replace','path':'','value':{'whole':true}}]"));
    }

    @Test
    void testOperationComparesNumbersByValue() {
        assertEquals(json("{'a':1}"), apply("{'a':1}", "[{'op':'test','path':'/a','value':1.0}]"));
        assertThrows(JsonPatch.PatchException.class, () -> apply("{'a':1}", "[{'op':'test','path':'/a','value':2}]"));
    }

    @Test
    void errorsNameThePath() {
        JsonPatch.PatchException e = assertThrows(JsonPatch.PatchException.class,
                () -> apply("{'a':1}", "[{'op':'remove','path':'/b'}]"));
        assertTrue(e.getMessage().contains("/b"), e.getMessage());
        assertThrows(JsonPatch.PatchException.class, () -> apply("{'a':[1]}", "[{'op':'add','path':'/a/5','value':1}]"));
        assertThrows(JsonPatch.PatchException.class, () -> apply("{'a':{}}", "[{'op':'add','path':'/x/y','value':1}]"));
        assertThrows(JsonPatch.PatchException.class, () -> apply("{}", "[{'op':'frobnicate','path':'/x'}]"));
        assertThrows(JsonPatch.PatchException.class, () -> apply("{}", "[{'op':'add','path':'/x'}]"));
        assertThrows(JsonPatch.PatchException.class, () -> apply("{}", "{'op':'add'}"));
        assertThrows(JsonPatch.PatchException.class,
                () -> apply("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]"));
    }

    @Test
    void theInputDocumentIsNotChanged() {
        JsonNode doc = json("{'a':1}");
        JsonPatch.decode(WebhookClient.JSON.readTree("[{\"op\":\"add\",\"path\":\"/b\",\"value\":2}]")).apply(doc);
        assertEquals(json("{'a':1}"), doc);
    }
}
