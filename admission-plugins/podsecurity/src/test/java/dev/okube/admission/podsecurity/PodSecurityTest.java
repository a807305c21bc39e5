package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.TestPods.pod;
import static dev.okube.admission.podsecurity.TestPods.restrictedPod;
import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.admission.podsecurity.PodSecurity.Decision;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Admission;
import dev.okube.testkit.InMemoryClusterResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** PodSecurity's decisions for pods, pod controllers and namespaces, against in-memory namespaces and pods. */
class PodSecurityTest {
    private static final ResourceType NAMESPACES = ResourceType.core("namespaces");
    private static final ResourceType PODS = ResourceType.core("pods");
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of("system:authenticated"), Map.of());

    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private final AtomicLong clock = new AtomicLong();

    private PodSecurity plugin(Configuration config) {
        NamespaceLookup lookup = new NamespaceLookup(cluster, Duration.ZERO);
        return new PodSecurity(config, new Evaluator(Evaluator.defaultChecks(), config.emulation()), lookup,
                ns -> cluster.list(PODS, ns), clock::get);
    }

    private PodSecurity plugin() {
        return plugin(Configuration.DEFAULT);
    }

    private void namespace(String name, String... labels) {
        cluster.put(NAMESPACES, namespaceObject(name, labels));
    }

    private static ObjectNode namespaceObject(String name, String... labels) {
        ObjectNode ns = json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + name + "'}}");
        ObjectNode l = ns.withObjectProperty("metadata").putObject("labels");
        for (int i = 0; i < labels.length; i += 2) {
            l.put(Policy.PREFIX + labels[i], labels[i + 1]);
        }
        return ns;
    }

    private static AdmissionRequest createPod(String namespace, ObjectNode pod, UserInfo user) {
        pod.withObjectProperty("metadata").put("namespace", namespace);
        return Admission.create("", "v1", "pods", "Pod", pod, user);
    }

    private static AdmissionRequest createPod(String namespace, ObjectNode pod) {
        return createPod(namespace, pod, ALICE);
    }

    private static ObjectNode privilegedPod(String name) {
        return pod("{'name':'" + name + "'}", "{'containers':[{'name':'c','image':'nginx',"
                + "'securityContext':{'privileged':true}}]}");
    }

    private static ObjectNode hostNetworkPod(String name) {
        return pod("{'name':'" + name + "'}", "{'hostNetwork':true,'containers':[{'name':'c','image':'nginx'}]}");
    }

    // --- enforce

    @Test
    void enforceRestrictedDeniesWithUpstreamMessage() {
        namespace("ns", "enforce", "restricted");
        AdmissionResponse r = plugin().validate(createPod("ns",
                pod("{'name':'x'}", "{'containers':[{'name':'c','image':'nginx'}]}"))).response();
        assertFalse(r.allowed());
        assertEquals(403, r.code());
        assertEquals("Forbidden", r.reason());
        assertEquals("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation "
                + "!= false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), unrestricted "
                + "capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != "
                + "true (pod or container \"c\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or "
                + "container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
                r.message());
        assertTrue(r.warnings().isEmpty(), "a denied request carries no warnings");
    }

    @Test
    void enforceAcceptsACompliantPodWithoutWarnings() {
        namespace("ns", "enforce", "restricted");
        Decision d = plugin().validate(createPod("ns", restrictedPod("ok")));
        assertTrue(d.response().allowed());
        assertTrue(d.response().warnings().isEmpty());
        assertEquals("restricted:latest", d.auditAnnotations().get(PodSecurity.ENFORCE_POLICY));
    }

    @Test
    void enforceBaselineAtAVersion() {
        namespace("ns", "enforce", "baseline", "enforce-version", "v1.24");
        AdmissionResponse r = plugin().validate(createPod("ns", privilegedPod("priv"))).response();
        assertEquals("pods \"priv\" is forbidden: violates PodSecurity \"baseline:v1.24\": privileged (container \"c\" "
                + "must not set securityContext.privileged=true)", r.message());
        assertTrue(plugin().validate(createPod("ns", pod("{'name':'plain'}",
                "{'containers':[{'name':'c','image':'nginx'}]}"))).response().allowed());
    }

    @Test
    void podWithoutANameIsForbiddenWithoutOne() {
        namespace("ns", "enforce", "baseline");
        ObjectNode pod = pod("{'generateName':'web-'}", "{'hostPID':true,'containers':[{'name':'c'}]}");
        assertEquals("pods is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostPID=true)",
                plugin().validate(createPod("ns", pod)).response().message());
    }

    @Test
    void invalidEnforceLabelEnforcesRestrictedAndRecordsTheError() {
        namespace("ns", "enforce", "bogus");
        Decision d = plugin().validate(createPod("ns", pod("{'name':'x'}", "{'containers':[{'name':'c'}]}")));
        assertFalse(d.response().allowed());
        assertTrue(d.response().message().startsWith("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\""));
        assertEquals("Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
                + "\"bogus\": must be one of privileged, baseline, restricted", d.auditAnnotations().get(PodSecurity.ERROR));
    }

    @Test
    void missingNamespaceIsAnInternalError() {
        AdmissionResponse r = plugin().validate(createPod("nowhere", restrictedPod("p"))).response();
        assertEquals(500, r.code());
        assertEquals("InternalError", r.reason());
        assertEquals("Internal error occurred: failed to lookup namespace \"nowhere\"", r.message());
    }

    // --- warn and audit

    @Test
    void warnBaselineWarnsButAllows() {
        namespace("ns", "warn", "baseline");
        AdmissionResponse r = plugin().validate(createPod("ns", hostNetworkPod("h"))).response();
        assertTrue(r.allowed());
        assertEquals(List.of("would violate PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)"),
                r.warnings());
    }

    @Test
    void enforceRestrictedAlsoWarnsWhenAllowedAtAnotherVersion() {
        // enforce at v1.18 (no seccomp requirement yet), warn follows enforce; audit at latest records seccomp.
        namespace("ns", "enforce", "restricted", "enforce-version", "v1.18", "audit", "restricted");
        ObjectNode pod = pod("{'name':'p'}", "{'securityContext':{'runAsNonRoot':true},'containers':[{'name':'c',"
                + "'securityContext':{'allowPrivilegeEscalation':false}}]}");
        Decision d = plugin().validate(createPod("ns", pod));
        assertTrue(d.response().allowed());
        assertTrue(d.response().warnings().isEmpty(), "warn is restricted:v1.18 like enforce, which passes");
        assertEquals("would violate PodSecurity \"restricted:latest\": unrestricted capabilities (container \"c\" must "
                + "set securityContext.capabilities.drop=[\"ALL\"]), seccompProfile (pod or container \"c\" must set "
                + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
                d.auditAnnotations().get(PodSecurity.AUDIT_VIOLATIONS));
    }

    @Test
    void auditRecordsViolationsWithoutWarningOrDenying() {
        namespace("ns", "audit", "baseline");
        Decision d = plugin().validate(createPod("ns", privilegedPod("p")));
        assertTrue(d.response().allowed());
        assertTrue(d.response().warnings().isEmpty());
        assertEquals("would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set "
                + "securityContext.privileged=true)", d.auditAnnotations().get(PodSecurity.AUDIT_VIOLATIONS));
    }

    @Test
    void defaultsApplyToUnlabelledNamespaces() {
        namespace("plain");
        Configuration config = new Configuration(new Policy(new LevelVersion(Level.BASELINE, Version.LATEST),
                LevelVersion.PRIVILEGED_LATEST, new LevelVersion(Level.RESTRICTED, Version.LATEST)), Set.of(), Set.of(),
                Set.of(), null);
        PodSecurity p = plugin(config);
        assertFalse(p.validate(createPod("plain", privilegedPod("p"))).response().allowed());
        AdmissionResponse warned = p.validate(createPod("plain", pod("{'name':'w'}",
                "{'containers':[{'name':'c','image':'x'}]}"))).response();
        assertTrue(warned.allowed());
        assertEquals(1, warned.warnings().size());
        assertTrue(warned.warnings().get(0).startsWith("would violate PodSecurity \"restricted:latest\": "));
        // A label overrides the default.
        namespace("open", "enforce", "privileged", "warn", "privileged");
        assertTrue(p.validate(createPod("open", privilegedPod("p"))).response().allowed());
    }

    // --- exemptions

    @Test
    void exemptUsersNamespacesAndRuntimeClasses() {
        namespace("ns", "enforce", "restricted");
        namespace("kube-system", "enforce", "restricted");
        Configuration config = new Configuration(Configuration.DEFAULT.defaults(), Set.of("system:serviceaccount:a:b"),
                Set.of("kube-system"), Set.of("kata"), null);
        PodSecurity p = plugin(config);
        UserInfo exempt = new UserInfo("system:serviceaccount:a:b", "", List.of(), Map.of());
        Decision byUser = p.validate(createPod("ns", privilegedPod("p"), exempt));
        assertTrue(byUser.response().allowed());
        assertEquals("user", byUser.auditAnnotations().get(PodSecurity.EXEMPT));
        Decision byNamespace = p.validate(createPod("kube-system", privilegedPod("p")));
        assertTrue(byNamespace.response().allowed());
        assertEquals("namespace", byNamespace.auditAnnotations().get(PodSecurity.EXEMPT));
        ObjectNode kata = privilegedPod("k");
        kata.withObjectProperty("spec").put("runtimeClassName", "kata");
        Decision byRuntimeClass = p.validate(createPod("ns", kata));
        assertTrue(byRuntimeClass.response().allowed());
        assertEquals("runtimeClass", byRuntimeClass.auditAnnotations().get(PodSecurity.EXEMPT));
        ObjectNode runc = privilegedPod("r");
        runc.withObjectProperty("spec").put("runtimeClassName", "runc");
        assertFalse(p.validate(createPod("ns", runc)).response().allowed());
        assertFalse(p.validate(createPod("ns", privilegedPod("p"))).response().allowed());
    }

    // --- updates, subresources, operations

    @Test
    void podUpdatesAreEvaluatedOnlyWhenAnImageOrContainerChanges() {
        namespace("ns", "enforce", "baseline");
        ObjectNode old = privilegedPod("p");
        old.withObjectProperty("metadata").put("namespace", "ns");
        ObjectNode labelled = old.deepCopy();
        labelled.withObjectProperty("metadata").putObject("labels").put("a", "b");
        PodSecurity p = plugin();
        assertTrue(p.validate(Admission.update("", "v1", "pods", "Pod", labelled, old, ALICE)).response().allowed(),
                "an update that changes no image is allowed even for a violating pod");
        ObjectNode newImage = old.deepCopy();
        ((ObjectNode) newImage.path("spec").path("containers").get(0)).put("image", "nginx:2");
        assertFalse(p.validate(Admission.update("", "v1", "pods", "Pod", newImage, old, ALICE)).response().allowed());
        ObjectNode ephemeral = old.deepCopy();
        ephemeral.withObjectProperty("spec").putArray("ephemeralContainers")
                .add(json("{'name':'debug','image':'busybox'}"));
        assertTrue(PodSecurity.significantUpdate(ephemeral, old), "an added ephemeral container is evaluated");
        assertFalse(PodSecurity.significantUpdate(ephemeral, ephemeral));
        ObjectNode moreContainers = old.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) moreContainers.path("spec").path("containers"))
                .add(json("{'name':'d','image':'x'}"));
        assertTrue(PodSecurity.significantUpdate(moreContainers, old));
    }

    @Test
    void ignoredSubresourcesAndOperations() {
        namespace("ns", "enforce", "restricted");
        ObjectNode pod = privilegedPod("p");
        pod.withObjectProperty("metadata").put("namespace", "ns");
        PodSecurity p = plugin();
        for (String sub : new String[] {"status", "binding", "eviction", "exec", "attach", "log", "portforward", "proxy"}) {
            assertTrue(p.validate(new AdmissionRequest(Operation.CREATE, "", "v1", "Pod", "pods", sub, "ns", "p", pod,
                    null, ALICE, false)).response().allowed(), sub);
        }
        assertFalse(p.validate(new AdmissionRequest(Operation.UPDATE, "", "v1", "Pod", "pods", "ephemeralcontainers",
                "ns", "p", pod, json("{'spec':{'containers':[]}}"), ALICE, false)).response().allowed(),
                "other pod subresources are evaluated (fail safe)");
        assertTrue(p.validate(new AdmissionRequest(Operation.DELETE, "", "v1", "Pod", "pods", "", "ns", "p", null,
                pod, ALICE, false)).response().allowed());
        assertTrue(p.validate(Admission.create("", "v1", "configmaps", "ConfigMap",
                json("{'metadata':{'name':'c','namespace':'ns'}}"), ALICE)).response().allowed());
    }

    // --- pod controllers: warn and audit only

    private static final String[][] CONTROLLERS = {
        {"apps", "deployments", "Deployment", "spec.template"},
        {"apps", "replicasets", "ReplicaSet", "spec.template"},
        {"apps", "statefulsets", "StatefulSet", "spec.template"},
        {"apps", "daemonsets", "DaemonSet", "spec.template"},
        {"batch", "jobs", "Job", "spec.template"},
        {"batch", "cronjobs", "CronJob", "spec.jobTemplate.spec.template"},
        {"", "replicationcontrollers", "ReplicationController", "spec.template"},
        {"", "podtemplates", "PodTemplate", "template"},
    };

    private static ObjectNode controller(String kind, String templatePath, ObjectNode template) {
        ObjectNode object = json("{'kind':'" + kind + "','metadata':{'name':'w','namespace':'ns'}}");
        ObjectNode at = object;
        String[] parts = templatePath.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.withObjectProperty(parts[i]);
        }
        at.set(parts[parts.length - 1], template);
        return object;
    }

    @Test
    void templatesOfEveryControllerAreWarnedNeverEnforced() {
        namespace("ns", "enforce", "restricted", "warn", "baseline", "audit", "restricted");
        PodSecurity p = plugin();
        ObjectNode template = json("{'metadata':{'labels':{'app':'w'}},'spec':{'hostNetwork':true,"
                + "'containers':[{'name':'c','image':'nginx'}]}}");
        for (String[] c : CONTROLLERS) {
            Decision d = p.validate(Admission.create(c[0], "v1", c[1], c[2], controller(c[2], c[3], template), ALICE));
            assertTrue(d.response().allowed(), c[1] + " is never denied");
            assertEquals(List.of("would violate PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)"),
                    d.response().warnings(), c[1]);
            assertTrue(d.auditAnnotations().get(PodSecurity.AUDIT_VIOLATIONS)
                    .startsWith("would violate PodSecurity \"restricted:latest\": host namespaces (hostNetwork=true), "),
                    c[1]);
            assertFalse(d.auditAnnotations().containsKey(PodSecurity.ENFORCE_POLICY), c[1]);
        }
    }

    @Test
    void controllersSkipSubresourcesPrivilegedNamespacesAndMissingTemplates() {
        namespace("ns", "warn", "baseline");
        namespace("open", "enforce", "restricted");
        PodSecurity p = plugin();
        ObjectNode deployment = controller("Deployment", "spec.template",
                json("{'spec':{'hostPID':true,'containers':[{'name':'c'}]}}"));
        assertTrue(p.validate(new AdmissionRequest(Operation.UPDATE, "apps", "v1", "Deployment", "deployments", "scale",
                "ns", "w", deployment, deployment, ALICE, false)).response().warnings().isEmpty());
        // enforce=restricted makes warn restricted too, so templates in "open" are warned.
        deployment.withObjectProperty("metadata").put("namespace", "open");
        assertEquals(1, p.validate(Admission.create("apps", "v1", "deployments", "Deployment", deployment, ALICE))
                .response().warnings().size());
        namespace("quiet", "enforce", "restricted", "warn", "privileged");
        deployment.withObjectProperty("metadata").put("namespace", "quiet");
        assertTrue(p.validate(Admission.create("apps", "v1", "deployments", "Deployment", deployment, ALICE))
                .response().warnings().isEmpty());
        ObjectNode rc = json("{'kind':'ReplicationController','metadata':{'name':'r','namespace':'ns'},'spec':{}}");
        Decision noTemplate = p.validate(Admission.create("", "v1", "replicationcontrollers", "ReplicationController",
                rc, ALICE));
        assertTrue(noTemplate.response().allowed());
        assertTrue(noTemplate.response().warnings().isEmpty());
        // A missing namespace does not block a controller; it is recorded.
        ObjectNode elsewhere = controller("Deployment", "spec.template", json("{'spec':{'containers':[]}}"));
        elsewhere.withObjectProperty("metadata").put("namespace", "gone");
        Decision missing = p.validate(Admission.create("apps", "v1", "deployments", "Deployment", elsewhere, ALICE));
        assertTrue(missing.response().allowed());
        assertEquals("failed to lookup namespace \"gone\": not found", missing.auditAnnotations().get(PodSecurity.ERROR));
    }

    // --- namespaces

    private static AdmissionRequest createNamespace(ObjectNode ns) {
        return new AdmissionRequest(Operation.CREATE, "", "v1", "Namespace", "namespaces", "", "",
                ns.path("metadata").path("name").asString(), ns, null, ALICE, false);
    }

    private static AdmissionRequest updateNamespace(ObjectNode ns, ObjectNode old) {
        return new AdmissionRequest(Operation.UPDATE, "", "v1", "Namespace", "namespaces", "", "",
                ns.path("metadata").path("name").asString(), ns, old, ALICE, false);
    }

    @Test
    void namespaceWithAnInvalidLevelIsRefused() {
        AdmissionResponse r = plugin().validate(createNamespace(namespaceObject("team", "enforce", "strict")))
                .response();
        assertFalse(r.allowed());
        assertEquals(422, r.code());
        assertEquals("Invalid", r.reason());
        assertEquals("Namespace \"team\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid "
                + "value: \"strict\": must be one of privileged, baseline, restricted", r.message());
        AdmissionResponse version = plugin().validate(createNamespace(namespaceObject("team", "warn-version", "1.25")))
                .response();
        assertEquals("Namespace \"team\" is invalid: metadata.labels[pod-security.kubernetes.io/warn-version]: "
                + "Invalid value: \"1.25\": must be \"latest\" or \"v1.x\"", version.message());
        assertTrue(plugin().validate(createNamespace(namespaceObject("team", "enforce", "baseline", "warn",
                "restricted", "audit-version", "v1.30"))).response().allowed());
    }

    @Test
    void updatesMayKeepLabelsThatWereAlreadyInvalidButNotBreakThem() {
        ObjectNode bad = namespaceObject("team", "enforce", "strict");
        ObjectNode stillBad = bad.deepCopy();
        stillBad.withObjectProperty("metadata").withObjectProperty("labels").put("other", "x");
        assertTrue(plugin().validate(updateNamespace(stillBad, bad)).response().allowed());
        ObjectNode worse = namespaceObject("team", "enforce", "stricter");
        assertEquals(422, plugin().validate(updateNamespace(worse, bad)).response().code());
        assertEquals(422, plugin().validate(updateNamespace(bad, namespaceObject("team"))).response().code());
    }

    @Test
    void raisingEnforceWarnsAboutExistingPods() {
        ObjectNode old = namespaceObject("ns");
        cluster.put(NAMESPACES, old);
        cluster.put(PODS, withNamespace(restrictedPod("good")));
        cluster.put(PODS, withNamespace(privilegedPod("b-priv")));
        cluster.put(PODS, withNamespace(privilegedPod("a-priv")));
        cluster.put(PODS, withNamespace(privilegedPod("c-priv")));
        cluster.put(PODS, withNamespace(hostNetworkPod("net")));
        cluster.put(PODS, withNamespace(pod("{'name':'plain'}", "{'containers':[{'name':'c'}]}")));
        AdmissionResponse r = plugin().validate(updateNamespace(namespaceObject("ns", "enforce", "baseline"), old))
                .response();
        assertTrue(r.allowed());
        assertEquals(List.of("existing pods in namespace \"ns\" violate the new PodSecurity enforce level "
                + "\"baseline:latest\"", "a-priv (and 2 other pods): privileged", "net: host namespaces"), r.warnings());
        AdmissionResponse restricted = plugin().validate(updateNamespace(
                namespaceObject("ns", "enforce", "restricted"), old)).response();
        assertEquals(List.of("existing pods in namespace \"ns\" violate the new PodSecurity enforce level "
                + "\"restricted:latest\"",
                "a-priv (and 2 other pods): privileged, allowPrivilegeEscalation != false, unrestricted capabilities, "
                        + "runAsNonRoot != true, seccompProfile",
                "net: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != "
                        + "true, seccompProfile",
                "plain: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
                        + "seccompProfile"), restricted.warnings());
    }

    private static ObjectNode withNamespace(ObjectNode pod) {
        pod.withObjectProperty("metadata").put("namespace", "ns");
        return pod;
    }

    @Test
    void noPodChecksWhenEnforceDoesNotRise() {
        cluster.put(PODS, withNamespace(privilegedPod("p")));
        ObjectNode baseline = namespaceObject("ns", "enforce", "baseline");
        PodSecurity p = plugin();
        assertTrue(p.validate(updateNamespace(baseline, baseline)).response().warnings().isEmpty(), "unchanged");
        assertTrue(p.validate(updateNamespace(namespaceObject("ns", "enforce", "privileged"), baseline)).response()
                .warnings().isEmpty(), "relaxed to privileged");
        assertTrue(p.validate(updateNamespace(namespaceObject("ns", "enforce", "baseline"),
                namespaceObject("ns", "enforce", "restricted"))).response().warnings().isEmpty(), "relaxed at same version");
        assertEquals(2, p.validate(updateNamespace(namespaceObject("ns", "enforce", "baseline", "enforce-version", "v1.30"),
                namespaceObject("ns", "enforce", "restricted"))).response().warnings().size(),
                "a version change is evaluated even when the level is relaxed");
        assertTrue(p.validate(updateNamespace(namespaceObject("ns", "warn", "restricted"), namespaceObject("ns")))
                .response().warnings().isEmpty(), "only enforce changes trigger the check");
    }

    @Test
    void namespaceCheckPrioritizesOnePodPerControllerAndSkipsExemptRuntimeClasses() {
        Configuration config = new Configuration(Configuration.DEFAULT.defaults(), Set.of(), Set.of(), Set.of("kata"),
                null);
        for (int i = 0; i < 3; i++) {
            ObjectNode replica = withNamespace(privilegedPod("rs-" + i));
            replica.withObjectProperty("metadata").putArray("ownerReferences")
                    .add(json("{'kind':'ReplicaSet','name':'rs','uid':'u1','controller':true}"));
            cluster.put(PODS, replica);
        }
        ObjectNode kata = withNamespace(privilegedPod("kata"));
        kata.withObjectProperty("spec").put("runtimeClassName", "kata");
        cluster.put(PODS, kata);
        AdmissionResponse r = plugin(config).validate(updateNamespace(namespaceObject("ns", "enforce", "baseline"),
                namespaceObject("ns"))).response();
        assertEquals(List.of("existing pods in namespace \"ns\" violate the new PodSecurity enforce level "
                + "\"baseline:latest\"", "rs-0 (and 2 other pods): privileged"), r.warnings());
    }

    @Test
    void namespaceCheckStopsAtItsTimeBudget() {
        for (int i = 0; i < 5; i++) {
            cluster.put(PODS, withNamespace(privilegedPod("p" + i)));
        }
        PodSecurity p = new PodSecurity(Configuration.DEFAULT, new Evaluator(Evaluator.defaultChecks()),
                new NamespaceLookup(cluster, Duration.ZERO), ns -> cluster.list(PODS, ns),
                // Each reading of the clock moves it 600 ms: the budget of 1 s runs out after the second pod.
                () -> clock.getAndAdd(600_000_000L));
        AdmissionResponse r = p.validate(updateNamespace(namespaceObject("ns", "enforce", "baseline"),
                namespaceObject("ns"))).response();
        assertEquals(List.of("new PodSecurity enforce level only checked against the first 2 of 5 existing pods",
                "existing pods in namespace \"ns\" violate the new PodSecurity enforce level \"baseline:latest\"",
                "p0 (and 1 other pod): privileged"), r.warnings());
    }

    @Test
    void namespaceCheckReportsAFailedList() {
        PodSecurity p = new PodSecurity(Configuration.DEFAULT, new Evaluator(Evaluator.defaultChecks()),
                new NamespaceLookup(cluster, Duration.ZERO), ns -> {
                    throw new IllegalStateException("cache not ready");
                }, clock::get);
        assertEquals(List.of("failed to list pods while checking new PodSecurity enforce level"),
                p.validate(updateNamespace(namespaceObject("ns", "enforce", "baseline"), namespaceObject("ns")))
                        .response().warnings());
    }

    @Test
    void exemptNamespacesWarnThatTheirPolicyIsIgnored() {
        Configuration config = new Configuration(Configuration.DEFAULT.defaults(), Set.of(), Set.of("test"), Set.of(),
                null);
        assertEquals(List.of("namespace \"test\" is exempt from Pod Security, and the policy "
                + "(enforce=restricted:latest) will be ignored"),
                plugin(config).validate(createNamespace(namespaceObject("test", "enforce", "restricted"))).response()
                        .warnings().subList(0, 1));
        ObjectNode all = namespaceObject("test", "enforce", "restricted", "enforce-version", "v1.0", "audit",
                "restricted", "warn", "baseline");
        assertEquals(List.of("namespace \"test\" is exempt from Pod Security, and the policy "
                + "(enforce=restricted:v1.0, audit=restricted:latest, warn=baseline:latest) will be ignored"),
                plugin(config).validate(updateNamespace(all, namespaceObject("test"))).response().warnings());
        assertTrue(plugin(config).validate(createNamespace(namespaceObject("test", "enforce", "privileged")))
                .response().warnings().isEmpty());
        assertTrue(plugin(config).validate(createNamespace(namespaceObject("other", "enforce", "restricted")))
                .response().warnings().isEmpty());
    }

    @Test
    void namespaceSubresourcesAreIgnored() {
        ObjectNode bad = namespaceObject("team", "enforce", "strict");
        assertTrue(plugin().validate(new AdmissionRequest(Operation.UPDATE, "", "v1", "Namespace", "namespaces",
                "status", "", "team", bad, namespaceObject("team"), ALICE, false)).response().allowed());
    }
}
