package dev.okube.apiserver.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a Kubernetes protobuf message as the JSON that Go's encoding/json writes for the same API object.
 *
 * <p>Generic over descriptors, with the JSON names and omitempty/pointer/inline facts from {@link KubeSchema}: a
 * non-pointer omitempty field holding its zero value is dropped (gogo always puts non-pointer fields on the wire, so
 * presence alone would print every empty string of ObjectMeta), while a pointer keeps its zero ({@code replicas: 0}).
 * The types with their own JSON marshalling in Go (Time, Quantity, IntOrString, RawExtension, ...) are special-cased
 * by message name.
 */
final class JsonConverter {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private static final String META = KubeSchema.META;
    private static final String EXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** How many protobuf envelopes enclose the message being converted; embedded ones add one (see {@link #embedded}). */
    private final int depth;

    JsonConverter(int depth) {
        this.depth = depth;
    }

    /** The JSON object for a message that Go marshals as a plain struct. */
    ObjectNode object(Message message) {
        ObjectNode object = NODES.objectNode();
        KubeSchema schema = KubeSchema.get();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            KubeSchema.Field json = schema.field(field);
            if (field.isMapField()) {
                List<?> entries = (List<?>) message.getField(field);
                if (!entries.isEmpty()) {
                    object.set(json.json(), map(field, entries));
                } else if (writesNil(json)) {
                    object.putNull(json.json());
                }
            } else if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count > 0) {
                    ArrayNode array = object.putArray(json.json());
                    for (int i = 0; i < count; i++) {
                        array.add(value(field, message.getRepeatedField(field, i)));
                    }
                } else if (writesNil(json)) {
                    object.putNull(json.json());
                }
            } else if (message.hasField(field)) {
                JsonNode value = value(field, message.getField(field));
                if (json.inline() && value.isObject()) {
                    object.setAll((ObjectNode) value);
                } else if (!omitEmpty(field, json, value)) {
                    object.set(json.json(), value);
                }
            }
        }
        return object;
    }

    /**
     * What omitempty drops: a zero scalar in a non-pointer Go field. A pointer's zero is a value ({@code replicas: 0}),
     * and omitempty never drops a struct, even one written as 0 or "" (a zero IntOrString targetPort stays).
     */
    private static boolean omitEmpty(FieldDescriptor field, KubeSchema.Field json, JsonNode value) {
        return json.omitEmpty() && !json.pointer() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE && isZero(value);
    }

    /** The wire cannot tell an empty slice or map from nil; Go decodes both as nil, which it writes as null unless omitempty. */
    private static boolean writesNil(KubeSchema.Field json) {
        return json.known() && !json.omitEmpty() && !json.inline();
    }

    private ObjectNode map(FieldDescriptor field, List<?> entries) {
        Descriptor entry = field.getMessageType();
        FieldDescriptor key = entry.findFieldByName("key");
        FieldDescriptor val = entry.findFieldByName("value");
        ObjectNode object = NODES.objectNode();
        for (Object e : entries) {
            Message m = (Message) e;
            object.set(String.valueOf(m.getField(key)), value(val, m.getField(val)));
        }
        return object;
    }

    private JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> message((Message) value);
            case STRING -> NODES.textNode((String) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> number(((Float) value).doubleValue());
            case DOUBLE -> number((Double) value);
            // encoding/json writes []byte as standard base64 with padding.
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.textNode(value.toString());
        };
    }

    /** Go prints a whole float64 without a fraction ({@code 10}, not {@code 10.0}), and JSON has no NaN or infinities. */
    private static JsonNode number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw ProtobufException.badRequest("unsupported number " + d + " has no JSON form", null);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
    }

    private JsonNode message(Message m) {
        Descriptor type = m.getDescriptorForType();
        String name = type.getFullName();
        switch (name) {
            case META + "Time":
                return time(m, RFC3339);
            case META + "MicroTime":
                return time(m, RFC3339_MICRO);
            case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension", EXTENSIONS + "JSON":
                return embedded((ByteString) m.getField(type.findFieldByNumber(1))); // "raw", but FieldsV1 spells it "Raw"
            case "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.api.resource.QuantityValue": {
                String s = (String) m.getField(type.findFieldByName("string"));
                return NODES.textNode(s.isEmpty() ? "0" : s);
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
                // type 1 is intstr.String; anything else is intstr.Int, as in Go.
                long kind = (Long) m.getField(type.findFieldByName("type"));
                return kind == 1 ? NODES.textNode((String) m.getField(type.findFieldByName("strVal")))
                        : NODES.numberNode((Integer) m.getField(type.findFieldByName("intVal")));
            }
            case EXTENSIONS + "JSONSchemaPropsOrBool": {
                FieldDescriptor schema = type.findFieldByName("schema");
                return m.hasField(schema) ? message((Message) m.getField(schema))
                        : NODES.booleanNode((Boolean) m.getField(type.findFieldByName("allows")));
            }
            case EXTENSIONS + "JSONSchemaPropsOrArray": {
                FieldDescriptor schemas = type.findFieldByName("jSONSchemas");
                if (m.getRepeatedFieldCount(schemas) > 0) {
                    return items(m, schemas);
                }
                FieldDescriptor schema = type.findFieldByName("schema");
                return m.hasField(schema) ? message((Message) m.getField(schema)) : NODES.nullNode();
            }
            case EXTENSIONS + "JSONSchemaPropsOrStringArray": {
                FieldDescriptor property = type.findFieldByName("property");
                if (m.getRepeatedFieldCount(property) > 0) {
                    return items(m, property);
                }
                FieldDescriptor schema = type.findFieldByName("schema");
                return m.hasField(schema) ? message((Message) m.getField(schema)) : NODES.nullNode();
            }
            default:
                break;
        }
        // Go named slices (authentication ExtraValue, meta Verbs) are wrapped in a message with one repeated "items";
        // an empty one unmarshals as a nil slice, which encoding/json writes as null.
        if (type.getName().equals("ExtraValue") || name.equals(META + "Verbs")) {
            FieldDescriptor items = type.findFieldByName("items");
            return m.getRepeatedFieldCount(items) == 0 ? NODES.nullNode() : items(m, items);
        }
        return object(m);
    }

    private ArrayNode items(Message m, FieldDescriptor field) {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < m.getRepeatedFieldCount(field); i++) {
            array.add(value(field, m.getRepeatedField(field, i)));
        }
        return array;
    }

    /** Go's metav1.Time unmarshals an empty message as the zero time, which it writes as null. */
    private static JsonNode time(Message m, DateTimeFormatter format) {
        Descriptor type = m.getDescriptorForType();
        FieldDescriptor seconds = type.findFieldByName("seconds");
        FieldDescriptor nanos = type.findFieldByName("nanos");
        if (!m.hasField(seconds) && !m.hasField(nanos)) {
            return NODES.nullNode();
        }
        try {
            return NODES.textNode(format.format(Instant.ofEpochSecond((Long) m.getField(seconds), (Integer) m.getField(nanos))));
        } catch (DateTimeException e) {
            throw ProtobufException.badRequest("timestamp out of range: " + e.getMessage(), e);
        }
    }

    /**
     * Raw JSON carried inside the message. An embedded object may itself be protobuf-encoded (RawExtension holds
     * whatever the client's serializer wrote), so a raw value with the magic prefix is decoded as a whole body.
     */
    private JsonNode embedded(ByteString raw) {
        if (raw.isEmpty()) {
            return NODES.nullNode();
        }
        byte[] bytes = raw.toByteArray();
        if (ProtobufCodec.hasMagic(bytes)) {
            return ProtobufCodec.decode(bytes, depth + 1);
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ProtobufException.badRequest("embedded raw value is neither JSON nor a Kubernetes protobuf object: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isZero(JsonNode value) {
        return value.isString() && value.stringValue().isEmpty()
                || value.isNumber() && value.doubleValue() == 0
                || value.isBoolean() && !value.booleanValue();
    }
}
