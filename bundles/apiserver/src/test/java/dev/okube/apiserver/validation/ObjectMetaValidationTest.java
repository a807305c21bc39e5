package dev.okube.apiserver.validation;

import static dev.okube.apiserver.validation.NamesTest.DNS1035;
import static dev.okube.apiserver.validation.NamesTest.LABEL;
import static dev.okube.apiserver.validation.NamesTest.QNAME;
import static dev.okube.apiserver.validation.NamesTest.SUBDOMAIN;
import static dev.okube.apiserver.validation.NamesTest.VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.validation.ObjectMetaValidation.NameRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ObjectMetaValidationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** metadata JSON | namespaced | rule | the expected error messages, in upstream's order. */
    static Stream<Arguments> createCases() {
        return Stream.of(
                Arguments.of("{\"name\":\"web\",\"namespace\":\"default\"}", true, NameRule.DNS1123_SUBDOMAIN, List.of()),
                Arguments.of("{\"name\":\"Foo\",\"namespace\":\"default\"}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.name: Invalid value: \"Foo\": " + SUBDOMAIN)),
                Arguments.of("{\"namespace\":\"default\"}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.name: Required value: name or generateName is required")),
                Arguments.of("{\"name\":\"web\"}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.namespace: Required value")),
                Arguments.of("{\"name\":\"web\",\"namespace\":\"Team_A\"}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.namespace: Invalid value: \"Team_A\": " + LABEL)),
                Arguments.of("{\"name\":\"node-1\",\"namespace\":\"default\"}", false, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.namespace: Forbidden: not allowed on this type")),
                Arguments.of("{\"name\":\"a.b\"}", false, NameRule.DNS1123_LABEL,
                        List.of("metadata.name: Invalid value: \"a.b\": must not contain dots")),
                Arguments.of("{\"name\":\"1web\",\"namespace\":\"default\"}", true, NameRule.DNS1035_LABEL,
                        List.of("metadata.name: Invalid value: \"1web\": " + DNS1035)),
                Arguments.of("{\"name\":\"system:auth-delegator\"}", false, NameRule.PATH_SEGMENT, List.of()),
                Arguments.of("{\"name\":\"a/b\"}", false, NameRule.PATH_SEGMENT,
                        List.of("metadata.name: Invalid value: \"a/b\": may not contain '/'")),
                Arguments.of("{\"generateName\":\"..\",\"name\":\"..x\"}", false, NameRule.PATH_SEGMENT,
                        List.of("metadata.generateName: Invalid value: \"..\": may not be '..'")),
                // generateName: a trailing dash is fine, other problems show the prefix as given
                Arguments.of("{\"generateName\":\"web-\",\"name\":\"web-x7k2p\",\"namespace\":\"d\"}", true,
                        NameRule.DNS1123_SUBDOMAIN, List.of()),
                Arguments.of("{\"generateName\":\"Web-\",\"namespace\":\"d\"}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.generateName: Invalid value: \"Web-\": " + SUBDOMAIN,
                                "metadata.name: Required value: name or generateName is required")),
                Arguments.of("{\"name\":\"web\",\"namespace\":\"d\",\"generation\":-1}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.generation: Invalid value: -1: must be greater than or equal to 0")),
                // labels: key and value problems on the labels path, keys in sorted order
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"labels\":{\"tier\":\"-x\",\"-app\":\"web\"}}", true,
                        NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.labels: Invalid value: \"-app\": " + QNAME,
                                "metadata.labels: Invalid value: \"-x\": " + VALUE)),
                // annotation keys are checked lower-cased, so capitals pass where labels would not
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"annotations\":{\"Example.COM/Owner\":\"x\","
                                + "\"bad key\":\"x\"}}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.annotations: Invalid value: \"bad key\": " + QNAME)),
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"finalizers\":[\"kubernetes.io/pv-protection\","
                                + "\"a/b/c\"]}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of "
                                + "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                                + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
                                + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional "
                                + "DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")),
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"finalizers\":[\"orphan\",\"foregroundDeletion\"]}",
                        true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: "
                                + "finalizer orphan and foregroundDeletion cannot be both set")),
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"ownerReferences\":[{\"apiVersion\":\"apps/\"}]}",
                        true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
                                "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
                                "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
                                "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty")),
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"ownerReferences\":[{\"apiVersion\":\"v1\","
                                + "\"kind\":\"Event\",\"name\":\"e\",\"uid\":\"u\"}]}", true, NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:\"v1\", "
                                + "Kind:\"Event\", Name:\"e\", UID:\"u\", Controller:(*bool)(nil), "
                                + "BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner")),
                Arguments.of("{\"name\":\"w\",\"namespace\":\"d\",\"managedFields\":[{\"manager\":\"kubectl\","
                                + "\"operation\":\"Patch\",\"fieldsType\":\"FieldsV2\"}]}", true,
                        NameRule.DNS1123_SUBDOMAIN,
                        List.of("metadata.managedFields[0].operation: Invalid value: \"Patch\": must be `Apply` or `Update`",
                                "metadata.managedFields[0].fieldsType: Invalid value: \"FieldsV2\": must be `FieldsV1`")));
    }

    @ParameterizedTest
    @MethodSource("createCases")
    void validateCreate(String metadata, boolean namespaced, NameRule rule, List<String> expected) {
        List<FieldError> errors = ObjectMetaValidation.validateCreate(object(metadata), namespaced, rule);
        assertEquals(expected, errors.stream().map(FieldError::message).toList());
    }

    @Test
    void twoControllersAreOneTooMany() {
        List<FieldError> errors = ObjectMetaValidation.validateCreate(object("""
                {"name":"w","namespace":"d","ownerReferences":[
                  {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},
                  {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]}"""),
                true, NameRule.DNS1123_SUBDOMAIN);
        assertEquals(1, errors.size());
        assertEquals("metadata.ownerReferences", errors.get(0).field());
        assertTrue(errors.get(0).detail().equals("Only one reference can have Controller set to true. Found \"true\" "
                + "in references for ReplicaSet/a and ReplicaSet/b"), errors.get(0).detail());
    }

    @Test
    void annotationsAreLimitedTo256KiB() {
        String big = "x".repeat(256 * 1024);
        List<FieldError> errors = ObjectMetaValidation.validateCreate(object(
                "{\"name\":\"w\",\"namespace\":\"d\",\"annotations\":{\"k\":\"" + big + "\"}}"), true,
                NameRule.DNS1123_SUBDOMAIN);
        assertEquals(List.of("metadata.annotations: Too long: may not be more than 262144 bytes"),
                errors.stream().map(FieldError::message).toList());
        assertEquals("FieldValueTooLong", errors.get(0).reason());
        // exactly at the limit is allowed: the key counts too
        String fits = "x".repeat(256 * 1024 - 1);
        assertEquals(List.of(), ObjectMetaValidation.validateCreate(object(
                "{\"name\":\"w\",\"namespace\":\"d\",\"annotations\":{\"k\":\"" + fits + "\"}}"), true,
                NameRule.DNS1123_SUBDOMAIN));
    }

    static Stream<Arguments> updateCases() {
        String old = "{\"name\":\"web\",\"namespace\":\"d\",\"uid\":\"u-1\",\"resourceVersion\":\"5\",\"generation\":2,"
                + "\"creationTimestamp\":\"2024-01-01T00:00:00Z\"}";
        return Stream.of(
                Arguments.of(old, old, List.of()),
                Arguments.of(old, old.replace("\"web\"", "\"api\""),
                        List.of("metadata.name: Invalid value: \"api\": field is immutable")),
                Arguments.of(old, old.replace("\"namespace\":\"d\"", "\"namespace\":\"e\""),
                        List.of("metadata.namespace: Invalid value: \"e\": field is immutable")),
                Arguments.of(old, old.replace("u-1", "u-2"),
                        List.of("metadata.uid: Invalid value: \"u-2\": field is immutable")),
                Arguments.of(old, old.replace("2024-01-01T00:00:00Z", "2024-01-02T03:04:05Z"),
                        List.of("metadata.creationTimestamp: Invalid value: 2024-01-02 03:04:05 +0000 UTC: "
                                + "field is immutable")),
                // the same instant written differently is no change
                Arguments.of(old, old.replace("2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00"), List.of()),
                Arguments.of(old, old.replace("\"resourceVersion\":\"5\",", ""),
                        List.of("metadata.resourceVersion: Invalid value: \"\": must be specified for an update")),
                Arguments.of(old, old.replace("\"generation\":2", "\"generation\":1"),
                        List.of("metadata.generation: Invalid value: 1: must not be decremented")),
                Arguments.of(old, old.replace("}", ",\"deletionTimestamp\":\"2024-02-01T00:00:00Z\"}"),
                        List.of("metadata.deletionTimestamp: Invalid value: 2024-02-01 00:00:00 +0000 UTC: "
                                + "field is immutable")),
                Arguments.of(old.replace("}", ",\"deletionGracePeriodSeconds\":30}"), old,
                        List.of("metadata.deletionGracePeriodSeconds: Invalid value: null: field is immutable")),
                // while deleting, finalizers may only go away
                Arguments.of(old.replace("}", ",\"deletionTimestamp\":\"2024-02-01T00:00:00Z\",\"finalizers\":[\"a\"]}"),
                        old.replace("}", ",\"deletionTimestamp\":\"2024-02-01T00:00:00Z\",\"finalizers\":[\"a\",\"c\",\"b\"]}"),
                        List.of("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being "
                                + "deleted, found new finalizers []string{\"b\", \"c\"}")),
                // create-time checks run too, and a bad label is reported once
                Arguments.of(old, old.replace("}", ",\"labels\":{\"a\":\"-\"}}"),
                        List.of("metadata.labels: Invalid value: \"-\": " + VALUE)));
    }

    @ParameterizedTest
    @MethodSource("updateCases")
    void validateUpdate(String oldMeta, String newMeta, List<String> expected) {
        List<FieldError> errors = ObjectMetaValidation.validateUpdate(object(newMeta), object(oldMeta), true,
                NameRule.DNS1123_SUBDOMAIN);
        assertEquals(expected, errors.stream().map(FieldError::message).toList());
    }

    @Test
    void invalidMessage() {
        List<FieldError> one = ObjectMetaValidation.validateCreate(object("{\"name\":\"Foo\",\"namespace\":\"d\"}"),
                true, NameRule.DNS1123_SUBDOMAIN);
        assertEquals("Pod \"Foo\" is invalid: metadata.name: Invalid value: \"Foo\": " + SUBDOMAIN,
                ObjectMetaValidation.invalidMessage("Pod", "Foo", one));
        List<FieldError> two = List.of(FieldError.required("metadata.name", "name or generateName is required"),
                FieldError.required("metadata.namespace", ""));
        assertEquals("Deployment.apps \"\" is invalid: [metadata.name: Required value: name or generateName is "
                        + "required, metadata.namespace: Required value]",
                ObjectMetaValidation.invalidMessage("apps", "Deployment", "", two));
        // repeated texts are reported once, and a single survivor loses its brackets
        assertEquals("ConfigMap \"c\" is invalid: metadata.namespace: Required value",
                ObjectMetaValidation.invalidMessage("", "ConfigMap", "c",
                        List.of(two.get(1), FieldError.required("metadata.namespace", ""))));
        assertEquals("Secret \"s\" is invalid", ObjectMetaValidation.invalidMessage("Secret", "s", List.of()));
        assertEquals("Pod \"a\\\"b\" is invalid", ObjectMetaValidation.invalidMessage("Pod", "a\"b", List.of()));
    }

    @Test
    void generateNameLikeSimpleNameGenerator() {
        for (int i = 0; i < 200; i++) {
            String name = ObjectMetaValidation.generateName("web-");
            assertTrue(name.matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
        }
        String long64 = "x".repeat(64);
        String generated = ObjectMetaValidation.generateName(long64);
        assertEquals(63, generated.length());
        assertTrue(generated.startsWith("x".repeat(58)));
        assertEquals(List.of(), Names.dns1123Subdomain(ObjectMetaValidation.generateName("")));
    }

    /** group | kind | rule. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                        | Pod                   | DNS1123_SUBDOMAIN",
            "''                        | ConfigMap             | DNS1123_SUBDOMAIN",
            "''                        | Node                  | DNS1123_SUBDOMAIN",
            "''                        | Namespace             | DNS1123_LABEL",
            "''                        | Service               | DNS1035_LABEL",
            "''                        | PersistentVolume      | DNS1123_SUBDOMAIN",
            "''                        | PersistentVolumeClaim | DNS1123_SUBDOMAIN",
            "certificates.k8s.io       | CertificateSigningRequest | PATH_SEGMENT",
            "apps                      | Deployment            | DNS1123_SUBDOMAIN",
            "rbac.authorization.k8s.io | Role                  | PATH_SEGMENT",
            "rbac.authorization.k8s.io | ClusterRole           | PATH_SEGMENT",
            "rbac.authorization.k8s.io | RoleBinding           | PATH_SEGMENT",
            "rbac.authorization.k8s.io | ClusterRoleBinding    | PATH_SEGMENT",
            "example.com               | Widget                | DNS1123_SUBDOMAIN",
    })
    void nameRules(String group, String kind, NameRule rule) {
        assertEquals(rule, ObjectMetaValidation.nameRule(group, kind));
    }

    @Test
    void maskTrailingDashDropsTwoBytes() {
        // upstream masks "abc-" as "aba": the character before the dash is replaced too
        assertEquals("aba", ObjectMetaValidation.maskTrailingDash("abc-"));
        assertEquals("a", ObjectMetaValidation.maskTrailingDash("a-"));
        assertEquals("-", ObjectMetaValidation.maskTrailingDash("-"));
    }

    private static JsonNode object(String metadata) {
        return JSON.readTree("{\"metadata\":" + metadata + "}");
    }
}
