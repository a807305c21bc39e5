package dev.okube.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespace labels to policy, as upstream's PolicyToEvaluate; levels and versions parsing. */
class PolicyTest {
    private static final Policy DEFAULTS = Configuration.DEFAULT.defaults();

    private static LevelVersion lv(String level, String version) {
        return new LevelVersion(Level.parse(level), Version.parse(version));
    }

    @Test
    void versionsParseAndCompareAsUpstream() {
        assertEquals(Version.of(1, 0), Version.parse("v1.0"));
        assertEquals(Version.of(1, 25), Version.parse("v1.25"));
        assertEquals(Version.LATEST, Version.parse("latest"));
        assertEquals("v1.25", Version.parse("v1.25").toString());
        for (String bad : new String[] {"", "1.25", "v1.025", "v2.0", "v1.", "v1.x", "Latest", "v1.99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Version.parse(bad), bad);
            assertEquals("must be \"latest\" or \"v1.x\"", e.getMessage());
        }
        assertTrue(Version.of(1, 9).olderThan(Version.of(1, 10)));
        assertTrue(Version.of(1, 99).olderThan(Version.LATEST));
        assertFalse(Version.LATEST.olderThan(Version.of(1, 99)));
        assertFalse(Version.LATEST.olderThan(Version.LATEST));
    }

    @Test
    void levelsParse() {
        assertEquals(Level.BASELINE, Level.parse("baseline"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Level.parse("Baseline"));
        assertEquals("must be one of privileged, baseline, restricted", e.getMessage());
        assertEquals("restricted:v1.24", lv("restricted", "v1.24").toString());
    }

    @Test
    void noLabelsMeansDefaults() {
        Policy.Evaluated p = Policy.toEvaluate(Map.of(), DEFAULTS);
        assertTrue(p.valid());
        assertEquals(DEFAULTS, p.policy());
        assertTrue(p.policy().fullyPrivileged());
        Policy.Evaluated other = Policy.toEvaluate(Map.of("team", "a"), DEFAULTS);
        assertEquals(DEFAULTS, other.policy());
    }

    @Test
    void eachModeFromItsLabels() {
        Policy.Evaluated p = Policy.toEvaluate(Map.of(Policy.ENFORCE, "baseline", Policy.ENFORCE_VERSION, "v1.24",
                Policy.AUDIT, "restricted", Policy.WARN, "restricted", Policy.WARN_VERSION, "v1.30"), DEFAULTS);
        assertTrue(p.valid());
        assertEquals(new Policy(lv("baseline", "v1.24"), lv("restricted", "latest"), lv("restricted", "v1.30")), p.policy());
    }

    @Test
    void warnFollowsAStricterEnforceLevelUnlessLabelled() {
        Policy p = Policy.toEvaluate(Map.of(Policy.ENFORCE, "restricted", Policy.ENFORCE_VERSION, "v1.25"),
                DEFAULTS).policy();
        assertEquals(lv("restricted", "v1.25"), p.warn(), "warn takes enforce's level and version");
        assertEquals(lv("privileged", "latest"), p.audit(), "audit does not follow");
        Policy ownVersion = Policy.toEvaluate(Map.of(Policy.ENFORCE, "baseline", Policy.WARN_VERSION, "v1.20"),
                DEFAULTS).policy();
        assertEquals(lv("baseline", "v1.20"), ownVersion.warn());
        Policy ownLevel = Policy.toEvaluate(Map.of(Policy.ENFORCE, "restricted", Policy.WARN, "privileged"),
                DEFAULTS).policy();
        assertEquals(lv("privileged", "latest"), ownLevel.warn());
        Policy versionOnly = Policy.toEvaluate(Map.of(Policy.ENFORCE_VERSION, "v1.22"),
                new Policy(lv("baseline", "latest"), lv("privileged", "latest"), lv("privileged", "latest"))).policy();
        assertEquals(lv("privileged", "latest"), versionOnly.warn(), "only an explicit enforce level carries over");
    }

    @Test
    void invalidLabelsFailClosedForEnforceAndOpenForAuditAndWarn() {
        Policy.Evaluated p = Policy.toEvaluate(Map.of(Policy.ENFORCE, "strict", Policy.AUDIT, "x", Policy.WARN, "y",
                Policy.AUDIT_VERSION, "1.2"), new Policy(lv("baseline", "v1.10"), lv("baseline", "latest"),
                lv("baseline", "latest")));
        assertFalse(p.valid());
        assertEquals(lv("restricted", "v1.10"), p.policy().enforce());
        assertEquals(lv("privileged", "latest"), p.policy().audit());
        assertEquals(lv("privileged", "latest"), p.policy().warn(), "an invalid enforce label does not default warn");
        assertEquals(4, p.errors().size());
        assertEquals("metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of "
                + "privileged, baseline, restricted", p.errors().get(0).toString());
    }

    @Test
    void invalidVersionIsLatest() {
        Policy.Evaluated p = Policy.toEvaluate(Map.of(Policy.ENFORCE, "baseline", Policy.ENFORCE_VERSION, "v2"),
                DEFAULTS);
        assertEquals(lv("baseline", "latest"), p.policy().enforce());
        assertEquals("metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: \"v2\": must be "
                + "\"latest\" or \"v1.x\"", p.errorText());
    }

    @Test
    void severalErrorsAreBracketed() {
        Policy.Evaluated p = Policy.toEvaluate(Map.of(Policy.ENFORCE, "a", Policy.WARN, "b"), DEFAULTS);
        assertEquals("[metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"a\": must be one of "
                + "privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "
                + "\"b\": must be one of privileged, baseline, restricted]", p.errorText());
    }

    @Test
    void equivalence() {
        assertTrue(lv("privileged", "v1.0").equivalent(lv("privileged", "latest")));
        assertFalse(lv("baseline", "v1.0").equivalent(lv("baseline", "latest")));
        assertTrue(lv("baseline", "v1.0").equivalent(lv("baseline", "v1.0")));
    }

    @Test
    void goQuoting() {
        assertEquals("\"a\\\"b\\\\c\\n\\x01\\x7f é\"", GoText.quote("a\"b\\c\n\u0001\u007f é"));
    }
}
