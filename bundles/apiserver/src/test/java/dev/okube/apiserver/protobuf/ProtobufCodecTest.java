package dev.okube.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtobufCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "v1/Namespace", "v1/Pod", "v1/Node", "v1/Service", "v1/Endpoints", "v1/ConfigMap", "v1/Secret",
            "v1/ServiceAccount", "v1/Event", "v1/PersistentVolume", "v1/PersistentVolumeClaim", "v1/LimitRange",
            "v1/ResourceQuota", "v1/ReplicationController", "v1/Binding", "v1/DeleteOptions", "v1/PodList",
            "apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "apps/v1/ControllerRevision",
            "apps/v1/DeleteOptions", "meta.k8s.io/v1/DeleteOptions",
            "batch/v1/Job", "batch/v1/CronJob", "autoscaling/v1/Scale", "autoscaling/v2/HorizontalPodAutoscaler",
            "policy/v1/PodDisruptionBudget", "policy/v1/Eviction",
            "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy",
            "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding",
            "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
            "storage.k8s.io/v1/StorageClass", "coordination.k8s.io/v1/Lease", "discovery.k8s.io/v1/EndpointSlice",
            "events.k8s.io/v1/Event", "scheduling.k8s.io/v1/PriorityClass", "node.k8s.io/v1/RuntimeClass",
            "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
            "apiextensions.k8s.io/v1/CustomResourceDefinition",
            "authorization.k8s.io/v1/SelfSubjectAccessReview", "authorization.k8s.io/v1/SelfSubjectRulesReview",
            "authorization.k8s.io/v1/SubjectAccessReview", "authorization.k8s.io/v1/LocalSubjectAccessReview",
            "authentication.k8s.io/v1/TokenReview", "authentication.k8s.io/v1/TokenRequest"})
    void supportsEveryServedKind(String apiVersionKind) {
        int slash = apiVersionKind.lastIndexOf('/');
        assertTrue(ProtobufCodec.supports(apiVersionKind.substring(0, slash), apiVersionKind.substring(slash + 1)), apiVersionKind);
    }

    @Test
    void embeddedStructsAndWrongVersionsAreNotKinds() {
        assertFalse(ProtobufCodec.supports("v1", "PodTemplateSpec"));
        assertFalse(ProtobufCodec.supports("batch/v1", "JobTemplateSpec"));
        assertFalse(ProtobufCodec.supports("v1", "PersistentVolumeClaimTemplate"));
        assertFalse(ProtobufCodec.supports("v1", "PodSpec"));
        assertFalse(ProtobufCodec.supports("v1", "Deployment"));
        assertFalse(ProtobufCodec.supports("apps/v1beta1", "Deployment"));
        assertTrue(ProtobufCodec.supports("v1", "PodTemplate"));
    }

    @Test
    void protoPackagesMapToApiVersions() {
        assertEquals("v1", KubeSchema.apiVersion("k8s.io.api.core.v1"));
        assertEquals("apps/v1", KubeSchema.apiVersion("k8s.io.api.apps.v1"));
        assertEquals("rbac.authorization.k8s.io/v1", KubeSchema.apiVersion("k8s.io.api.rbac.v1"));
        assertEquals("autoscaling/v2", KubeSchema.apiVersion("k8s.io.api.autoscaling.v2"));
        assertEquals("flowcontrol.apiserver.k8s.io/v1", KubeSchema.apiVersion("k8s.io.api.flowcontrol.v1"));
        assertEquals("apiextensions.k8s.io/v1", KubeSchema.apiVersion("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1"));
        assertEquals(null, KubeSchema.apiVersion("k8s.io.apimachinery.pkg.apis.meta.v1"));
    }

    @Test
    void jsonBodyIsRejectedAsBadRequest() {
        ProtobufException e = assertThrows(ProtobufException.class, () -> ProtobufCodec.decode("{\"kind\":\"Pod\"}".getBytes()));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("k8s"), e.getMessage());
        assertEquals(400, assertThrows(ProtobufException.class, () -> ProtobufCodec.decode(new byte[] {'k', '8'})).code());
    }

    @Test
    void truncatedBodyIsRejectedAsBadRequest() {
        byte[] body = Fixtures.bytes("deployment-web.bin");
        ProtobufException e = assertThrows(ProtobufException.class, () -> ProtobufCodec.decode(Arrays.copyOf(body, body.length - 20)));
        assertEquals(400, e.code());
    }

    @Test
    void garbageInsideTheEnvelopeIsRejectedAsBadRequest() {
        byte[] body = JsonToProto.envelope("v1", "ConfigMap", ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01}));
        ProtobufException e = assertThrows(ProtobufException.class, () -> ProtobufCodec.decode(body));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("ConfigMap"), e.getMessage());
    }

    @Test
    void unknownKindIsUnsupported() {
        byte[] body = JsonToProto.envelope("example.com/v1", "Widget", ByteString.EMPTY);
        ProtobufException e = assertThrows(ProtobufException.class, () -> ProtobufCodec.decode(body));
        assertEquals(415, e.code());
        assertEquals("no kind \"Widget\" is registered for version \"example.com/v1\" in protobuf bodies", e.getMessage());
    }

    @Test
    void compressedContentIsUnsupported() {
        byte[] plain = JsonToProto.envelope("v1", "Namespace", ByteString.EMPTY);
        var unknown = io.kubernetes.client.proto.Runtime.Unknown.newBuilder()
                .setTypeMeta(io.kubernetes.client.proto.Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Namespace"))
                .setContentEncoding("gzip").build();
        byte[] body = new byte[4 + unknown.getSerializedSize()];
        System.arraycopy(plain, 0, body, 0, 4);
        System.arraycopy(unknown.toByteArray(), 0, body, 4, unknown.getSerializedSize());
        assertEquals(415, assertThrows(ProtobufException.class, () -> ProtobufCodec.decode(body)).code());
    }

    @Test
    void emptyRawIsTheEmptyObject() {
        assertEquals(Fixtures.parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}"),
                ProtobufCodec.decode(JsonToProto.envelope("v1", "Namespace", ByteString.EMPTY)));
    }

    @Test
    void rawExtensionHoldingAProtobufObjectIsDecodedToo() {
        byte[] inner = Fixtures.bytes("configmap-settings.bin");
        var revision = JsonToProto.message(KubeSchema.get().kind("apps/v1", "ControllerRevision"),
                Fixtures.parse("{\"metadata\":{\"name\":\"r\"},\"revision\":1}")).toBuilder();
        var data = revision.getDescriptorForType().findFieldByName("data");
        revision.setField(data, com.google.protobuf.DynamicMessage.newBuilder(data.getMessageType())
                .setField(data.getMessageType().findFieldByNumber(1), ByteString.copyFrom(inner)).build());
        var decoded = ProtobufCodec.decode(JsonToProto.envelope("apps/v1", "ControllerRevision", revision.build().toByteString()));
        assertEquals(Fixtures.json("configmap-settings.json"), decoded.get("data"));
    }

    @Test
    void envelopesNestedWithoutEndAreABadRequestNotAStackOverflow() {
        var type = KubeSchema.get().kind("apps/v1", "ControllerRevision");
        var data = type.findFieldByName("data");
        byte[] body = Fixtures.bytes("namespace-foo.bin");
        for (int i = 0; i < 1000; i++) {
            var revision = com.google.protobuf.DynamicMessage.newBuilder(type).setField(data, com.google.protobuf.DynamicMessage
                    .newBuilder(data.getMessageType()).setField(data.getMessageType().findFieldByNumber(1), ByteString.copyFrom(body)).build());
            body = JsonToProto.envelope("apps/v1", "ControllerRevision", revision.build().toByteString());
        }
        byte[] deep = body;
        ProtobufException e = assertThrows(ProtobufException.class, () -> ProtobufCodec.decode(deep));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    @Test
    void timestampsBeyondWhatJsonCanSayAreABadRequest() {
        var type = KubeSchema.get().kind("v1", "Namespace");
        var metadata = type.findFieldByName("metadata");
        var created = metadata.getMessageType().findFieldByName("creationTimestamp");
        var time = com.google.protobuf.DynamicMessage.newBuilder(created.getMessageType())
                .setField(created.getMessageType().findFieldByName("seconds"), Long.MAX_VALUE).build();
        var namespace = com.google.protobuf.DynamicMessage.newBuilder(type).setField(metadata,
                com.google.protobuf.DynamicMessage.newBuilder(metadata.getMessageType()).setField(created, time).build()).build();
        assertEquals(400, assertThrows(ProtobufException.class,
                () -> ProtobufCodec.decode(JsonToProto.envelope("v1", "Namespace", namespace.toByteString()))).code());
    }

    @Test
    void rawExtensionThatIsNeitherJsonNorProtobufIsABadRequest() {
        var revision = JsonToProto.message(KubeSchema.get().kind("apps/v1", "ControllerRevision"), Fixtures.parse("{}")).toBuilder();
        var data = revision.getDescriptorForType().findFieldByName("data");
        revision.setField(data, com.google.protobuf.DynamicMessage.newBuilder(data.getMessageType())
                .setField(data.getMessageType().findFieldByNumber(1), ByteString.copyFromUtf8("{not json")).build());
        assertEquals(400, assertThrows(ProtobufException.class,
                () -> ProtobufCodec.decode(JsonToProto.envelope("apps/v1", "ControllerRevision", revision.build().toByteString()))).code());
    }

    @Test
    void kindListIsLargeAndSorted() {
        List<String> kinds = List.copyOf(KubeSchema.get().kinds());
        assertTrue(kinds.size() > 100, "kinds: " + kinds.size());
        assertTrue(kinds.contains("v1/Pod"));
    }
}
