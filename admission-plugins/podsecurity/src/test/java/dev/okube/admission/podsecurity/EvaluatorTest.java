package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.TestPods.meta;
import static dev.okube.admission.podsecurity.TestPods.pod;
import static dev.okube.admission.podsecurity.TestPods.restrictedPod;
import static dev.okube.admission.podsecurity.TestPods.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.admission.podsecurity.Check.Versioned;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Which checks run at which level and version, in which order. */
class EvaluatorTest {
    private final Evaluator evaluator = new Evaluator(Evaluator.defaultChecks());

    private CheckResult.Aggregate eval(String level, String version, JsonNode pod) {
        return evaluator.aggregate(new LevelVersion(Level.parse(level), Version.parse(version)), meta(pod), spec(pod));
    }

    private static final JsonNode BARE = pod("{'containers':[{'name':'c','image':'nginx'}]}");

    @Test
    void newestTableIsV137AndLatestUsesIt() {
        assertEquals(Version.of(1, 37), evaluator.maxVersion());
        JsonNode lowat = pod("{'securityContext':{'sysctls':[{'name':'net.ipv4.tcp_notsent_lowat','value':'1'}]}}");
        assertTrue(eval("baseline", "latest", lowat).allowed());
        assertTrue(eval("baseline", "v1.37", lowat).allowed());
        assertTrue(eval("baseline", "v1.99", lowat).allowed(), "versions beyond the newest evaluate as the newest");
        assertEquals(List.of("forbidden sysctls"), eval("baseline", "v1.36", lowat).reasons());
    }

    @Test
    void privilegedRunsNothing() {
        JsonNode pod = pod("{'hostNetwork':true,'containers':[{'name':'c','securityContext':{'privileged':true}}]}");
        assertTrue(evaluator.evaluate(new LevelVersion(Level.PRIVILEGED, Version.LATEST), meta(pod), spec(pod)).isEmpty());
    }

    @Test
    void restrictedLatestMessageInUpstreamOrder() {
        assertEquals("allowPrivilegeEscalation != false (container \"c\" must set "
                + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"c\" must set "
                + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"c\" must set "
                + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\" must set "
                + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
                eval("restricted", "latest", BARE).detailText());
        assertTrue(eval("baseline", "latest", BARE).allowed());
        assertTrue(eval("restricted", "latest", restrictedPod("ok")).allowed());
    }

    @Test
    void baselineChecksComeBeforeRestrictedOnesSortedById() {
        JsonNode pod = pod("{'hostNetwork':true,'volumes':[{'name':'h','hostPath':{'path':'/'}}],'containers':"
                + "[{'name':'c','securityContext':{'privileged':true,'runAsUser':0}}]}");
        assertEquals(List.of("host namespaces", "privileged", "allowPrivilegeEscalation != false",
                "unrestricted capabilities", "restricted volume types", "runAsNonRoot != true", "runAsUser=0",
                "seccompProfile"), eval("restricted", "latest", pod).reasons());
        assertEquals(List.of("host namespaces", "hostPath volumes", "privileged"), eval("baseline", "latest", pod).reasons());
    }

    @Test
    void restrictedCapabilitiesOnlyFrom122BaselineCapabilitiesBefore() {
        JsonNode netRaw = pod("{'securityContext':{'runAsNonRoot':true,'seccompProfile':{'type':'RuntimeDefault'}},"
                + "'containers':[{'name':'c','securityContext':{'allowPrivilegeEscalation':false,"
                + "'capabilities':{'add':['NET_RAW']}}}]}");
        assertEquals(List.of("non-default capabilities"), eval("restricted", "v1.21", netRaw).reasons());
        assertEquals(List.of("unrestricted capabilities"), eval("restricted", "v1.22", netRaw).reasons());
        assertEquals("unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]; "
                + "container \"c\" must not include \"NET_RAW\" in securityContext.capabilities.add)",
                eval("restricted", "latest", netRaw).detailText());
        JsonNode noDrop = pod("{'securityContext':{'runAsNonRoot':true,'seccompProfile':{'type':'RuntimeDefault'}},"
                + "'containers':[{'name':'c','securityContext':{'allowPrivilegeEscalation':false}}]}");
        assertTrue(eval("restricted", "v1.21", noDrop).allowed(), "before 1.22 restricted did not require drop ALL");
        assertEquals(List.of("unrestricted capabilities"), eval("restricted", "v1.22", noDrop).reasons());
    }

