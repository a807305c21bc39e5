package dev.okube.apiserver.protobuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Test resources under protobuf/: bodies kubectl 1.32 POSTed (*.bin) and what it prints for them with --dry-run=client -o json (*.json). */
final class Fixtures {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/protobuf/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        return MAPPER.readTree(bytes(name));
    }

    /** The tree as it reads back from its text: Jackson's int and long nodes differ in equals, JSON numbers do not. */
    static JsonNode normalized(JsonNode node) {
        return MAPPER.readTree(node.toString());
    }

    /** Paths where two trees differ, for assertion messages that point at the field instead of printing two whole objects. */
    static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("", expected, actual, out);
        return out;
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected != null && actual != null && expected.isObject() && actual.isObject()) {
            Set<String> keys = new TreeSet<>(expected.propertyNames());
            keys.addAll(actual.propertyNames());
            keys.forEach(k -> diff(path + "." + k, expected.get(k), actual.get(k), out));
        } else if (expected != null && actual != null && expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        } else if (expected == null || !expected.equals(actual)) {
            out.add(path + ": expected " + expected + " but was " + actual);
        }
    }

    static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }
}
