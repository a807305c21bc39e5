package dev.okube.apiserver.rest;

import dev.okube.apiserver.protobuf.ProtobufCodec;
import dev.okube.apiserver.protobuf.ProtobufException;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.selection.FieldSelector;
import dev.okube.apiserver.selection.FieldSets;
import dev.okube.apiserver.selection.LabelSelector;
import dev.okube.apiserver.selection.SelectorException;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/** {@link Selectors} on the selection and protobuf packages, with their errors as 400 Statuses. */
public final class ApiSelectors implements Selectors {
    @Override
    public Predicate<Map<String, String>> labels(String selector) {
        try {
            LabelSelector parsed = LabelSelector.parse(selector);
            return parsed::matches;
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @Override
    public Predicate<Map<String, String>> fields(ResourceDefinition def, String selector) {
        try {
            // convert checks every field is selectable for the kind and maps upstream's aliases.
            FieldSelector parsed = FieldSets.convert(def.group(), def.kind(), FieldSelector.parse(selector));
            return parsed::matches;
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @Override
    public ObjectNode decodeProtobuf(byte[] body) {
        try {
            return ProtobufCodec.decode(body);
        } catch (ProtobufException e) {
            throw e.code() == 415 ? new ApiException(415, "UnsupportedMediaType", e.getMessage())
                    : ApiException.badRequest(e.getMessage());
        }
    }
}
