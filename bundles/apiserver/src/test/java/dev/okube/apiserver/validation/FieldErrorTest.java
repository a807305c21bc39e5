package dev.okube.apiserver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FieldErrorTest {

    /** error | reason | message, each as field.Error prints them. */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(FieldError.required("metadata.name", "name or generateName is required"),
                        "FieldValueRequired", "metadata.name: Required value: name or generateName is required"),
                Arguments.of(FieldError.required("metadata.namespace", ""),
                        "FieldValueRequired", "metadata.namespace: Required value"),
                Arguments.of(FieldError.invalid("metadata.name", "Foo", "bad"),
                        "FieldValueInvalid", "metadata.name: Invalid value: \"Foo\": bad"),
                Arguments.of(FieldError.invalidRendered("spec.replicas", "-1", "must be greater than or equal to 0"),
                        "FieldValueInvalid", "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
                Arguments.of(FieldError.duplicate("spec.ports[1].name", "http"),
                        "FieldValueDuplicate", "spec.ports[1].name: Duplicate value: \"http\""),
                Arguments.of(FieldError.notSupported("spec.restartPolicy", "Sometimes", List.of("Always", "Never", "OnFailure")),
                        "FieldValueNotSupported", "spec.restartPolicy: Unsupported value: \"Sometimes\": supported "
                                + "values: \"Always\", \"Never\", \"OnFailure\""),
                Arguments.of(FieldError.forbidden("metadata.namespace", "not allowed on this type"),
                        "FieldValueForbidden", "metadata.namespace: Forbidden: not allowed on this type"),
                Arguments.of(FieldError.tooLong("metadata.annotations", 262144),
                        "FieldValueTooLong", "metadata.annotations: Too long: may not be more than 262144 bytes"),
                Arguments.of(FieldError.tooMany("spec.containers", 5, 3),
                        "FieldValueTooMany", "spec.containers: Too many: 5: must have at most 3 items"),
                Arguments.of(FieldError.tooMany("spec.containers", -1, -1),
                        "FieldValueTooMany", "spec.containers: Too many: has too many items"),
                // Go's %q escapes control characters and keeps printable unicode
                Arguments.of(FieldError.invalid("metadata.name", "a\tb\u0001ü\"\\", "x"),
                        "FieldValueInvalid", "metadata.name: Invalid value: \"a\\tb\\x01ü\\\"\\\\\": x"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void reasonAndMessage(FieldError error, String reason, String message) {
        assertEquals(reason, error.reason());
        assertEquals(message, error.message());
        assertEquals(message.substring(error.field().length() + 2), error.body());
    }

    @Test
    void aggregate() {
        FieldError a = FieldError.required("a", "");
        FieldError b = FieldError.invalid("b", "x", "y");
        assertEquals("", FieldError.aggregate(List.of()));
        assertEquals("a: Required value", FieldError.aggregate(List.of(a)));
        assertEquals("a: Required value", FieldError.aggregate(List.of(a, a)));
        assertEquals("[a: Required value, b: Invalid value: \"x\": y]", FieldError.aggregate(List.of(a, b, a)));
    }

    @Test
    void goTime() {
        assertEquals("2024-01-02 03:04:05 +0000 UTC", GoText.time("2024-01-02T03:04:05Z"));
        assertEquals("2024-01-02 03:04:05.5 +0000 UTC", GoText.time("2024-01-02T03:04:05.500Z"));
        // metav1.Time decodes into the server's zone, UTC
        assertEquals("2024-01-02 01:04:05 +0000 UTC", GoText.time("2024-01-02T03:04:05+02:00"));
        assertEquals("0001-01-01 00:00:00 +0000 UTC", GoText.time(null));
    }
}
