package dev.okube.apiserver.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tables.humanDuration against upstream duration.HumanDuration's documented outputs and every branch boundary. */
class HumanDurationTest {
    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        // clock skew: up to (but excluding) 2s in the future is "now"
        "-2000, <invalid>",
        "-1999, 0s",
        "-1000, 0s",
        "0, 0s",
        "999, 0s",
        "1000, 1s",
        "70000, 70s",
        "119999, 119s",
        // minutes with seconds below ten minutes
        "120000, 2m",
        "121000, 2m1s",
        "190000, 3m10s",
        "309000, 5m9s",
        "599999, 9m59s",
        "600000, 10m",
        "601000, 10m",
        "4200000, 70m",
        "10799999, 179m",
        // hours with minutes below eight hours
        "10800000, 3h",
        "10860000, 3h1m",
        "28799999, 7h59m",
        "28800000, 8h",
        "32340000, 8h",
        "169200000, 47h",
        "172799999, 47h",
        // days with hours below eight days
        "172800000, 2d",
        "176400000, 2d1h",
        "198000000, 2d7h",
        "691199999, 7d23h",
        "691200000, 8d",
        "774000000, 8d",
        "31708800000, 367d",
        "63071999999, 729d",
        // years with days below eight years
        "63072000000, 2y",
        "63154800000, 2y",
        "63158399999, 2y",
        "63158400000, 2y1d",
        "94608000000, 3y",
        "252287999999, 7y364d",
        "252288000000, 8y",
        "283824000000, 9y",
    })
    void matchesUpstream(long millis, String expected) {
        assertEquals(expected, Tables.humanDuration(Duration.ofMillis(millis)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "PT49H, 2d1h",
        "PT194H, 8d",
        "PT17545H, 2y1d",
        "PT70082H, 8y",
        // Go's time.Duration saturates at about 292 years
        "PT20000000H, 292y",
    })
    void upstreamExamples(String iso, String expected) {
        assertEquals(expected, Tables.humanDuration(Duration.parse(iso)));
    }
}
