package dev.okube.admission.defaultstorageclass;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.testkit.InMemoryClusterResources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DefaultStorageClassTest {
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private final DefaultStorageClass plugin = new DefaultStorageClass(cluster);

    private void storageClass(String name, String created, String annotations) {
        cluster.put(DefaultStorageClass.STORAGE_CLASSES, json("{'apiVersion':'storage.k8s.io/v1','kind':'StorageClass',"
                + "'metadata':{'name':'" + name + "','creationTimestamp':'" + created + "','annotations':" + annotations
                + "},'provisioner':'okube.dev/hostpath'}"));
    }

    private static ObjectNode claim(String spec) {
        return json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'team'},"
                + "'spec':" + spec + "}");
    }

    private static final String PLAIN = "{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}}}";

    private String admitted(ObjectNode claim) {
        assertTrue(plugin.admit(create("persistentvolumeclaims", "PersistentVolumeClaim", claim)).allowed());
        return claim.path("spec").path("storageClassName").isMissingNode() ? null
                : claim.path("spec").path("storageClassName").asString();
    }

    @Test
    void aClaimWithoutClassGetsTheDefault() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        storageClass("fast", "2026-01-02T00:00:00Z", "{}");
        assertEquals("standard", admitted(claim(PLAIN)));
    }

    @Test
    void theBetaDefaultAnnotationCounts() {
        storageClass("old", "2026-01-01T00:00:00Z", "{'storageclass.beta.kubernetes.io/is-default-class':'true'}");
        assertEquals("old", admitted(claim(PLAIN)));
    }

    @Test
    void onlyTheValueTrueMarksTheDefault() {
        storageClass("maybe", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'True'}");
        storageClass("no", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'false'}");
        assertEquals(null, admitted(claim(PLAIN)));
    }

    @Test
    void withoutDefaultTheClaimIsUnchanged() {
        storageClass("fast", "2026-01-02T00:00:00Z", "{}");
        ObjectNode claim = claim(PLAIN);
        ObjectNode before = claim.deepCopy();
        assertEquals(null, admitted(claim));
        assertEquals(before, claim);
    }

    @Test
    void theNewestOfSeveralDefaultsWins() {
        storageClass("a-old", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        storageClass("z-new", "2026-03-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        storageClass("m-mid", "2026-02-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("z-new", admitted(claim(PLAIN)));
    }

    @Test
    void equallyNewDefaultsAreChosenByName() {
        storageClass("beta", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        storageClass("alpha", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("alpha", admitted(claim(PLAIN)));
    }

    @Test
    void anExplicitClassIsKept() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("fast", admitted(claim("{'storageClassName':'fast','resources':{'requests':{'storage':'1Gi'}}}")));
    }

    @Test
    void anEmptyClassMeansNoClassAndIsKept() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("", admitted(claim("{'storageClassName':'','resources':{'requests':{'storage':'1Gi'}}}")));
    }

    @Test
    void aNullClassIsDefaulted() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        assertEquals("standard", admitted(claim("{'storageClassName':null,'resources':{'requests':{'storage':'1Gi'}}}")));
    }

    @Test
    void theBetaClassAnnotationCountsAsAClass() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        ObjectNode claim = claim(PLAIN);
        claim.withObjectProperty("metadata").withObjectProperty("annotations")
                .put("volume.beta.kubernetes.io/storage-class", "legacy");
        assertEquals(null, admitted(claim));
    }

    @Test
    void updatesAreNotDefaulted() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        ObjectNode claim = claim(PLAIN);
        assertTrue(plugin.admit(update("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", claim,
                claim.deepCopy(), ADMIN)).allowed());
        assertFalse(claim.path("spec").has("storageClassName"));
    }

    @Test
    void otherResourcesAndSubresourcesAreIgnored() {
        storageClass("standard", "2026-01-01T00:00:00Z", "{'storageclass.kubernetes.io/is-default-class':'true'}");
        ObjectNode pv = json("{'metadata':{'name':'pv1'},'spec':{'capacity':{'storage':'1Gi'}}}");
        assertTrue(plugin.admit(create("", "v1", "persistentvolumes", "PersistentVolume", pv, ADMIN)).allowed());
        assertFalse(pv.path("spec").has("storageClassName"));
        ObjectNode claim = claim(PLAIN);
        AdmissionRequest status = new AdmissionRequest(AdmissionRequest.Operation.CREATE, "", "v1",
                "PersistentVolumeClaim", "persistentvolumeclaims", "status", "team", "data", claim, null, ADMIN, false);
        assertTrue(plugin.admit(status).allowed());
        assertFalse(claim.path("spec").has("storageClassName"));
    }

    @Test
    void nameIsUpstreams() {
        assertEquals("DefaultStorageClass", plugin.name());
    }
}
