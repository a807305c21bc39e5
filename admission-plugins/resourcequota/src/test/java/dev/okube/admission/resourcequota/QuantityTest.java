package dev.okube.admission.resourcequota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1024Mi|1Gi", "1536Mi|1536Mi", "0.5Gi|512Mi", "0.5Ki|512", "100m|100m", "1000m|1", "0.1|100m",
        "2000|2k", "1500|1500", "0|0", "1e3|1e3", "12E|12E", "1n|1n", "0.0000000001|1n", "-1|-1", "2|2",
    })
    void canonicalText(String in, String out) {
        assertEquals(out, Quantity.parse(in).toString());
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "500m|500m|1", "500m|1|1500m", "1Gi|512Mi|1536Mi", "0|1Gi|1Gi", "0|250m|250m", "1|1|2", "1Gi|1G|2073741824",
        "100Mi|100Mi|200Mi",
    })
    void sumsKeepTheLeftFormatUnlessItIsZero(String a, String b, String sum) {
        assertEquals(sum, Quantity.parse(a).add(Quantity.parse(b)).toString());
    }

    @Test
    void subtractionAndComparison() {
        assertEquals("500m", Quantity.parse("1").subtract(Quantity.parse("500m")).toString());
        assertEquals("512Mi", Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString());
        assertTrue(Quantity.parse("1Gi").compareTo(Quantity.parse("1G")) > 0);
        assertEquals(Quantity.parse("1000m"), Quantity.parse("1"));
        assertEquals(0, Quantity.parse("1024Mi").compareTo(Quantity.parse("1Gi")));
        assertEquals("2", Quantity.parse("1.2").roundUpToInteger().toString());
        assertEquals("1", Quantity.parse("1").roundUpToInteger().toString());
    }

    @Test
    void jsonNumbersAreQuantitiesToo() {
        assertEquals("2", Quantity.parse(dev.okube.testkit.Admission.json("{'a':2}").get("a")).toString());
        assertEquals("500m", Quantity.parse(dev.okube.testkit.Admission.json("{'a':0.5}").get("a")).toString());
    }

    @Test
    void badTextIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1K"));
        assertTrue(e.getMessage().contains("\"1K\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1e99999999999"));
    }
}
