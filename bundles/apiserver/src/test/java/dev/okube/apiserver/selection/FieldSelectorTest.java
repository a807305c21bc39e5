package dev.okube.apiserver.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

    /** input | upstream's canonical text (sorted terms, escaped values). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                            | ''",
            "a=b                           | a=b",
            "a==b                          | a=b",
            "c!=d,a=b                      | a=b,c!=d",
            "a=b,                          | a=b",
            "',a=b'                        | a=b",
            "metadata.name=x,status.phase!=Running | metadata.name=x,status.phase!=Running",
            "'a=b\\,c'                     | 'a=b\\,c'",
            "'a=b\\=c'                     | 'a=b\\=c'",
            "'a=b\\\\'                     | 'a=b\\\\'",
            "a=                            | a=",
            "a!=                           | a!=",
            "=b                            | =b",
    })
    void parsesAndPrints(String input, String printed) {
        assertEquals(printed, FieldSelector.parse(input).toString());
    }

    @Test
    void escapesAreResolvedInValues() {
        assertEquals(List.of(new FieldSelector.Term("a", true, "b,c")), FieldSelector.parse("a=b\\,c").terms());
        assertEquals(List.of(new FieldSelector.Term("a", true, "\\")), FieldSelector.parse("a=\\\\").terms());
        assertEquals(List.of(new FieldSelector.Term("a", false, "x=y")), FieldSelector.parse("a!=x\\=y").terms());
        // the first operator wins, trying != before == before = at each position
        assertEquals(List.of(new FieldSelector.Term("a", true, "!b")), FieldSelector.parse("a==!b").terms());
        assertEquals("a\\\\b\\,c\\=d", FieldSelector.escapeValue("a\\b,c=d"));
    }

    /** input | upstream's error text. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a                 | invalid selector: 'a'; can't understand 'a'",
            "a=b,c             | invalid selector: 'a=b,c'; can't understand 'c'",
            "'a=b,c d'         | invalid selector: 'a=b,c d'; can't understand 'c d'",
            "a=b=c             | invalid field selector: unescaped character in value: 61",
            "a!=b=c            | invalid field selector: unescaped character in value: 61",
            "a!==b             | invalid field selector: unescaped character in value: 61",
            "'a=b\\c'          | 'invalid field selector: invalid escape sequence: \\c'",
            "'a=b\\'           | 'invalid field selector: invalid escape sequence: \\'",
            "'a=\\n'           | 'invalid field selector: invalid escape sequence: \\n'",
    })
    void badSelectorsGiveUpstreamMessages(String input, String message) {
        SelectorException e = assertThrows(SelectorException.class, () -> FieldSelector.parse(input));
        assertEquals(message, e.getMessage());
    }

    /** selector | fields (k=v;k=v, "-" for none) | match. A missing field compares as "". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                   | -                   | true",
            "a=b                  | a=b                 | true",
            "a==b                 | a=b                 | true",
            "a=b                  | a=c                 | false",
            "a=b                  | -                   | false",
            "a=                   | -                   | true",
            "a!=b                 | -                   | true",
            "a!=b                 | a=b                 | false",
            "a!=                  | -                   | false",
            "a=b,c!=d             | a=b;c=e             | true",
            "a=b,c!=d             | a=b;c=d             | false",
            "a=b,a=c              | a=b                 | false",
            "'a=x\\,y'            | a=x,y               | true",
    })
    void matching(String selector, String fields, boolean expected) {
        assertEquals(expected, FieldSelector.parse(selector).matches(fields(fields)));
    }

    @Test
    void fieldNamesAndRequiredValue() {
        FieldSelector s = FieldSelector.parse(
                "involvedObject.uid=u1,involvedObject.name=x,involvedObject.namespace=default,type!=Normal");
        assertEquals(Set.of("involvedObject.uid", "involvedObject.name", "involvedObject.namespace", "type"),
                s.fieldNames());
        assertEquals(Optional.of("x"), s.requiredValue("involvedObject.name"));
        assertEquals(Optional.empty(), s.requiredValue("type"));
        assertEquals(Optional.empty(), s.requiredValue("reason"));
        // with two terms on one field the first in sorted order is reported, as upstream
        assertEquals(Optional.of("a"), FieldSelector.parse("metadata.name=b,metadata.name=a")
                .requiredValue("metadata.name"));
        assertEquals(Optional.of("web"), FieldSelector.parse("metadata.name==web").requiredValue("metadata.name"));
    }

    @Test
    void everything() {
        assertTrue(FieldSelector.everything().isEmpty());
        assertTrue(FieldSelector.parse("").isEmpty());
        assertTrue(FieldSelector.parse(",").isEmpty());
        assertTrue(FieldSelector.everything().matches(Map.of("a", "b")));
        assertEquals(Set.of(), FieldSelector.everything().fieldNames());
    }

    private static Map<String, String> fields(String spec) {
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
}
