package dev.okube.apiserver.rest;

import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/** Parsing of the request parts that have upstream grammars: selectors and protobuf bodies. */
public interface Selectors {
    /** A label selector; throws a 400 ApiException with upstream's message when malformed. */
    Predicate<Map<String, String>> labels(String selector);

    /** A field selector over the kind's selectable fields; 400 when malformed or naming unsupported fields. */
    Predicate<Map<String, String>> fields(ResourceDefinition def, String selector);

    /** Decodes a Kubernetes protobuf request body to its JSON form; 400/415 ApiException when it cannot. */
    ObjectNode decodeProtobuf(byte[] body);
}
