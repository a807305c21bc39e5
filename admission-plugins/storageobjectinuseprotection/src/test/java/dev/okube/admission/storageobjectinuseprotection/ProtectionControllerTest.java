package dev.okube.admission.storageobjectinuseprotection;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.testkit.Await;
import dev.okube.testkit.InMemoryClusterResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ProtectionControllerTest {
    private static final String PVC_FINALIZER = "kubernetes.io/pvc-protection";
    private static final String PV_FINALIZER = "kubernetes.io/pv-protection";
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private ProtectionController controller;

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.stop();
        }
    }

    private ObjectNode claim(String name, boolean deleting, String ownerUid) {
        String owner = ownerUid == null ? "" : ",'ownerReferences':[{'apiVersion':'v1','kind':'Pod','name':'x',"
                + "'uid':'" + ownerUid + "','controller':true}]";
        return cluster.put(ProtectionController.CLAIMS, json("{'metadata':{'name':'" + name + "','namespace':'team',"
                + "'finalizers':['" + PVC_FINALIZER + "']" + (deleting ? ",'deletionTimestamp':'2026-01-01T00:00:00Z'"
                : "") + owner + "},'spec':{}}"));
    }

    private ObjectNode pod(String name, String nodeName, String phase, String volumes) {
        return cluster.put(ProtectionController.PODS, json("{'metadata':{'name':'" + name + "','namespace':'team'},"
                + "'spec':{'nodeName':'" + nodeName + "','containers':[],'volumes':" + volumes + "},"
                + "'status':{'phase':'" + phase + "'}}"));
    }

    private boolean claimProtected(String name) {
        return ProtectionController.hasFinalizer(cluster.get(ProtectionController.CLAIMS, "team", name).orElseThrow(),
                PVC_FINALIZER);
    }

    private void settle() throws InterruptedException {
        Thread.sleep(50);
        Await.until("idle", controller::idle);
    }

    @Test
    void anUnusedClaimBeingDeletedIsReleased() {
        claim("data", true, null);
        controller = new ProtectionController(cluster);
        Await.until("released", () -> !claimProtected("data"));
    }

    @Test
    void aClaimUsedByAScheduledPodIsKeptUntilThePodGoes() throws Exception {
        pod("web", "node-1", "Running", "[{'name':'d','persistentVolumeClaim':{'claimName':'data'}}]");
        claim("data", true, null);
        controller = new ProtectionController(cluster);
        settle();
        assertTrue(claimProtected("data"));
        cluster.delete(ProtectionController.PODS, "team", "web");
        Await.until("released after the pod is gone", () -> !claimProtected("data"));
    }

    @Test
    void aFinishedScheduledPodStillHoldsItsClaimAsUpstream() throws Exception {
        pod("job", "node-1", "Running", "[{'name':'d','persistentVolumeClaim':{'claimName':'data'}}]");
        claim("data", true, null);
        controller = new ProtectionController(cluster);
        settle();
        assertTrue(claimProtected("data"));
        // Upstream still counts a finished pod as a user; the event only gives the claim another look.
        pod("job", "node-1", "Succeeded", "[{'name':'d','persistentVolumeClaim':{'claimName':'data'}}]");
        settle();
        assertTrue(claimProtected("data"));
    }

    @Test
    void unscheduledPodsDoNotHoldClaims() {
        pod("pending", "", "Pending", "[{'name':'d','persistentVolumeClaim':{'claimName':'data'}}]");
        claim("data", true, null);
        controller = new ProtectionController(cluster);
        Await.until("released", () -> !claimProtected("data"));
    }

    @Test
    void podsOfOtherClaimsDoNotHoldIt() {
        pod("web", "node-1", "Running", "[{'name':'d','persistentVolumeClaim':{'claimName':'other'}}]");
        claim("data", true, null);
        controller = new ProtectionController(cluster);
        Await.until("released", () -> !claimProtected("data"));
    }

    @Test
    void anEphemeralClaimIsHeldByItsRunningPod() throws Exception {
        ObjectNode pod = pod("web", "node-1", "Running", "[{'name':'scratch','ephemeral':{'volumeClaimTemplate':{}}}]");
        claim("web-scratch", true, pod.path("metadata").path("uid").asString());
        controller = new ProtectionController(cluster);
        settle();
        assertTrue(claimProtected("web-scratch"));
    }

    @Test
    void anEphemeralClaimOfAnotherOwnerIsNotHeld() {
        pod("web", "node-1", "Running", "[{'name':'scratch','ephemeral':{'volumeClaimTemplate':{}}}]");
        claim("web-scratch", true, "someone-else");
        controller = new ProtectionController(cluster);
        Await.until("released", () -> !claimProtected("web-scratch"));
    }

    @Test
    void aClaimNotBeingDeletedKeepsItsFinalizer() throws Exception {
        claim("data", false, null);
        controller = new ProtectionController(cluster);
        settle();
        assertTrue(claimProtected("data"));
    }

    @Test
    void claimsWithoutTheFinalizerGetIt() {
        cluster.put(ProtectionController.CLAIMS, json("{'metadata':{'name':'old','namespace':'team'},'spec':{}}"));
        controller = new ProtectionController(cluster);
        Await.until("protected", () -> claimProtected("old"));
    }

    private boolean volumeProtected(String name) {
        return ProtectionController.hasFinalizer(cluster.get(ProtectionController.VOLUMES, "", name).orElseThrow(),
                PV_FINALIZER);
    }

    private void volume(String name, String phase) {
        cluster.put(ProtectionController.VOLUMES, json("{'metadata':{'name':'" + name + "','finalizers':['"
                + PV_FINALIZER + "'],'deletionTimestamp':'2026-01-01T00:00:00Z'},'spec':{},"
                + "'status':{'phase':'" + phase + "'}}"));
    }

    @Test
    void aBoundVolumeBeingDeletedIsKeptUntilReleased() throws Exception {
        volume("pv1", "Bound");
        controller = new ProtectionController(cluster);
        settle();
        assertTrue(volumeProtected("pv1"));
        volume("pv1", "Released");
        Await.until("released", () -> !volumeProtected("pv1"));
    }

    @Test
    void anAvailableVolumeBeingDeletedIsReleased() {
        volume("pv2", "Available");
        controller = new ProtectionController(cluster);
        Await.until("released", () -> !volumeProtected("pv2"));
    }

    @Test
    void otherFinalizersSurviveTheRelease() {
        cluster.put(ProtectionController.VOLUMES, json("{'metadata':{'name':'pv3','finalizers':['example.com/x','"
                + PV_FINALIZER + "'],'deletionTimestamp':'2026-01-01T00:00:00Z'},'status':{'phase':'Released'}}"));
        controller = new ProtectionController(cluster);
        Await.until("released", () -> !volumeProtected("pv3"));
        assertTrue(ProtectionController.hasFinalizer(cluster.get(ProtectionController.VOLUMES, "", "pv3").orElseThrow(),
                "example.com/x"));
        assertFalse(volumeProtected("pv3"));
    }
}
