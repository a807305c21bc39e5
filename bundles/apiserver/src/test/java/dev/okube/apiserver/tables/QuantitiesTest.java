package dev.okube.apiserver.tables;

import dev.okube.apiserver.defaults.Quantity;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical quantity strings, as resource.Quantity prints them after parsing. */
class QuantitiesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0",
        "00, 0",
        "0Mi, 0",
        "1Gi, 1Gi",
        "1024Mi, 1Gi",
        "307200Ki, 300Mi",
        "1025024Mi, 1001Gi",
        "1024Gi, 1Ti",
        "1.5Gi, 1536Mi",
        "1025, 1025",
        "0.5Ki, 512",
        "1.1Ki, 1126400m",
        ".001Ki, 1024m",
        ".000001Ki, 1024u",
        ".000000001Ki, 1024n",
        // below a nano rounds up
        ".000000000001Ki, 2n",
        "0.0000000001, 1n",
        "5000m, 5",
        "0.5, 500m",
        "100m, 100m",
        "1.08, 1080m",
        "1080000000n, 1080m",
        "1000, 1k",
        "1500, 1500",
        "1000M, 1G",
        "0.001T, 1G",
        "1000u, 1m",
        "1234567M, 1234567M",
        "1e3, 1e3",
        "12e2, 1200",
        ".001e12, 1e9",
        "0.001e0, 1e-3",
        "1000e-12, 1e-9",
        "-1Gi, -1Gi",
        "-0.5, -500m",
        "+4, 4",
        // not quantities: printed as stored
        "abc, abc",
        "5Q, 5Q",
        "'', ''",
    })
    void canonicalForm(String in, String expected) {
        assertEquals(expected, Quantity.canonical(in));
    }
}
