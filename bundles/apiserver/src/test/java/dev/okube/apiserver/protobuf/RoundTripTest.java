package dev.okube.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * JSON → protobuf body (as kubectl frames it) → decode → the same JSON. The samples in protobuf/roundtrip.json are
 * written the way Go's encoding/json prints them (no omitempty zeros, pointer zeros kept, null Times), so any field the
 * converter names, drops or formats differently from Go shows up as a difference.
 */
class RoundTripTest {

    static Stream<Arguments> samples() {
        List<Arguments> samples = new ArrayList<>();
        for (JsonNode sample : Fixtures.json("roundtrip.json")) {
            samples.add(Arguments.of(sample.get("apiVersion").stringValue() + " " + sample.get("kind").stringValue(), sample));
        }
        return samples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodeGivesBackTheJson(String name, JsonNode sample) {
        JsonNode decoded = Fixtures.normalized(ProtobufCodec.decode(JsonToProto.body(sample)));
        assertEquals(List.of(), Fixtures.diff(sample, decoded));
    }
}