    @Test
    void restrictedSeccompFrom119AnnotationsBefore() {
        JsonNode unset = pod("{'securityContext':{'runAsNonRoot':true},'containers':[{'name':'c',"
                + "'securityContext':{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}}]}");
        assertTrue(eval("restricted", "v1.18", unset).allowed(), "restricted required no seccomp before 1.19");
        assertEquals(List.of("seccompProfile"), eval("restricted", "v1.19", unset).reasons());
        JsonNode annotated = pod("{'name':'p','annotations':{'seccomp.security.alpha.kubernetes.io/pod':'unconfined'}}",
                "{'containers':[{'name':'c'}]}");
        assertEquals("seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")",
                eval("baseline", "v1.18", annotated).detailText());
        assertTrue(eval("baseline", "v1.19", annotated).allowed(), "from 1.19 only the field counts");
        JsonNode field = pod("{'securityContext':{'seccompProfile':{'type':'Unconfined'}},'containers':[{'name':'c'}]}");
        assertTrue(eval("baseline", "v1.18", field).allowed());
        assertEquals(List.of("seccompProfile"), eval("baseline", "v1.19", field).reasons());
    }

    @Test
    void allowPrivilegeEscalationFrom18RunAsUserFrom123() {
        JsonNode pod = pod("{'securityContext':{'runAsNonRoot':true,'runAsUser':0},'containers':[{'name':'c'}]}");
        assertTrue(eval("restricted", "v1.7", pod).allowed());
        assertEquals(List.of("allowPrivilegeEscalation != false"), eval("restricted", "v1.8", pod).reasons());
        assertEquals(List.of("allowPrivilegeEscalation != false", "seccompProfile"), eval("restricted", "v1.22", pod).reasons()
                .stream().filter(r -> !r.equals("unrestricted capabilities")).toList());
        assertTrue(eval("restricted", "v1.23", pod).reasons().contains("runAsUser=0"));
        assertTrue(!eval("restricted", "v1.22", pod).reasons().contains("runAsUser=0"));
    }

    @Test
    void windowsPodsExemptFromLinuxOnlyRestrictedChecksFrom125() {
        JsonNode windows = pod("{'os':{'name':'windows'},'securityContext':{'runAsNonRoot':true},"
                + "'containers':[{'name':'c'}]}");
        assertEquals(List.of("allowPrivilegeEscalation != false", "unrestricted capabilities", "seccompProfile"),
                eval("restricted", "v1.24", windows).reasons());
        assertTrue(eval("restricted", "v1.25", windows).allowed());
        JsonNode linux = pod("{'os':{'name':'linux'},'securityContext':{'runAsNonRoot':true},'containers':[{'name':'c'}]}");
        assertEquals(3, eval("restricted", "latest", linux).reasons().size());
    }

    @Test
    void userNamespacesRelaxRunAsAndProcMountFrom135() {
        JsonNode userNs = pod("{'hostUsers':false,'securityContext':{'runAsUser':0,"
                + "'seccompProfile':{'type':'RuntimeDefault'}},'containers':[{'name':'c','securityContext':"
                + "{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']},'procMount':'Unmasked'}}]}");
        assertEquals(List.of("procMount", "runAsNonRoot != true", "runAsUser=0"), eval("restricted", "v1.34", userNs).reasons());
        // 1.35: baseline lets a user-namespaced pod unmask /proc; restricted still forbids it (its own check).
        assertEquals(List.of("procMount"), eval("restricted", "v1.35", userNs).reasons());
        assertTrue(eval("baseline", "v1.35", userNs).allowed());
        assertEquals(List.of("procMount"), eval("baseline", "v1.34", userNs).reasons());
        JsonNode hostUsers = pod("{'containers':[{'name':'c','securityContext':{'procMount':'Unmasked'}}]}");
        assertEquals(List.of("procMount"), eval("baseline", "latest", hostUsers).reasons());
    }

    @Test
    void probeHostsFrom134AndSeLinuxEngineTypeFrom131() {
        JsonNode probe = pod("{'containers':[{'name':'c','livenessProbe':{'httpGet':{'port':1,'host':'example.com'}}}]}");
        assertTrue(eval("baseline", "v1.33", probe).allowed());
        assertEquals(List.of("probe or lifecycle host"), eval("baseline", "v1.34", probe).reasons());
        JsonNode engine = pod("{'securityContext':{'seLinuxOptions':{'type':'container_engine_t'}}}");
        assertEquals(List.of("seLinuxOptions"), eval("baseline", "v1.30", engine).reasons());
        assertTrue(eval("baseline", "v1.31", engine).allowed());
    }

    @Test
    void emulationVersionCapsLatest() {
        Evaluator emulating = new Evaluator(Evaluator.defaultChecks(), Version.of(1, 33));
        JsonNode probe = pod("{'containers':[{'name':'c','livenessProbe':{'httpGet':{'port':1,'host':'example.com'}}}]}");
        LevelVersion latest = new LevelVersion(Level.BASELINE, Version.LATEST);
        assertTrue(emulating.aggregate(latest, meta(probe), spec(probe)).allowed());
        assertTrue(emulating.aggregate(new LevelVersion(Level.BASELINE, Version.of(1, 34)), meta(probe), spec(probe))
                .allowed(), "a version newer than the emulated one evaluates as the emulated one");
        assertEquals(Version.of(1, 37), new Evaluator(Evaluator.defaultChecks(), Version.of(1, 40)).maxVersion());
    }

    @Test
    void checkDefinitionsAreValidated() {
        Check.PodCheck ok = (m, s) -> CheckResult.ALLOWED;
        assertThrows(IllegalArgumentException.class, () -> new Check("x", Level.PRIVILEGED,
                List.of(new Versioned(Version.of(1, 0), ok))));
        assertThrows(IllegalArgumentException.class, () -> new Check("x", Level.BASELINE, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Check("x", Level.BASELINE,
                List.of(new Versioned(Version.of(1, 2), ok), new Versioned(Version.of(1, 2), ok))));
        assertThrows(IllegalArgumentException.class, () -> new Check("x", Level.BASELINE,
                List.of(new Versioned(Version.LATEST, ok))));
        assertThrows(IllegalArgumentException.class, () -> new Check("x", Level.BASELINE,
                List.of(new Versioned(Version.of(1, 0), ok, List.of("y")))));
        Check a = new Check("a", Level.RESTRICTED, List.of(new Versioned(Version.of(1, 0), ok, List.of("b"))));
        Check b = new Check("b", Level.RESTRICTED, List.of(new Versioned(Version.of(1, 0), ok)));
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(List.of(a, b)),
                "a restricted check may override only baseline checks");
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(List.of(b, b)));
    }

    @Test
    void everyDefaultCheckIsRegisteredOnce() {
        List<String> ids = Evaluator.defaultChecks().stream().map(Check::id).sorted().toList();
        assertEquals(List.of("allowPrivilegeEscalation", "appArmorProfile", "capabilities_baseline",
                "capabilities_restricted", "hostNamespaces", "hostPathVolumes", "hostPorts",
                "hostProbesAndHostLifecycle", "privileged", "procMount", "procMount_restricted", "restrictedVolumes",
                "runAsNonRoot", "runAsUser", "seLinuxOptions", "seccompProfile_baseline", "seccompProfile_restricted",
                "sysctls", "windowsHostProcess"), ids);
        // v1.0 restricted: every baseline check but the overridden hostPath one, plus volumes and runAsNonRoot.
        JsonNode hostPath = pod("{'volumes':[{'name':'h','hostPath':{'path':'/'}}],'securityContext':"
                + "{'runAsNonRoot':true},'containers':[{'name':'c'}]}");
        assertEquals(List.of("restricted volume types"), eval("restricted", "v1.0", hostPath).reasons());
    }
}
