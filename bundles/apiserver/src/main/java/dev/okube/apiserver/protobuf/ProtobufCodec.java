package dev.okube.apiserver.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the {@code application/vnd.kubernetes.protobuf} request bodies that kubectl's imperative commands and
 * {@code auth can-i} send, and turns them into the JSON objects the REST layer stores and serves.
 *
 * <p>The schema is the Kubernetes v1.32 protos (see {@link KubeSchema}); the JSON follows Go's encoding/json over the
 * API types (see {@link JsonConverter}), so a protobuf body and the equivalent JSON body store the same object.
 */
public final class ProtobufCodec {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    /** Every body starts with these four bytes, so a server can tell protobuf from JSON without the Content-Type. */
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    /** Envelopes inside RawExtensions inside envelopes: a few are real, thousands would only be a way to exhaust the stack. */
    private static final int MAX_NESTING = 8;

    private ProtobufCodec() {
    }

    /**
     * Decodes a Kubernetes protobuf body: the 4-byte magic "k8s\0", then runtime.Unknown{typeMeta{apiVersion,kind},
     * raw, contentEncoding, contentType}; raw is the message of that kind. Returns the object in the JSON form the
     * REST API stores and serves (apiVersion and kind set, JSON field names, unset or omitempty-zero fields omitted).
     *
     * @throws ProtobufException for bad magic, unknown kinds, or malformed bytes
     */
    public static ObjectNode decode(byte[] body) {
        Objects.requireNonNull(body, "body should not be null");
        return decode(body, 0);
    }

    static ObjectNode decode(byte[] body, int depth) {
        if (depth > MAX_NESTING) {
            throw ProtobufException.badRequest("protobuf objects nested more than " + MAX_NESTING + " deep in raw extensions", null);
        }
        if (!hasMagic(body)) {
            throw ProtobufException.badRequest("body is not a Kubernetes protobuf message: it does not start with \"k8s\\x00\"", null);
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parseFrom(CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length));
        } catch (IOException e) { // only InvalidProtocolBufferException: the input is an array
            throw ProtobufException.badRequest("malformed protobuf envelope: " + e.getMessage(), e);
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (!envelope.getContentEncoding().isEmpty()) {
            throw ProtobufException.unsupported("unsupported content encoding \"" + envelope.getContentEncoding() + "\" in protobuf body");
        }
        var descriptor = KubeSchema.get().kind(apiVersion, kind);
        if (descriptor == null) {
            throw ProtobufException.unsupported("no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\" in protobuf bodies");
        }
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(descriptor, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw ProtobufException.badRequest("malformed protobuf " + kind + ": " + e.getMessage(), e);
        }
        ObjectNode object = JsonConverter.NODES.objectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.setAll(new JsonConverter(depth).object(message));
        return object;
    }

    /** Whether decode knows this apiVersion/kind. */
    public static boolean supports(String apiVersion, String kind) {
        return KubeSchema.get().kind(apiVersion, kind) != null;
    }

    static boolean hasMagic(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
