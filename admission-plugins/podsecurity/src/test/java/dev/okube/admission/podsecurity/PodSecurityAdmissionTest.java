package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.TestPods.pod;
import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Admission;
import dev.okube.testkit.InMemoryClusterResources;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The DS component as the apiserver sees it, and the namespace lookup that waits for the cache. */
class PodSecurityAdmissionTest {
    private static final ResourceType NAMESPACES = ResourceType.core("namespaces");
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();

    /** The settings ConfigAdmin would give, defaults unless overridden. */
    private static class Settings implements PodSecurityAdmission.Config {
        String enforce = "privileged";
        String warn = "privileged";
        String[] exemptUsers = {};
        long waitMillis = 1000;

        @Override public Class<? extends Annotation> annotationType() { return PodSecurityAdmission.Config.class; }
        @Override public String defaults_enforce() { return enforce; }
        @Override public String defaults_enforce$_$version() { return "latest"; }
        @Override public String defaults_audit() { return "privileged"; }
        @Override public String defaults_audit$_$version() { return "latest"; }
        @Override public String defaults_warn() { return warn; }
        @Override public String defaults_warn$_$version() { return "latest"; }
        @Override public String[] exemptions_usernames() { return exemptUsers; }
        @Override public String[] exemptions_namespaces() { return new String[0]; }
        @Override public String[] exemptions_runtimeClasses() { return new String[0]; }
        @Override public String emulation$_$version() { return ""; }
        @Override public long namespace$_$wait$_$millis() { return waitMillis; }
    }

    private static ObjectNode privilegedPod(String ns) {
        ObjectNode pod = pod("{'name':'p','namespace':'" + ns + "'}",
                "{'containers':[{'name':'c','image':'i','securityContext':{'privileged':true}}]}");
        return pod;
    }

    @Test
    void componentDeniesWarnsAndNamesItself() throws Exception {
        cluster.put(NAMESPACES, json("{'metadata':{'name':'locked','labels':"
                + "{'pod-security.kubernetes.io/enforce':'baseline'}}}"));
        cluster.put(NAMESPACES, json("{'metadata':{'name':'open'}}"));
        Settings s = new Settings();
        s.warn = "baseline";
        PodSecurityAdmission plugin = new PodSecurityAdmission(s, cluster);
        try {
            assertEquals("PodSecurity", plugin.name());
            AdmissionResponse denied = plugin.validate(Admission.create("pods", "Pod", privilegedPod("locked")));
            assertFalse(denied.allowed());
            assertEquals("pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": privileged "
                    + "(container \"c\" must not set securityContext.privileged=true)", denied.message());
            AdmissionResponse warned = plugin.validate(Admission.create("pods", "Pod", privilegedPod("open")));
            assertTrue(warned.allowed());
            assertEquals(1, warned.warnings().size(), "the default warn level applies to unlabelled namespaces");
        } finally {
            plugin.deactivate();
        }
    }

    @Test
    void invalidSettingsFailActivation() {
        Settings s = new Settings();
        s.enforce = "strict";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PodSecurityAdmission(s, cluster));
        assertTrue(e.getMessage().contains("defaults.enforce: Invalid value: \"strict\""), e.getMessage());
    }

    @Test
    void aNamespaceNotYetInTheCacheIsWaitedFor() throws Exception {
        NamespaceLookup lookup = new NamespaceLookup(cluster, Duration.ofSeconds(5));
        try {
            CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> lookup.apply("late").isPresent());
            Thread.sleep(100); // let the lookup miss and start waiting
            cluster.put(NAMESPACES, json("{'metadata':{'name':'other'}}"));
            cluster.put(NAMESPACES, json("{'metadata':{'name':'late'}}"));
            assertTrue(found.get(5, TimeUnit.SECONDS));
        } finally {
            lookup.close();
        }
    }

    @Test
    void aNamespaceThatNeverComesIsMissingAfterTheWait() throws Exception {
        NamespaceLookup lookup = new NamespaceLookup(cluster, Duration.ofMillis(200));
        try {
            long start = System.nanoTime();
            assertTrue(lookup.apply("never").isEmpty());
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 190 && waited < 3000, "waited " + waited + " ms");
            assertTrue(lookup.apply("").isEmpty());
        } finally {
            lookup.close();
        }
        NamespaceLookup noWait = new NamespaceLookup(cluster, Duration.ZERO);
        long start = System.nanoTime();
        assertTrue(noWait.apply("never").isEmpty());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 100);
        noWait.close();
    }

    @Test
    void aNamespaceWatchThatCannotStartOnlyDisablesTheWait() throws Exception {
        cluster.put(NAMESPACES, json("{'metadata':{'name':'here'}}"));
        dev.okube.api.resources.ClusterResources noWatch = new dev.okube.api.resources.ClusterResources() {
            @Override public boolean serves(ResourceType type) { return cluster.serves(type); }
            @Override public java.util.Optional<ObjectNode> get(ResourceType t, String ns, String n) {
                return cluster.get(t, ns, n);
            }
            @Override public java.util.List<ObjectNode> list(ResourceType t, String ns) { return cluster.list(t, ns); }
            @Override public AutoCloseable watch(ResourceType t, java.util.function.Consumer<
                    dev.okube.api.resources.ResourceEvent> h) {
                throw new dev.okube.api.resources.ResourceException(404, "NotFound", "not served");
            }
            @Override public ObjectNode create(ResourceType t, ObjectNode o) { return cluster.create(t, o); }
            @Override public ObjectNode update(ResourceType t, ObjectNode o) { return cluster.update(t, o); }
            @Override public ObjectNode updateStatus(ResourceType t, ObjectNode o) { return cluster.updateStatus(t, o); }
            @Override public void delete(ResourceType t, String ns, String n) { cluster.delete(t, ns, n); }
        };
        NamespaceLookup lookup = new NamespaceLookup(noWatch, Duration.ofSeconds(30));
        assertTrue(lookup.apply("here").isPresent());
        long start = System.nanoTime();
        assertTrue(lookup.apply("missing").isEmpty());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000, "no wait without a watch");
        lookup.close();
    }
}
