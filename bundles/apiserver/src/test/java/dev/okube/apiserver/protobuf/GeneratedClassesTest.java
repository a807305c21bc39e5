package dev.okube.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * client-java-proto's generated classes, as a second writer of protobuf bodies: what they build must decode, and
 * every message they share with the v1.32 schema must agree with it field by field on the wire.
 */
class GeneratedClassesTest {
    /** The generated outer classes for the GA groups; their descriptors are read reflectively, as a client would find them. */
    private static final List<String> OUTER = List.of("Meta", "Runtime", "IntStr", "Resource", "V1", "V1Apps", "V1Batch",
            "V1Autoscaling", "V1Policy", "V1Networking", "V1Rbac", "V1Storage", "V1Scheduling", "V1Admissionregistration",
            "V1Authentication", "V1Authorization", "V1Certificates", "V2beta2Autoscaling");

    @Test
    void sharedMessagesAgreeOnFieldNumbersNamesAndTypes() throws ReflectiveOperationException {
        List<String> mismatches = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        int compared = 0;
        for (String outer : OUTER) {
            FileDescriptor file = (FileDescriptor) Class.forName("io.kubernetes.client.proto." + outer)
                    .getMethod("getDescriptor").invoke(null);
            for (Descriptor generated : file.getMessageTypes()) {
                Descriptor ours = KubeSchema.get().message(generated.getFullName());
                if (ours == null) {
                    continue; // dropped upstream since the jar was generated (v2beta2 was removed in 1.26)
                }
                for (FieldDescriptor g : generated.getFields()) {
                    FieldDescriptor o = ours.findFieldByNumber(g.getNumber());
                    compared++;
                    if (o == null) {
                        removed.add(generated.getFullName() + "#" + g.getNumber() + " " + g.getName());
                    } else if (!o.getName().equals(g.getName()) || o.getType() != g.getType() || o.isRepeated() != g.isRepeated()
                            || o.getType() == FieldDescriptor.Type.MESSAGE && !o.getMessageType().getFullName().equals(g.getMessageType().getFullName())) {
                        mismatches.add(generated.getFullName() + "#" + g.getNumber() + " " + g.getName() + " vs " + o.getName());
                    }
                }
            }
        }
        assertTrue(compared > 1000, "compared " + compared);
        assertEquals(List.of(), mismatches);
        // The jar predates 1.28, which replaced this alpha field with resourceClaimName/resourceClaimTemplateName (3, 4).
        assertEquals(List.of("k8s.io.api.core.v1.PodResourceClaim#2 source"), removed);
    }

    @Test
    void selfSubjectAccessReviewBuiltWithGeneratedClasses() {
        var review = V1Authorization.SelfSubjectAccessReview.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setCreationTimestamp(Meta.Time.getDefaultInstance()))
                .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
                        .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                                .setNamespace("default").setVerb("delete").setGroup("").setResource("pods").setName("")))
                .build();
        assertEquals(Fixtures.parse("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{"creationTimestamp":null},
                 "spec":{"resourceAttributes":{"namespace":"default","verb":"delete","resource":"pods"}}}"""),
                decode("authorization.k8s.io/v1", "SelfSubjectAccessReview", review));
    }

    @Test
    void secretAndDeploymentBuiltWithGeneratedClasses() {
        var secret = V1.Secret.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("s").setNamespace("").setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1704067200)))
                .putData("bin", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))
                .putData("empty", ByteString.EMPTY)
                .setImmutable(false).setType("Opaque").build();
        assertEquals(Fixtures.parse("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","creationTimestamp":"2024-01-01T00:00:00Z"},
                 "immutable":false,"data":{"bin":"AAH/","empty":""},"type":"Opaque"}"""),
                Fixtures.normalized(decode("v1", "Secret", secret)));

        var deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0).setPaused(false)
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxSurge(IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                        .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
                        .setTemplate(V1.PodTemplateSpec.newBuilder().setSpec(V1.PodSpec.newBuilder()
                                .addContainers(V1.Container.newBuilder().setName("web").setImage("nginx")
                                        .setResources(V1.ResourceRequirements.newBuilder()
                                                .putLimits("memory", Resource.Quantity.newBuilder().setString("1Gi").build()))))))
                .build();
        assertEquals(Fixtures.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                 "spec":{"replicas":0,"template":{"spec":{"containers":[{"name":"web","image":"nginx","resources":{"limits":{"memory":"1Gi"}}}]}},
                         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":"25%"}}}}"""),
                Fixtures.normalized(decode("apps/v1", "Deployment", deployment)));
    }

    private static tools.jackson.databind.JsonNode decode(String apiVersion, String kind, Message message) {
        return ProtobufCodec.decode(JsonToProto.envelope(apiVersion, kind, message.toByteString()));
    }
}
