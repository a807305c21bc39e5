package dev.okube.apiserver.defaults;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Table-driven: each YAML document under this package's test resources pairs an object as posted
 * with the object upstream's apiserver returns, and {@link Defaults#apply} must turn one into the other.
 */
class DefaultsTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Numbers compare by value: YAML reads ints, defaulting may write other numeric node types. */
    private static final Comparator<JsonNode> SAME = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    record Case(String file, String name, String group, String version, String kind, ObjectNode in, ObjectNode out) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    static Stream<Arguments> cases() throws Exception {
        return read("workloads.yaml", "core.yaml", "cluster.yaml");
    }

    static Stream<Arguments> createCases() throws Exception {
        return read("create.yaml");
    }

    private static Stream<Arguments> read(String... files) throws Exception {
        List<Arguments> all = new ArrayList<>();
        for (String file : files) {
            try (InputStream in = DefaultsTest.class.getResourceAsStream(file);
                    MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    Case c = new Case(file, doc.get("name").asString(),
                            doc.has("group") ? doc.get("group").asString() : "", doc.get("version").asString(),
                            doc.get("kind").asString(), (ObjectNode) doc.get("in"), (ObjectNode) doc.get("out"));
                    all.add(Arguments.of(c));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void defaultsAsUpstream(Case c) {
        ObjectNode object = c.in().deepCopy();
        Defaults.apply(c.group(), c.version(), c.kind(), object);
        assertSame(c.out(), object);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void defaultingTwiceChangesNothing(Case c) {
        // Upstream defaults again on every read from storage, so defaulting must be idempotent.
        ObjectNode object = c.out().deepCopy();
        Defaults.apply(c.group(), c.version(), c.kind(), object);
        assertSame(c.out(), object);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createCases")
    void createReturnsWhatUpstreamReturns(Case c) {
        ObjectNode object = c.in().deepCopy();
        Defaults.prepareForCreate(c.group(), c.version(), c.kind(), object, CLOCK);
        assertSame(c.out(), object);
        // The REST layer may already have defaulted the decoded object; the result is the same.
        ObjectNode defaulted = c.in().deepCopy();
        Defaults.apply(c.group(), c.version(), c.kind(), defaulted);
        Defaults.prepareForCreate(c.group(), c.version(), c.kind(), defaulted, CLOCK);
        assertSame(c.out(), defaulted);
    }

    private static final Instant CLOCK = Instant.parse("2026-01-02T03:04:05.678Z");

    private static void assertSame(ObjectNode expected, ObjectNode actual) {
        if (!expected.equals(SAME, actual)) {
            assertEquals(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
            assertTrue(false, "equal text but different trees");
        }
    }

    @ParameterizedTest(name = "{0} -> tag \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "nginx|latest",
        "nginx:latest|latest",
        "nginx:1.27|1.27",
        "library/nginx:stable-alpine|stable-alpine",
        "docker.io/library/nginx|latest",
        "localhost:5000/app|latest",
        "localhost:5000/app:v1|v1",
        "registry.example.com:5000/team/app:1.2|1.2",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|",
        "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|latest",
        "[::1]:5000/app:v2|v2",
        "Nginx|",
        "|",
        "nginx:|",
        "a/b//c|",
    })
    void imageTagFollowsTheReferenceGrammar(String image, String tag) {
        // An empty CSV column reads as null; the cases mean "".
        assertEquals(tag == null ? "" : tag, PodDefaults.imageTag(image == null ? "" : image));
    }

    @Test
    void pullPolicyIsAlwaysOnlyForLatest() {
        ObjectNode pod = (ObjectNode) JSON.readTree("""
                {"spec": {"containers": [
                  {"name": "a", "image": "app"},
                  {"name": "b", "image": "app:latest"},
                  {"name": "c", "image": "app:v1"},
                  {"name": "d", "image": "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
                  {"name": "e"},
                  {"name": "f", "image": "app", "imagePullPolicy": "Never"}]}}""");
        Defaults.apply("", "v1", "Pod", pod);
        List<String> policies = new ArrayList<>();
        pod.get("spec").get("containers").forEach(c -> policies.add(c.get("imagePullPolicy").asString()));
        assertEquals(List.of("Always", "Always", "IfNotPresent", "IfNotPresent", "IfNotPresent", "Never"), policies);
    }

    @Test
    void coreGroupMayBeNamedCoreOrNull() {
        for (String group : new String[] {"", "core", null}) {
            ObjectNode secret = JsonNodeFactory.instance.objectNode();
            Defaults.apply(group, "v1", "Secret", secret);
            assertEquals("Opaque", secret.get("type").asString());
            assertTrue(Defaults.covers(group, "v1", "Secret"));
        }
        assertFalse(Defaults.covers("", "v1", "ConfigMap"));
    }

    @Test
    void unknownKindsAndNullsAreNoOps() {
        ObjectNode object = (ObjectNode) JSON.readTree("{\"spec\": {\"replicas\": null}}");
        Defaults.apply("example.com", "v1", "Widget", object);
        Defaults.apply("apps", null, "Deployment", object);
        Defaults.apply("apps", "v1", null, object);
        assertDoesNotThrow(() -> Defaults.apply("apps", "v1", "Deployment", null));
        assertEquals(JSON.readTree("{\"spec\": {\"replicas\": null}}"), object);
    }

    /** Every JSON shape a field could hold, including the wrong ones validation would reject later. */
    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int pick = random.nextInt(depth > 4 ? 6 : 9);
        switch (pick) {
            case 0: return f.nullNode();
            case 1: return f.stringNode(random.nextBoolean() ? "" : random.nextBoolean() ? "latest" : "1.5Gi");
            case 2: return f.numberNode(random.nextInt(3) - 1);
            case 3: return f.booleanNode(random.nextBoolean());
            case 4: return f.numberNode(1.5);
            case 5: return f.stringNode("RollingUpdate");
            case 6: case 7: {
                ObjectNode o = f.objectNode();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(FIELDS[random.nextInt(FIELDS.length)], randomValue(random, depth + 1));
                }
                return o;
            }
            default: {
                ArrayNode a = f.arrayNode();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(random, depth + 1));
                }
                return a;
            }
        }
    }

    private static final String[] FIELDS = {"metadata", "labels", "name", "spec", "status", "template", "containers",
        "initContainers", "ephemeralContainers", "volumes", "ports", "env", "valueFrom", "fieldRef", "resources",
        "limits", "requests", "livenessProbe", "httpGet", "grpc", "lifecycle", "preStop", "strategy", "rollingUpdate",
        "updateStrategy", "type", "sessionAffinity", "sessionAffinityConfig", "clientIP", "loadBalancer", "ingress",
        "ip", "subsets", "max", "min", "default", "defaultRequest", "jobTemplate", "podFailurePolicy", "rules",
        "onPodConditions", "behavior", "scaleUp", "scaleDown", "policies", "metrics", "webhooks", "clientConfig",
        "service", "names", "kind", "conversion", "versions", "storage", "volumeClaimTemplates", "hostNetwork",
        "egress", "limited", "queuing", "limitResponse", "matchConstraints", "projected", "sources", "image",
        "capacity", "roleRef", "subjects", "hostPath", "secret", "items", "port", "targetPort", "selector",
        "uid", "manualSelector", "matchLabels", "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
        "labelSelector", "matchLabelKeys", "matchExpressions", "schedulingGates", "finalizers", "dataSource",
        "dataSourceRef", "cpu", "memory", "divisor", "resourceFieldRef", "overhead", "sizeLimit", "emptyDir",
        "annotations", "securityContext", "appArmorProfile", "localhostProfile", "os"};

    @Test
    void neverThrowsOnPartialOrIllTypedObjects() {
        Random random = new Random(4);
        String[][] kinds = {{"", "Pod"}, {"", "PodTemplate"}, {"", "ReplicationController"}, {"", "Service"},
            {"", "Namespace"}, {"", "Secret"}, {"", "PersistentVolume"}, {"", "PersistentVolumeClaim"}, {"", "Node"},
            {"", "Endpoints"}, {"", "LimitRange"}, {"apps", "Deployment"}, {"apps", "ReplicaSet"},
            {"apps", "StatefulSet"}, {"apps", "DaemonSet"}, {"batch", "Job"}, {"batch", "CronJob"},
            {"autoscaling", "HorizontalPodAutoscaler"}, {"networking.k8s.io", "NetworkPolicy"},
            {"networking.k8s.io", "IngressClass"}, {"rbac.authorization.k8s.io", "RoleBinding"},
            {"storage.k8s.io", "StorageClass"}, {"storage.k8s.io", "CSIDriver"},
            {"scheduling.k8s.io", "PriorityClass"}, {"discovery.k8s.io", "EndpointSlice"},
            {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
            {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
            {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
            {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
            {"apiextensions.k8s.io", "CustomResourceDefinition"}, {"apiregistration.k8s.io", "APIService"},
            {"authentication.k8s.io", "TokenRequest"}, {"", "ResourceQuota"}, {"storage.k8s.io", "CSIDriver"},
            {"policy", "PodDisruptionBudget"}, {"networking.k8s.io", "Ingress"},
            {"certificates.k8s.io", "CertificateSigningRequest"},
            {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
            {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"}};
        for (int round = 0; round < 3000; round++) {
            for (String[] kind : kinds) {
                JsonNode value = randomValue(random, 0);
                ObjectNode object = value instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
                for (String version : new String[] {"v1", "v2"}) {
                    assertDoesNotThrow(() -> Defaults.apply(kind[0], version, kind[1], object),
                            () -> kind[1] + " " + object);
                    assertDoesNotThrow(() -> Defaults.prepareForCreate(kind[0], version, kind[1], object),
                            () -> "create " + kind[1] + " " + object);
                }
            }
        }
    }
}
