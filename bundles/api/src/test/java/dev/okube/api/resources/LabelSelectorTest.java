package dev.okube.api.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LabelSelectorTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode json(String singleQuoted) {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @Test
    void absentOrEmptySelectorMatchesEverything() {
        assertSame(LabelSelector.EVERYTHING, LabelSelector.parse(null));
        assertSame(LabelSelector.EVERYTHING, LabelSelector.parse(json("{}").path("missing")));
        assertSame(LabelSelector.EVERYTHING, LabelSelector.parse(json("null")));
        LabelSelector empty = LabelSelector.parse(json("{}"));
        assertTrue(empty.isEmpty());
        assertTrue(empty.matches(Map.of()));
        assertTrue(empty.matches(Map.of("a", "1")));
    }

    @Test
    void matchLabelsAndExpressionsAllMustHold() {
        LabelSelector s = LabelSelector.parse(json("{'matchLabels':{'app':'web'},'matchExpressions':["
                + "{'key':'tier','operator':'In','values':['front','edge']},"
                + "{'key':'env','operator':'NotIn','values':['prod']},"
                + "{'key':'team','operator':'Exists'},"
                + "{'key':'legacy','operator':'DoesNotExist'}]}"));
        assertFalse(s.isEmpty());
        assertTrue(s.matches(Map.of("app", "web", "tier", "edge", "team", "x")));
        assertTrue(s.matches(Map.of("app", "web", "tier", "front", "team", "x", "env", "dev")));
        assertFalse(s.matches(Map.of("app", "api", "tier", "edge", "team", "x")), "matchLabels value differs");
        assertFalse(s.matches(Map.of("app", "web", "tier", "back", "team", "x")), "In not satisfied");
        assertFalse(s.matches(Map.of("app", "web", "tier", "edge", "team", "x", "env", "prod")), "NotIn");
        assertFalse(s.matches(Map.of("app", "web", "tier", "edge")), "Exists");
        assertFalse(s.matches(Map.of("app", "web", "tier", "edge", "team", "x", "legacy", "")), "DoesNotExist");
    }

    @Test
    void notInMatchesAbsentKey() {
        LabelSelector s = LabelSelector.parse(json("{'matchExpressions':[{'key':'env','operator':'NotIn','values':['prod']}]}"));
        assertTrue(s.matches(Map.of()));
    }

    @Test
    void invalidSelectorsAreRejectedWithUpstreamText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(
                json("{'matchExpressions':[{'key':'a','operator':'In','values':[]}]}")));
        assertEquals("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(
                json("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}")));
        assertEquals("values: Invalid value: [x]: values set must be empty for exists and does not exist", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(
                json("{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}")));
        assertEquals("\"Gt\" is not a valid label selector operator", e.getMessage());
    }

    @Test
    void labelsOfReadsMetadataLabels() {
        assertEquals(Map.of("a", "1", "b", "2"),
                LabelSelector.labelsOf(json("{'metadata':{'labels':{'b':'2','a':'1'}}}")));
        assertEquals(Map.of(), LabelSelector.labelsOf(json("{'metadata':{}}")));
        assertEquals(Map.of(), LabelSelector.labelsOf(null));
    }
}
