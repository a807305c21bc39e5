package dev.okube.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugin's settings from ConfigAdmin, validated as upstream validates its configuration. */
class ConfigurationTest {
    private static final String[] NONE = {};

    @Test
    void upstreamDefaultsArePrivilegedLatest() {
        Configuration c = Configuration.parse("privileged", "latest", "privileged", "latest", "privileged", "latest",
                NONE, NONE, NONE, "");
        assertEquals(Configuration.DEFAULT, c);
        assertTrue(c.defaults().fullyPrivileged());
        assertNull(c.emulation());
    }

    @Test
    void levelsVersionsAndExemptions() {
        Configuration c = Configuration.parse("baseline", "v1.30", "restricted", "latest", " restricted ", "v1.29",
                new String[] {"system:serviceaccount:kube-system:replicaset-controller, alice"},
                new String[] {"kube-system", "monitoring"}, new String[] {"kata,gvisor.io"}, "v1.33");
        assertEquals(new LevelVersion(Level.BASELINE, Version.of(1, 30)), c.defaults().enforce());
        assertEquals(new LevelVersion(Level.RESTRICTED, Version.LATEST), c.defaults().audit());
        assertEquals(new LevelVersion(Level.RESTRICTED, Version.of(1, 29)), c.defaults().warn());
        assertEquals(Set.of("system:serviceaccount:kube-system:replicaset-controller", "alice"), c.usernames());
        assertEquals(Set.of("kube-system", "monitoring"), c.namespaces());
        assertEquals(Set.of("kata", "gvisor.io"), c.runtimeClasses());
        assertEquals(Version.of(1, 33), c.emulation());
        assertTrue(c.exemptUser("alice"));
        assertFalse(c.exemptUser(""));
        assertTrue(c.exemptNamespace("monitoring"));
        assertFalse(c.exemptNamespace("default"));
        assertTrue(c.exemptRuntimeClass("gvisor.io"));
        assertFalse(c.exemptRuntimeClass(""));
    }

    @Test
    void everyInvalidFieldIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configuration.parse("strict",
                "1.30", "baseline", "latest", "baseline", "latest", new String[] {"bob", "bob"},
                new String[] {"Kube_System"}, new String[] {"-bad"}, "v2"));
        assertEquals("PodSecurity invalid: defaults.enforce: Invalid value: \"strict\": must be one of privileged, "
                + "baseline, restricted, defaults.enforce-version: Invalid value: \"1.30\": must be \"latest\" or "
                + "\"v1.x\", exemptions.namespaces[0]: Invalid value: \"Kube_System\": a lowercase RFC 1123 label must "
                + "consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
                + "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?'), exemptions.runtimeClasses[0]: Invalid value: \"-bad\": a lowercase "
                + "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
                + "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), exemptions.usernames[1]: "
                + "Duplicate value: \"bob\", emulation-version: Invalid value: \"v2\": must be \"latest\" or \"v1.x\"",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Configuration.parse("", "latest", "privileged", "latest",
                "privileged", "latest", NONE, NONE, NONE, ""));
        assertThrows(IllegalArgumentException.class, () -> Configuration.parse("privileged", "latest", "privileged",
                "latest", "privileged", "latest", NONE, new String[] {"a".repeat(64)}, NONE, ""));
    }
}
