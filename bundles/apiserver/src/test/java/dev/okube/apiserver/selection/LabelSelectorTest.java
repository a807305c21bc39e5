package dev.okube.apiserver.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LabelSelectorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // the texts upstream's validation produces; spelled out here rather than built from the code under test
    private static final String KEY_REGEX = "must consist of alphanumeric characters, '-', '_' or '.', and must "
            + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String VALUE_REGEX = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String SUBDOMAIN_REGEX = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*')";
    private static final String REQ = "unable to parse requirement: ";

    /** Upstream's own good strings (which print back without their spaces) and a few more. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x=a                   | x=a",
            "x=a,y=b,z=c           | x=a,y=b,z=c",
            "''                    | ''",
            "x!=a                  | x!=a",
            "x!=a,y=b              | x!=a,y=b",
            "x=                    | x=",
            "'x= '                 | x=",
            "'x=,z= '              | x=,z=",
            "'x= ,z= '             | x=,z=",
            "!x                    | !x",
            "x>1                   | x>1",
            "x>1,z<5               | x>1,z<5",
            "'x in (a, b)'         | x in (a,b)",
            "x notin (a)           | x notin (a)",
            "x                     | x",
            "a.b/c-d_e=f           | a.b/c-d_e=f",
            "example.com/app==web  | example.com/app==web",
            "'\tx\n=\ra'        | x=a",
    })
    void goodStringsRoundTrip(String s, String printed) {
        assertEquals(printed, LabelSelector.parse(s.replace("\\t", "\t").replace("\\n", "\n")
                .replace("\\r", "\r")).toString());
    }

    @Test
    void parsingSortsByKeyAndValues() {
        assertEquals(LabelSelector.parse("x=a,a=x").toString(), LabelSelector.parse("a=x,x=a").toString());
        assertEquals("a=x,x=a", LabelSelector.parse("x=a,a=x").toString());
        assertEquals("x in (a,b,c)", LabelSelector.parse("x in (c,a,b)").toString());
        assertEquals("x in (,a,b)", LabelSelector.parse("x in (a,,b)").toString());
    }

    static Stream<Arguments> badSelectors() {
        return Stream.of(
                // upstream's own bad strings
                Arguments.of("x=a||y=b", REQ + "values[0][x]: Invalid value: \"a||y\": " + VALUE_REGEX),
                Arguments.of("x==a==b", "found '==', expected: ',' or 'end of string'"),
                Arguments.of("!x=a", "found '=', expected: ',' or 'end of string'"),
                Arguments.of("x<a", REQ + "values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
                // token errors at each position of the grammar
                Arguments.of("x=a b", "found 'b', expected: ',' or 'end of string'"),
                Arguments.of(",a", "found ',', expected: !, identifier, or 'end of string'"),
                Arguments.of("=a", "found '=', expected: !, identifier, or 'end of string'"),
                Arguments.of("a,", "found '', expected: identifier after ','"),
                Arguments.of("a=b,,c", "found ',', expected: identifier after ','"),
                Arguments.of("!", REQ + "found '', expected: identifier"),
                Arguments.of("!!a", REQ + "found '!', expected: identifier"),
                Arguments.of("x!", REQ + "found '!', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of("x (a)", REQ + "found '(', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of("x>=1", REQ + "found '=', expected: identifier"),
                Arguments.of("x=(a)", REQ + "found '(', expected: identifier"),
                Arguments.of("x in a", REQ + "found 'a' expected: '('"),
                Arguments.of("x in (", REQ + "found '', expected: ',', ')' or identifier"),
                Arguments.of("x in (=)", REQ + "found '=', expected: ',', ')' or identifier"),
                Arguments.of("x in (a b)", REQ + "found 'b', expected: ',' or ')'"),
                Arguments.of("x in (a", REQ + "found '', expected: ',' or ')'"),
                Arguments.of("x in (a,=)", REQ + "found '=', expected: ',', or identifier"),
                // 1.32 consumes the second comma of ",," itself, so "(,,)" then meets ')'
                Arguments.of("x in (,,)", REQ + "found ')', expected: ',', or identifier"),
                // keys: checked by the parser with a nil path, which Go prints as <nil>
                Arguments.of("Foo&=a", REQ + "<nil>: Invalid value: \"Foo&\": name part " + KEY_REGEX),
                Arguments.of("-a", REQ + "<nil>: Invalid value: \"-a\": name part " + KEY_REGEX),
                Arguments.of("a/b/c=d", REQ + "<nil>: Invalid value: \"a/b/c\": a qualified name " + KEY_REGEX
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
                Arguments.of("/a", REQ + "<nil>: Invalid value: \"/a\": prefix part must be non-empty"),
                Arguments.of("a/", REQ + "<nil>: Invalid value: \"a/\": name part must be non-empty; name part "
                        + KEY_REGEX),
                Arguments.of("Ex.com/a", REQ + "<nil>: Invalid value: \"Ex.com/a\": prefix part " + SUBDOMAIN_REGEX),
                Arguments.of("k".repeat(64), REQ + "<nil>: Invalid value: \"" + "k".repeat(64)
                        + "\": name part must be no more than 63 characters"),
                // values: checked per index, path values[i][key]
                Arguments.of("a=" + "v".repeat(64), REQ + "values[0][a]: Invalid value: \"" + "v".repeat(64)
                        + "\": must be no more than 63 characters"),
                Arguments.of("a=-" + "v".repeat(63), REQ + "values[0][a]: Invalid value: \"-" + "v".repeat(63)
                        + "\": must be no more than 63 characters; " + VALUE_REGEX),
                Arguments.of("x in (a,-b)", REQ + "values[0][x]: Invalid value: \"-b\": " + VALUE_REGEX),
                Arguments.of("x notin (ok,a_)", REQ + "values[0][x]: Invalid value: \"a_\": " + VALUE_REGEX),
                // several errors of one requirement come bracketed
                Arguments.of("x<-", REQ + "[values[0]: Invalid value: \"-\": for 'Gt', 'Lt' operators, the value "
                        + "must be an integer, values[0][x]: Invalid value: \"-\": " + VALUE_REGEX + "]"),
                // an integer is still a label value, so negative bounds cannot be written
                Arguments.of("x<-1", REQ + "values[0][x]: Invalid value: \"-1\": " + VALUE_REGEX),
                Arguments.of("x>1.5", REQ + "values[0]: Invalid value: \"1.5\": for 'Gt', 'Lt' operators, the value "
                        + "must be an integer"));
    }

    @ParameterizedTest
    @MethodSource("badSelectors")
    void badSelectorsGiveUpstreamMessages(String selector, String message) {
        SelectorException e = assertThrows(SelectorException.class, () -> LabelSelector.parse(selector));
        assertEquals(message, e.getMessage());
    }

    /** selector | labels (k=v;k=v, "-" for none) | expected match. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''            | a=b        | true",
            "a=b           | a=b        | true",
            "a==b          | a=b        | true",
            "a=b           | a=c        | false",
            "a=b           | -          | false",
            "a!=b          | -          | true",
            "a!=b          | a=c        | true",
            "a!=b          | a=b        | false",
            "a=            | a=         | true",
            "a=            | -          | false",
            "a             | a=         | true",
            "a             | b=c        | false",
            "!a            | b=c        | true",
            "!a            | a=x        | false",
            "a in (x,y)    | a=y        | true",
            "a in (x,y)    | a=z        | false",
            "a in (x,y)    | -          | false",
            "a in ()       | a=         | true",
            "a notin (x)   | -          | true",
            "a notin (x)   | a=x        | false",
            "a notin (x)   | a=z        | true",
            "a in (in)     | a=in       | true",
            "in in (notin) | in=notin   | true",
            "a>1           | a=2        | true",
            "a>1           | a=1        | false",
            "a>1           | a=abc      | false",
            "a>1           | -          | false",
            "a<0           | a=-2       | true",
            "a<5,b=c       | a=4;b=c    | true",
            "a<5,b=c       | a=4;b=d    | false",
            "a=b,c!=d,e in (x,y),f notin (z),g,!h | a=b;e=x;g=1 | true",
            "a=b,c!=d,e in (x,y),f notin (z),g,!h | a=b;e=x;g=1;h=2 | false",
    })
    void matching(String selector, String labels, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(labels(labels)));
    }

    @Test
    void everythingAndNothing() {
        assertTrue(LabelSelector.everything().isEmpty());
        assertTrue(LabelSelector.everything().matches(Map.of("x", "y")));
        assertTrue(LabelSelector.parse("").isEmpty());
        assertTrue(LabelSelector.parse("  ").isEmpty());
        assertFalse(LabelSelector.parse("a").isEmpty());
        assertFalse(LabelSelector.nothing().isEmpty());
        assertFalse(LabelSelector.nothing().matches(Map.of()));
    }

    @Test
    void requiredValueForFastPaths() {
        LabelSelector s = LabelSelector.parse("app=web,tier in (db),env in (a,b),x!=y");
        assertEquals(Optional.of("web"), s.requiredValue("app"));
        assertEquals(Optional.of("db"), s.requiredValue("tier"));
        assertEquals(Optional.empty(), s.requiredValue("env"));
        assertEquals(Optional.empty(), s.requiredValue("x"));
        assertEquals(Optional.empty(), s.requiredValue("missing"));
    }

    @Test
    void fromJsonConvertsLikeLabelSelectorAsSelector() {
        LabelSelector s = LabelSelector.fromJson(json("""
                {"matchLabels":{"app":"web"},"matchExpressions":[
                  {"key":"tier","operator":"In","values":["fe","be"]},
                  {"key":"canary","operator":"DoesNotExist"},
                  {"key":"env","operator":"NotIn","values":["dev"]},
                  {"key":"team","operator":"Exists"}]}"""));
        assertEquals("app=web,!canary,env notin (dev),team,tier in (be,fe)", s.toString());
        assertTrue(s.matches(Map.of("app", "web", "tier", "fe", "team", "x")));
        assertFalse(s.matches(Map.of("app", "web", "tier", "fe", "team", "x", "canary", "1")));
        assertFalse(s.matches(Map.of("app", "web", "tier", "fe", "team", "x", "env", "dev")));
        // a null selector selects nothing, an empty one everything
        assertFalse(LabelSelector.fromJson(null).matches(Map.of()));
        assertFalse(LabelSelector.fromJson(json("null")).matches(Map.of()));
        assertTrue(LabelSelector.fromJson(json("{}")).isEmpty());
        assertTrue(LabelSelector.fromJson(json("{\"matchLabels\":{}}")).matches(Map.of("a", "b")));
    }

    static Stream<Arguments> badJsonSelectors() {
        return Stream.of(
                Arguments.of("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Equals\",\"values\":[\"b\"]}]}",
                        "\"Equals\" is not a valid label selector operator"),
                Arguments.of("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}",
                        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
                Arguments.of("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"NotIn\",\"values\":[]}]}",
                        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
                Arguments.of("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\",\"y\"]}]}",
                        "values: Invalid value: []string{\"x\", \"y\"}: values set must be empty for exists and does not exist"),
                Arguments.of("{\"matchLabels\":{\"-a\":\"b\"}}", "key: Invalid value: \"-a\": name part " + KEY_REGEX),
                Arguments.of("{\"matchLabels\":{\"app\":\"-x\"}}", "values[0][app]: Invalid value: \"-x\": " + VALUE_REGEX),
                Arguments.of("{\"matchLabels\":{\"-a\":\"-x\"}}", "[key: Invalid value: \"-a\": name part " + KEY_REGEX
                        + ", values[0][-a]: Invalid value: \"-x\": " + VALUE_REGEX + "]"));
    }

    @ParameterizedTest
    @MethodSource("badJsonSelectors")
    void badJsonSelectorsGiveUpstreamMessages(String selector, String message) {
        SelectorException e = assertThrows(SelectorException.class, () -> LabelSelector.fromJson(json(selector)));
        assertEquals(message, e.getMessage());
    }

    private static Map<String, String> labels(String spec) {
        Map<String, String> m = new HashMap<>();
        if (spec.equals("-")) {
            return m;
        }
        for (String kv : spec.split(";")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }
}
