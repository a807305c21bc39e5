package dev.okube.apiserver.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reverse of {@link JsonConverter}, for tests only: builds the protobuf message for a JSON object the way Go would
 * after unmarshalling it, and wraps it in the envelope kubectl writes. Strict: a JSON key that matches no field fails,
 * so a test sample with a typo cannot pass by being ignored on both sides.
 */
final class JsonToProto {
    private static final String META = KubeSchema.META;
    private static final String EXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";

    private JsonToProto() {
    }

    /** "k8s\0" + runtime.Unknown{typeMeta, raw, contentEncoding "", contentType ""}, byte for byte as kubectl sends it. */
    static byte[] body(JsonNode object) {
        String apiVersion = object.get("apiVersion").stringValue();
        String kind = object.get("kind").stringValue();
        Descriptor type = KubeSchema.get().kind(apiVersion, kind);
        if (type == null) {
            throw new IllegalArgumentException("no descriptor for " + apiVersion + "/" + kind);
        }
        ObjectNode rest = ((ObjectNode) object).deepCopy();
        rest.remove("apiVersion");
        rest.remove("kind");
        Message message = message(type, rest);
        return envelope(apiVersion, kind, message.toByteString());
    }

    static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentEncoding("").setContentType("").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(unknown.toByteArray());
        return out.toByteArray();
    }

    static Message message(Descriptor type, JsonNode json) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        String name = type.getFullName();
        switch (name) {
            case META + "Time", META + "MicroTime" -> {
                if (!json.isNull()) {
                    Instant t = Instant.parse(json.stringValue());
                    b.setField(type.findFieldByName("seconds"), t.getEpochSecond());
                    b.setField(type.findFieldByName("nanos"), t.getNano());
                }
                return b.build();
            }
            case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension", EXTENSIONS + "JSON" -> {
                return b.setField(type.findFieldByNumber(1), ByteString.copyFrom(Fixtures.MAPPER.writeValueAsBytes(json))).build();
            }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                return b.setField(type.findFieldByName("string"), json.asString()).build();
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                if (json.isNumber()) {
                    return b.setField(type.findFieldByName("type"), 0L).setField(type.findFieldByName("intVal"), json.intValue()).build();
                }
                return b.setField(type.findFieldByName("type"), 1L).setField(type.findFieldByName("strVal"), json.stringValue()).build();
            }
            case EXTENSIONS + "JSONSchemaPropsOrBool" -> {
                if (json.isBoolean()) {
                    return b.setField(type.findFieldByName("allows"), json.booleanValue()).build();
                }
                FieldDescriptor schema = type.findFieldByName("schema");
                return b.setField(type.findFieldByName("allows"), true).setField(schema, message(schema.getMessageType(), json)).build();
            }
            case EXTENSIONS + "JSONSchemaPropsOrArray", EXTENSIONS + "JSONSchemaPropsOrStringArray" -> {
                FieldDescriptor schema = type.findFieldByName("schema");
                FieldDescriptor array = type.getFields().get(1);
                if (json.isArray()) {
                    json.forEach(item -> b.addRepeatedField(array, scalarOrMessage(array, item)));
                    return b.build();
                }
                return b.setField(schema, message(schema.getMessageType(), json)).build();
            }
            default -> {
            }
        }
        if (type.getName().equals("ExtraValue") || name.equals(META + "Verbs")) {
            FieldDescriptor items = type.findFieldByName("items");
            json.forEach(item -> b.addRepeatedField(items, item.stringValue()));
            return b.build();
        }
        Set<String> used = new HashSet<>();
        fill(b, (ObjectNode) json, used);
        for (String key : json.propertyNames()) {
            if (!used.contains(key)) {
                throw new IllegalArgumentException("no field \"" + key + "\" in " + name);
            }
        }
        return b.build();
    }

    private static void fill(DynamicMessage.Builder b, ObjectNode json, Set<String> used) {
        for (FieldDescriptor field : b.getDescriptorForType().getFields()) {
            KubeSchema.Field info = KubeSchema.get().field(field);
            if (info.inline()) {
                DynamicMessage.Builder inner = DynamicMessage.newBuilder(field.getMessageType());
                fill(inner, json, used);
                b.setField(field, inner.build());
                continue;
            }
            JsonNode value = json.get(info.json());
            if (value == null) {
                continue;
            }
            used.add(info.json());
            if (field.isMapField()) {
                if (value.isNull()) {
                    continue;
                }
                Descriptor entry = field.getMessageType();
                FieldDescriptor v = entry.findFieldByName("value");
                for (var e : value.properties()) {
                    b.addRepeatedField(field, DynamicMessage.newBuilder(entry).setField(entry.findFieldByName("key"), e.getKey())
                            .setField(v, scalarOrMessage(v, e.getValue())).build());
                }
            } else if (field.isRepeated()) {
                if (!value.isNull()) {
                    value.forEach(item -> b.addRepeatedField(field, scalarOrMessage(field, item)));
                }
            } else if (!value.isNull() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                b.setField(field, scalarOrMessage(field, value));
            }
        }
    }

    private static Object scalarOrMessage(FieldDescriptor field, JsonNode value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> message(field.getMessageType(), value);
            case STRING -> value.stringValue();
            case BOOLEAN -> value.booleanValue();
            case INT -> value.intValue();
            case LONG -> value.longValue();
            case FLOAT -> value.floatValue();
            case DOUBLE -> value.doubleValue();
            case BYTE_STRING -> ByteString.copyFrom(Base64.getDecoder().decode(value.stringValue()));
            case ENUM -> throw new IllegalArgumentException("Kubernetes protos have no enums");
        };
    }
}
