package dev.okube.apiserver.protobuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }
}
