package dev.okube.api.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class QuantityTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode json(String singleQuoted) {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1", "2000m, 2", "1500m, 1500m", "0.5, 500m", "100m, 100m", "1Gi, 1Gi", "1024Mi, 1Gi",
        "1536Mi, 1536Mi", "512, 512", "1k, 1k", "1000, 1k", "1e3, 1e3", "1.5Gi, 1536Mi", "0.5Ki, 512",
        "0, 0", "0Gi, 0", "128974848, 128974848", "129e6, 129e6", "129M, 129M", "123Mi, 123Mi",
        "1.1, 1100m", "0.000000001, 1n", "0.0000000011, 2n", "5u, 5u", "10Ti, 10Ti", "1E, 1E"
    })
    void printsCanonically(String text, String canonical) {
        assertEquals(canonical, Quantity.parse(text).toString());
    }

    @Test
    void valuesRoundUp() {
        assertEquals(BigInteger.ONE, Quantity.parse("100m").value());
        assertEquals(BigInteger.valueOf(100), Quantity.parse("100m").milliValue());
        assertEquals(BigInteger.ONE, Quantity.parse("1n").milliValue());
        assertEquals(BigInteger.valueOf(1024L * 1024 * 1024), Quantity.parse("1Gi").value());
        assertEquals(BigInteger.valueOf(2), Quantity.parse("1.2").value());
    }

    @Test
    void comparesByValueAcrossFormats() {
        assertEquals(0, Quantity.parse("1Ki").compareTo(Quantity.parse("1024")));
        assertTrue(Quantity.parse("1G").compareTo(Quantity.parse("1Gi")) < 0);
        assertTrue(Quantity.parse("1100m").compareTo(Quantity.parse("1")) > 0);
    }

    @Test
    void sumsKeepTheFirstFormatUnlessItIsZero() {
        assertEquals("3Gi", Quantity.parse("1Gi").add(Quantity.parse("2Gi")).toString());
        assertEquals("1500m", Quantity.parse("1").add(Quantity.parse("500m")).toString());
        assertEquals("1Gi", Quantity.ZERO.add(Quantity.parse("1Gi")).toString());
    }

    @Test
    void readsStringsAndNumbersFromJson() {
        assertEquals("2", Quantity.of(json("{'a':2}").get("a")).toString());
        assertEquals("500m", Quantity.of(json("{'a':0.5}").get("a")).toString());
        assertEquals("1Gi", Quantity.of(json("{'a':'1Gi'}").get("a")).toString());
        assertNull(Quantity.of(json("{'a':'lots'}").get("a")));
        assertNull(Quantity.of(json("{'a':true}").get("a")));
        assertNull(Quantity.of(null));
    }

    @Test
    void refusesWhatIsNotAQuantity() {
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1 Gi"));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("Gi"));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1e99999999999"));
    }
}
