package dev.okube.admission.defaultingressclass;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.testkit.InMemoryClusterResources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DefaultIngressClassTest {
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private final DefaultIngressClass plugin = new DefaultIngressClass(cluster);

    private void ingressClass(String name, String created, String annotations) {
        cluster.put(DefaultIngressClass.INGRESS_CLASSES, json("{'apiVersion':'networking.k8s.io/v1',"
                + "'kind':'IngressClass','metadata':{'name':'" + name + "','creationTimestamp':'" + created
                + "','annotations':" + annotations + "},'spec':{'controller':'okube.dev/ingress'}}"));
    }

    private static ObjectNode ingress(String spec) {
        return json("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'web','namespace':'team'},"
                + "'spec':" + spec + "}");
    }

    private static final String PLAIN = "{'defaultBackend':{'service':{'name':'web','port':{'number':80}}}}";

    private String admitted(ObjectNode ingress) {
        assertTrue(plugin.admit(create("networking.k8s.io", "v1", "ingresses", "Ingress", ingress, ADMIN)).allowed());
        return ingress.path("spec").path("ingressClassName").isMissingNode() ? null
                : ingress.path("spec").path("ingressClassName").asString();
    }

    @Test
    void anIngressWithoutClassGetsTheDefault() {
        ingressClass("nginx", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        ingressClass("other", "2026-01-05T00:00:00Z", "{}");
        assertEquals("nginx", admitted(ingress(PLAIN)));
    }

    @Test
    void withoutDefaultTheIngressIsUnchanged() {
        ingressClass("other", "2026-01-05T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'false'}");
        ObjectNode ingress = ingress(PLAIN);
        ObjectNode before = ingress.deepCopy();
        assertEquals(null, admitted(ingress));
        assertEquals(before, ingress);
    }

    @Test
    void theNewestOfSeveralDefaultsWins() {
        ingressClass("first", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        ingressClass("second", "2026-02-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("second", admitted(ingress(PLAIN)));
    }

    @Test
    void equallyNewDefaultsAreChosenByName() {
        ingressClass("b", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        ingressClass("a", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("a", admitted(ingress(PLAIN)));
    }

    @Test
    void anExplicitClassIsKept() {
        ingressClass("nginx", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("traefik", admitted(ingress("{'ingressClassName':'traefik'}")));
        assertEquals("", admitted(ingress("{'ingressClassName':''}")));
    }

    @Test
    void theLegacyClassAnnotationCountsAsAClass() {
        ingressClass("nginx", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        ObjectNode ingress = ingress(PLAIN);
        ingress.withObjectProperty("metadata").withObjectProperty("annotations").put("kubernetes.io/ingress.class", "x");
        assertEquals(null, admitted(ingress));
    }

    @Test
    void updatesAreNotDefaulted() {
        ingressClass("nginx", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        ObjectNode ingress = ingress(PLAIN);
        assertTrue(plugin.admit(update("networking.k8s.io", "v1", "ingresses", "Ingress", ingress, ingress.deepCopy(),
                ADMIN)).allowed());
        assertFalse(ingress.path("spec").has("ingressClassName"));
    }

    @Test
    void otherResourcesAreIgnored() {
        ingressClass("nginx", "2026-01-01T00:00:00Z", "{'ingressclass.kubernetes.io/is-default-class':'true'}");
        ObjectNode service = json("{'metadata':{'name':'web','namespace':'team'},'spec':{}}");
        assertTrue(plugin.admit(create("services", "Service", service)).allowed());
        assertFalse(service.path("spec").has("ingressClassName"));
    }

    @Test
    void nameIsUpstreams() {
        assertEquals("DefaultIngressClass", plugin.name());
    }
}
