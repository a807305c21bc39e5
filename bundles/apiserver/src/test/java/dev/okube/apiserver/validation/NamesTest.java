package dev.okube.apiserver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamesTest {
    static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    static final String LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            + "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
            + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    static final String QNAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
            + "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    static final String VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
            + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    static Stream<Arguments> subdomains() {
        return Stream.of(
                Arguments.of("web", List.of()),
                Arguments.of("a.b-c.d", List.of()),
                Arguments.of("0", List.of()),
                Arguments.of("a".repeat(253), List.of()),
                Arguments.of("Foo", List.of(SUBDOMAIN)),
                Arguments.of("", List.of(SUBDOMAIN)),
                Arguments.of("a..b", List.of(SUBDOMAIN)),
                Arguments.of("a_b", List.of(SUBDOMAIN)),
                Arguments.of("-a", List.of(SUBDOMAIN)),
                Arguments.of("a".repeat(254), List.of("must be no more than 253 characters")),
                Arguments.of("A".repeat(254), List.of("must be no more than 253 characters", SUBDOMAIN)));
    }

    @ParameterizedTest
    @MethodSource("subdomains")
    void dns1123Subdomain(String value, List<String> errors) {
        assertEquals(errors, Names.dns1123Subdomain(value));
    }

    static Stream<Arguments> labels() {
        return Stream.of(
                Arguments.of("kube-system", List.of()),
                Arguments.of("123-abc", List.of()),
                // a good subdomain is wrong only by its dots, and says so
                Arguments.of("a.b", List.of("must not contain dots")),
                Arguments.of("Default", List.of(LABEL)),
                Arguments.of("a-", List.of(LABEL)),
                Arguments.of("a".repeat(64), List.of("must be no more than 63 characters")));
    }

    @ParameterizedTest
    @MethodSource("labels")
    void dns1123Label(String value, List<String> errors) {
        assertEquals(errors, Names.dns1123Label(value));
    }

    static Stream<Arguments> dns1035() {
        return Stream.of(
                Arguments.of("web", List.of()),
                Arguments.of("1web", List.of(DNS1035)),
                Arguments.of("web.svc", List.of(DNS1035)),
                Arguments.of("w".repeat(64), List.of("must be no more than 63 characters")));
    }

    @ParameterizedTest
    @MethodSource("dns1035")
    void dns1035Label(String value, List<String> errors) {
        assertEquals(errors, Names.dns1035Label(value));
    }

    static Stream<Arguments> qualifiedNames() {
        return Stream.of(
                Arguments.of("app", List.of()),
                Arguments.of("App.Name_x-1", List.of()),
                Arguments.of("example.com/app", List.of()),
                Arguments.of("app-", List.of(QNAME)),
                Arguments.of("", List.of("name part must be non-empty", QNAME)),
                Arguments.of("/app", List.of("prefix part must be non-empty")),
                Arguments.of("Example.com/app", List.of("prefix part " + SUBDOMAIN)),
                Arguments.of("example.com/", List.of("name part must be non-empty", QNAME)),
                Arguments.of("a".repeat(64), List.of("name part must be no more than 63 characters")),
                Arguments.of("a/b/c", List.of("a qualified name must consist of alphanumeric characters, '-', '_' or "
                        + "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                        + "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
                        + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")));
    }

    @ParameterizedTest
    @MethodSource("qualifiedNames")
    void qualifiedName(String value, List<String> errors) {
        assertEquals(errors, Names.qualifiedName(value));
    }

    static Stream<Arguments> labelValues() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of("v1.2_x-Y", List.of()),
                Arguments.of("-v", List.of(VALUE)),
                Arguments.of("a b", List.of(VALUE)),
                Arguments.of("v".repeat(64), List.of("must be no more than 63 characters")));
    }

    @ParameterizedTest
    @MethodSource("labelValues")
    void labelValue(String value, List<String> errors) {
        assertEquals(errors, Names.labelValue(value));
    }

    static Stream<Arguments> pathSegments() {
        return Stream.of(
                Arguments.of("system:controller:job", false, List.of()),
                Arguments.of("Any Thing", false, List.of()),
                Arguments.of(".", false, List.of("may not be '.'")),
                Arguments.of("..", false, List.of("may not be '..'")),
                Arguments.of("a/b%c", false, List.of("may not contain '/'", "may not contain '%'")),
                // a generateName prefix may be "." or "..": the suffix makes it a different name
                Arguments.of("..", true, List.of()),
                Arguments.of("a/", true, List.of("may not contain '/'")));
    }

    @ParameterizedTest
    @MethodSource("pathSegments")
    void pathSegment(String value, boolean prefix, List<String> errors) {
        assertEquals(errors, Names.pathSegment(value, prefix));
    }
}
