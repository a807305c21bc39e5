package dev.okube.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes the bodies real kubectl 1.32 sent (captured with src/build/protobuf/record-server.py) and compares
 * them with the JSON kubectl prints for the same object with --dry-run=client -o json: that JSON is Go's encoding/json
 * of the very object it serialized, so it is exactly what decode must produce.
 */
class KubectlBodiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"namespace-foo", "configmap-settings", "configmap-binary", "secret-generic", "deployment-web",
            "deployment-zero", "serviceaccount", "job", "cronjob", "service", "role", "clusterrole-aggregate", "clusterrole-nonresource",
            "rolebinding", "clusterrolebinding", "quota", "priorityclass", "pdb", "ingress"})
    void createBodiesDecodeToWhatKubectlWouldHaveSentAsJson(String name) {
        ObjectNode decoded = ProtobufCodec.decode(Fixtures.bytes(name + ".bin"));
        assertEquals(List.of(), Fixtures.diff(Fixtures.json(name + ".json"), Fixtures.normalized(decoded)), name);
    }

    /** kubectl create token posts to serviceaccounts/NAME/token; the name is in the path, the body's metadata is empty. */
    @Test
    void createTokenSendsATokenRequest() {
        assertEquals(Fixtures.parse("""
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"audiences":["api"],"expirationSeconds":600},
                 "status":{"token":"","expirationTimestamp":null}}"""),
                Fixtures.normalized(ProtobufCodec.decode(Fixtures.bytes("tokenrequest.bin"))));
    }

    @Test
    void authCanICreatePods() {
        assertEquals(Fixtures.parse("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},
                 "status":{"allowed":false}}"""), ProtobufCodec.decode(Fixtures.bytes("ssar-create-pods.bin")));
    }

    @Test
    void authCanISubresourceInAnotherNamespace() {
        assertEquals(Fixtures.parse("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"resourceAttributes":{"namespace":"kube-system","verb":"get","group":"apps",
                         "resource":"deployments","subresource":"scale","name":"web"}},
                 "status":{"allowed":false}}"""), ProtobufCodec.decode(Fixtures.bytes("ssar-scale.bin")));
    }

    @Test
    void authCanINonResourceUrl() {
        assertEquals(Fixtures.parse("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}},
                 "status":{"allowed":false}}"""), ProtobufCodec.decode(Fixtures.bytes("ssar-nonresource.bin")));
    }

    @Test
    void authCanIList() {
        assertEquals(Fixtures.parse("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"namespace":"default"},
                 "status":{"resourceRules":null,"nonResourceRules":null,"incomplete":false}}"""),
                ProtobufCodec.decode(Fixtures.bytes("ssrr-list.bin")));
    }
}
