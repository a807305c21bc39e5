package dev.okube.apiserver.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical quantity text as upstream's resource.Quantity writes it back. */
class QuantityTest {
    @ParameterizedTest(name = "{0} (resource list: {1}) -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "1024Mi|false|1Gi",
        "1048576Ki|false|1Gi",
        "1536Mi|false|1536Mi",
        "10Gi|false|10Gi",
        "1Ki|false|1Ki",
        "0.5Gi|false|512Mi",
        "0.5Ki|false|512",
        "1.5Ki|false|1536",
        "0.1Ki|false|102400m",
        "1024|false|1024",
        "2000|false|2k",
        "1500|false|1500",
        "1.5k|false|1500",
        "100m|false|100m",
        "1000m|false|1",
        "1500m|false|1500m",
        "0.1|false|100m",
        ".5|false|500m",
        "0|false|0",
        "0Gi|false|0",
        "+1|false|1",
        "-1|false|-1",
        "12E|false|12E",
        "1e3|false|1e3",
        "1E3|false|1e3",
        "129e6|false|129e6",
        "1000e-3|false|1",
        "0.0001|false|100u",
        "0.0001|true|1m",
        "1n|false|1n",
        "1n|true|1m",
        "0.0000000001|false|1n",
        "1K|false|null",
        "abc|false|null",
        "1e|false|null",
        "1Gi5|false|null",
        "1e99999999999|false|null",
    })
    void canonicalText(String in, boolean resourceList, String out) {
        assertEquals(out, Quantity.canonical(in, resourceList));
    }
}
