package dev.okube.apiserver.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared test support: objects written as JSON with AGO(PT5M)-style timestamps relative to a fixed NOW. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern AGO = Pattern.compile("AGO\\((-?P[0-9A-Z.]+)\\)");

    private Fixtures() {
    }

    /** Parses JSON after replacing AGO(ISO-8601 duration) with the RFC 3339 time that long before NOW. */
    static JsonNode json(String text) {
        Matcher m = AGO.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, NOW.minus(Duration.parse(m.group(1))).toString());
        }
        m.appendTail(b);
        return MAPPER.readTree(b.toString());
    }

    static List<Object> cells(String group, String kind, String json) {
        return Tables.forKind(group, kind).cells(json(json), NOW);
    }

    /** Every row must have exactly one cell per column, or kubectl misaligns the output. */
    static void assertRow(String group, String kind, String json, List<?> expected) {
        TableConvertor c = Tables.forKind(group, kind);
        List<Object> actual = c.cells(json(json), NOW);
        assertEquals(c.columns().size(), actual.size(), "cells per column for " + kind);
        assertEquals(expected, actual);
    }
}
