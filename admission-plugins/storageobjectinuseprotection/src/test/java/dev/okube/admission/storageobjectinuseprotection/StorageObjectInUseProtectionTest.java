package dev.okube.admission.storageobjectinuseprotection;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class StorageObjectInUseProtectionTest {
    private final StorageObjectInUseProtection plugin = new StorageObjectInUseProtection();

    private static ObjectNode claim(String meta) {
        return json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'team'"
                + meta + "},'spec':{'resources':{'requests':{'storage':'1Gi'}}}}");
    }

    @Test
    void claimsGetThePvcProtectionFinalizer() {
        ObjectNode claim = claim("");
        assertTrue(plugin.admit(create("persistentvolumeclaims", "PersistentVolumeClaim", claim)).allowed());
        assertEquals(json("{'f':['kubernetes.io/pvc-protection']}").get("f"), claim.path("metadata").path("finalizers"));
    }

    @Test
    void volumesGetThePvProtectionFinalizer() {
        ObjectNode volume = json("{'apiVersion':'v1','kind':'PersistentVolume','metadata':{'name':'pv1'},"
                + "'spec':{'capacity':{'storage':'1Gi'},'hostPath':{'path':'/tmp'}}}");
        assertTrue(plugin.admit(create("", "v1", "persistentvolumes", "PersistentVolume", volume, ADMIN)).allowed());
        assertEquals(json("{'f':['kubernetes.io/pv-protection']}").get("f"), volume.path("metadata").path("finalizers"));
    }

    @Test
    void otherFinalizersAreKeptAndTheOwnIsNotDoubled() {
        ObjectNode claim = claim(",'finalizers':['example.com/backup']");
        plugin.admit(create("persistentvolumeclaims", "PersistentVolumeClaim", claim));
        assertEquals(json("{'f':['example.com/backup','kubernetes.io/pvc-protection']}").get("f"),
                claim.path("metadata").path("finalizers"));
        ObjectNode protectedAlready = claim(",'finalizers':['kubernetes.io/pvc-protection']");
        plugin.admit(create("persistentvolumeclaims", "PersistentVolumeClaim", protectedAlready));
        assertEquals(1, protectedAlready.path("metadata").path("finalizers").size());
    }

    @Test
    void onlyCreatesAreChanged() {
        ObjectNode claim = claim("");
        plugin.admit(update("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", claim, claim.deepCopy(), ADMIN));
        assertFalse(claim.path("metadata").has("finalizers"));
    }

    @Test
    void otherResourcesAndSubresourcesAreIgnored() {
        ObjectNode pod = json("{'metadata':{'name':'p','namespace':'team'},'spec':{}}");
        plugin.admit(create("pods", "Pod", pod));
        assertFalse(pod.path("metadata").has("finalizers"));
        ObjectNode claim = claim("");
        plugin.admit(new AdmissionRequest(AdmissionRequest.Operation.CREATE, "", "v1", "PersistentVolumeClaim",
                "persistentvolumeclaims", "status", "team", "data", claim, null, ADMIN, false));
        assertFalse(claim.path("metadata").has("finalizers"));
    }

    @Test
    void nameIsUpstreams() {
        assertEquals("StorageObjectInUseProtection", plugin.name());
    }
}
