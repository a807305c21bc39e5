package dev.okube.admission.serviceaccount;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ServiceAccountAdmissionTest {
    private static final String MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private final ServiceAccountAdmission plugin = new ServiceAccountAdmission(cluster, true, false, 0, 0,
            () -> "kube-api-access-abcde");
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        later.shutdownNow();
    }

    private void serviceAccount(String name, String extra) {
        cluster.put(ServiceAccountAdmission.SERVICE_ACCOUNTS, json("{'apiVersion':'v1','kind':'ServiceAccount',"
                + "'metadata':{'name':'" + name + "','namespace':'team'" + extra + "}}"));
    }

    private static ObjectNode pod(String spec) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'team'},'spec':" + spec + "}");
    }

    private static final String ONE_CONTAINER = "{'containers':[{'name':'app','image':'nginx'}]}";

    private AdmissionResponse admitAndValidate(AdmissionRequest request) {
        AdmissionResponse mutated = plugin.admit(request);
        return mutated.allowed() ? plugin.validate(request) : mutated;
    }

    @Test
    void aPodWithoutServiceAccountGetsDefaultAndTheTokenVolume() {
        serviceAccount("default", "");
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx'}],"
                + "'initContainers':[{'name':'setup','image':'busybox'}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        JsonNode spec = pod.path("spec");
        assertEquals("default", spec.path("serviceAccountName").asString());
        assertEquals(json("{'v':[{'name':'kube-api-access-abcde','projected':{'defaultMode':420,'sources':["
                + "{'serviceAccountToken':{'expirationSeconds':3607,'path':'token'}},"
                + "{'configMap':{'items':[{'key':'ca.crt','path':'ca.crt'}],'name':'kube-root-ca.crt'}},"
                + "{'downwardAPI':{'items':[{'fieldRef':{'apiVersion':'v1','fieldPath':'metadata.namespace'},"
                + "'path':'namespace'}]}}]}}]}").get("v"), spec.path("volumes"));
        ObjectNode mount = json("{'name':'kube-api-access-abcde','readOnly':true,'mountPath':'" + MOUNT + "'}");
        assertEquals(mount, spec.path("containers").path(0).path("volumeMounts").path(0));
        assertEquals(mount, spec.path("initContainers").path(0).path("volumeMounts").path(0));
    }

    @Test
    void theVolumeNameIsRandomLikeUpstreams() {
        for (int i = 0; i < 50; i++) {
            assertTrue(ServiceAccountAdmission.randomVolumeName().matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}"));
        }
    }

    @Test
    void theDefaultPluginUsesRandomNames() {
        ServiceAccountAdmission random = new ServiceAccountAdmission(cluster, true, false, 0, 0,
                ServiceAccountAdmission::randomVolumeName);
        serviceAccount("default", "");
        ObjectNode pod = pod(ONE_CONTAINER);
        assertTrue(random.admit(create("pods", "Pod", pod)).allowed());
        assertTrue(pod.path("spec").path("volumes").path(0).path("name").asString().matches("kube-api-access-\\w{5}"));
    }

    @Test
    void aMissingServiceAccountIsForbidden() {
        AdmissionResponse response = admitAndValidate(create("pods", "Pod", pod("{'serviceAccountName':'builder',"
                + "'containers':[{'name':'app','image':'nginx'}]}")));
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals("pods \"web\" is forbidden: error looking up service account team/builder: "
                + "serviceaccount \"builder\" not found", response.message());
    }

    @Test
    void aMissingDefaultServiceAccountIsForbiddenToo() {
        AdmissionResponse response = admitAndValidate(create("pods", "Pod", pod(ONE_CONTAINER)));
        assertEquals("pods \"web\" is forbidden: error looking up service account team/default: "
                + "serviceaccount \"default\" not found", response.message());
    }

    @Test
    void theDefaultServiceAccountIsWaitedForBriefly() {
        ServiceAccountAdmission patient = new ServiceAccountAdmission(cluster, true, false, 2000, 0,
                () -> "kube-api-access-abcde");
        later.schedule(() -> serviceAccount("default", ""), 100, TimeUnit.MILLISECONDS);
        ObjectNode pod = pod(ONE_CONTAINER);
        assertTrue(patient.admit(create("pods", "Pod", pod)).allowed());
        assertEquals("default", pod.path("spec").path("serviceAccountName").asString());
    }

    @Test
    void theWaitIsBounded() {
        ServiceAccountAdmission patient = new ServiceAccountAdmission(cluster, true, false, 100, 0,
                () -> "kube-api-access-abcde");
        long start = System.nanoTime();
        assertEquals(403, patient.admit(create("pods", "Pod", pod(ONE_CONTAINER))).code());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 90 && millis < 1000, "waited " + millis);
    }

    @Test
    void theDeprecatedAliasIsReadAndWrittenLikeUpstreamsConversion() {
        serviceAccount("builder", "");
        serviceAccount("default", "");
        ObjectNode aliased = pod("{'serviceAccount':'builder','containers':[{'name':'app','image':'nginx'}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", aliased)).allowed());
        assertEquals("builder", aliased.path("spec").path("serviceAccountName").asString());
        ObjectNode plain = pod(ONE_CONTAINER);
        assertTrue(admitAndValidate(create("pods", "Pod", plain)).allowed());
        assertEquals("default", plain.path("spec").path("serviceAccount").asString());
    }

    @Test
    void aNamedServiceAccountIsKept() {
        serviceAccount("builder", "");
        ObjectNode pod = pod("{'serviceAccountName':'builder','containers':[{'name':'app','image':'nginx'}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals("builder", pod.path("spec").path("serviceAccountName").asString());
    }

    @Test
    void podOptOutWins() {
        cluster.put(ServiceAccountAdmission.SERVICE_ACCOUNTS, json("{'metadata':{'name':'default','namespace':'team'},"
                + "'automountServiceAccountToken':true}"));
        ObjectNode pod = pod("{'automountServiceAccountToken':false,'containers':[{'name':'app','image':'nginx'}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertFalse(pod.path("spec").has("volumes"));
        assertFalse(pod.path("spec").path("containers").path(0).has("volumeMounts"));
    }

    @Test
    void serviceAccountOptOutApplies() {
        cluster.put(ServiceAccountAdmission.SERVICE_ACCOUNTS, json("{'metadata':{'name':'default','namespace':'team'},"
                + "'automountServiceAccountToken':false}"));
        ObjectNode pod = pod(ONE_CONTAINER);
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertFalse(pod.path("spec").has("volumes"));
    }

    @Test
    void podOptInOverridesServiceAccountOptOut() {
        cluster.put(ServiceAccountAdmission.SERVICE_ACCOUNTS, json("{'metadata':{'name':'default','namespace':'team'},"
                + "'automountServiceAccountToken':false}"));
        ObjectNode pod = pod("{'automountServiceAccountToken':true,'containers':[{'name':'app','image':'nginx'}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals("kube-api-access-abcde", pod.path("spec").path("volumes").path(0).path("name").asString());
    }

    @Test
    void aContainerWithSomethingAtTheMountPathIsLeftAlone() {
        serviceAccount("default", "");
        ObjectNode pod = pod("{'containers':[{'name':'own','image':'nginx','volumeMounts':[{'name':'mine',"
                + "'mountPath':'" + MOUNT + "'}]},{'name':'other','image':'nginx'}],'volumes':[{'name':'mine',"
                + "'emptyDir':{}}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        JsonNode containers = pod.path("spec").path("containers");
        assertEquals(1, containers.path(0).path("volumeMounts").size());
        assertEquals("kube-api-access-abcde", containers.path(1).path("volumeMounts").path(0).path("name").asString());
        assertEquals(2, pod.path("spec").path("volumes").size());
    }

    @Test
    void whenEveryContainerHasItsOwnMountNoVolumeIsAdded() {
        serviceAccount("default", "");
        ObjectNode pod = pod("{'containers':[{'name':'own','image':'nginx','volumeMounts':[{'name':'mine',"
                + "'mountPath':'" + MOUNT + "'}]}],'volumes':[{'name':'mine','emptyDir':{}}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals(1, pod.path("spec").path("volumes").size());
    }

    @Test
    void anExistingTokenVolumeIsReused() {
        serviceAccount("default", "");
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx'}],'volumes':[{'name':'kube-api-access-zzzzz',"
                + "'projected':{'sources':[]}}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals(1, pod.path("spec").path("volumes").size());
        assertEquals("kube-api-access-zzzzz",
                pod.path("spec").path("containers").path(0).path("volumeMounts").path(0).path("name").asString());
    }

    @Test
    void existingMountsAreKept() {
        serviceAccount("default", "");
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx','volumeMounts':[{'name':'data',"
                + "'mountPath':'/data'}]}],'volumes':[{'name':'data','emptyDir':{}}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        JsonNode mounts = pod.path("spec").path("containers").path(0).path("volumeMounts");
        assertEquals("/data", mounts.path(0).path("mountPath").asString());
        assertEquals(MOUNT, mounts.path(1).path("mountPath").asString());
        assertEquals("data", pod.path("spec").path("volumes").path(0).path("name").asString());
    }

    @Test
    void mountingCanBeTurnedOff() {
        ServiceAccountAdmission noMount = new ServiceAccountAdmission(cluster, false, false, 0, 0, () -> "x");
        serviceAccount("default", "");
        ObjectNode pod = pod(ONE_CONTAINER);
        assertTrue(noMount.admit(create("pods", "Pod", pod)).allowed());
        assertEquals("default", pod.path("spec").path("serviceAccountName").asString());
        assertFalse(pod.path("spec").has("volumes"));
    }

    @Test
    void imagePullSecretsComeFromTheServiceAccount() {
        serviceAccount("default", "},'imagePullSecrets':[{'name':'registry'},{'name':'mirror'}],'x':{");
        ObjectNode pod = pod(ONE_CONTAINER);
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals(json("{'v':[{'name':'registry'},{'name':'mirror'}]}").get("v"),
                pod.path("spec").path("imagePullSecrets"));
    }

    @Test
    void thePodsOwnImagePullSecretsAreKept() {
        serviceAccount("default", "},'imagePullSecrets':[{'name':'registry'}],'x':{");
        ObjectNode pod = pod("{'imagePullSecrets':[{'name':'mine'}],'containers':[{'name':'app','image':'nginx'}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals(1, pod.path("spec").path("imagePullSecrets").size());
        assertEquals("mine", pod.path("spec").path("imagePullSecrets").path(0).path("name").asString());
    }

    // ---- mountable secrets ----

    private void enforcingAccount() {
        cluster.put(ServiceAccountAdmission.SERVICE_ACCOUNTS, json("{'metadata':{'name':'default','namespace':'team',"
                + "'annotations':{'kubernetes.io/enforce-mountable-secrets':'true'}},"
                + "'secrets':[{'name':'allowed'}],'imagePullSecrets':[{'name':'pull'}]}"));
    }

    @Test
    void enforcedSecretVolumesMustBeListed() {
        enforcingAccount();
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx'}],"
                + "'volumes':[{'name':'s','secret':{'secretName':'other'}}]}");
        assertEquals("pods \"web\" is forbidden: volume with secret.secretName=\"other\" is not allowed because "
                + "service account default does not reference that secret",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void enforcedListedSecretsAreAllowed() {
        enforcingAccount();
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx','env':[{'name':'A','valueFrom':"
                + "{'secretKeyRef':{'name':'allowed','key':'k'}}}],'envFrom':[{'secretRef':{'name':'allowed'}}]}],"
                + "'volumes':[{'name':'s','secret':{'secretName':'allowed'}}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
    }

    @Test
    void enforcedEnvSecretsMustBeListed() {
        enforcingAccount();
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx','env':[{'name':'PASSWORD','valueFrom':"
                + "{'secretKeyRef':{'name':'db','key':'pw'}}}]}]}");
        assertEquals("pods \"web\" is forbidden: container app with envVar PASSWORD referencing secret.secretName=\"db\" "
                + "is not allowed because service account default does not reference that secret",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void enforcedEnvFromSecretsMustBeListed() {
        enforcingAccount();
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx'}],'initContainers':[{'name':'init',"
                + "'image':'busybox','envFrom':[{'secretRef':{'name':'db'}}]}]}");
        assertEquals("pods \"web\" is forbidden: init container init with envFrom referencing secret.secretName=\"db\" "
                + "is not allowed because service account default does not reference that secret",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void enforcedPullSecretsMustBeListed() {
        enforcingAccount();
        ObjectNode pod = pod("{'imagePullSecrets':[{'name':'pull'},{'name':'stolen'}],"
                + "'containers':[{'name':'app','image':'nginx'}]}");
        assertEquals("pods \"web\" is forbidden: imagePullSecrets[1].name=\"stolen\" is not allowed because service "
                + "account default does not reference that imagePullSecret",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void withoutTheAnnotationSecretsAreNotLimited() {
        cluster.put(ServiceAccountAdmission.SERVICE_ACCOUNTS, json("{'metadata':{'name':'default','namespace':'team',"
                + "'annotations':{'kubernetes.io/enforce-mountable-secrets':'false'}},'secrets':[]}"));
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx'}],"
                + "'volumes':[{'name':'s','secret':{'secretName':'anything'}}]}");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
    }

    @Test
    void theGlobalSwitchLimitsEveryServiceAccount() {
        ServiceAccountAdmission strict = new ServiceAccountAdmission(cluster, true, true, 0, 0, () -> "kube-api-access-x");
        serviceAccount("default", "");
        ObjectNode pod = pod("{'containers':[{'name':'app','image':'nginx'}],"
                + "'volumes':[{'name':'s','secret':{'secretName':'anything'}}]}");
        assertEquals(403, strict.validate(create("pods", "Pod", pod)).code());
    }

    @Test
    void annotationValuesAreReadAsGoBooleans() {
        assertTrue(ServiceAccountAdmission.parseBool("true"));
        assertTrue(ServiceAccountAdmission.parseBool("1"));
        assertTrue(ServiceAccountAdmission.parseBool("T"));
        assertFalse(ServiceAccountAdmission.parseBool("yes"));
        assertFalse(ServiceAccountAdmission.parseBool(""));
    }

    @Test
    void ephemeralContainersAreHeldToMountableSecrets() {
        enforcingAccount();
        ObjectNode pod = pod("{'serviceAccountName':'default','containers':[{'name':'app','image':'nginx'}],"
                + "'ephemeralContainers':[{'name':'debug','image':'busybox','env':[{'name':'T','valueFrom':"
                + "{'secretKeyRef':{'name':'root','key':'k'}}}]}]}");
        AdmissionRequest request = new AdmissionRequest(Operation.UPDATE, "", "v1", "Pod", "pods", "ephemeralcontainers",
                "team", "web", pod, pod.deepCopy(), ADMIN, false);
        assertTrue(plugin.admit(request).allowed());
        assertEquals("pods \"web\" is forbidden: ephemeral container debug with envVar T referencing "
                + "secret.secretName=\"root\" is not allowed because service account default does not reference that "
                + "secret", plugin.validate(request).message());
    }

    // ---- mirror pods ----

    private static ObjectNode mirror(String spec) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'static-web','namespace':'team',"
                + "'annotations':{'kubernetes.io/config.mirror':'abc'}},'spec':" + spec + "}");
    }

    @Test
    void mirrorPodsAreNotChanged() {
        ObjectNode pod = mirror(ONE_CONTAINER);
        ObjectNode before = pod.deepCopy();
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals(before, pod);
    }

    @Test
    void mirrorPodsMayNotUseServiceAccounts() {
        serviceAccount("default", "");
        assertEquals("pods \"static-web\" is forbidden: a mirror pod may not reference service accounts",
                plugin.admit(create("pods", "Pod", mirror("{'serviceAccountName':'default','containers':[]}")))
                        .message());
    }

    @Test
    void mirrorPodsMayNotUseSecrets() {
        assertEquals("pods \"static-web\" is forbidden: a mirror pod may not reference secrets",
                plugin.admit(create("pods", "Pod", mirror("{'containers':[{'name':'a','image':'x'}],"
                        + "'volumes':[{'name':'s','projected':{'sources':[{'secret':{'name':'k'}}]}}]}"))).message());
        assertEquals("pods \"static-web\" is forbidden: a mirror pod may not reference secrets",
                plugin.admit(create("pods", "Pod", mirror("{'containers':[{'name':'a','image':'x','envFrom':"
                        + "[{'secretRef':{'name':'k'}}]}]}"))).message());
    }

    @Test
    void mirrorPodsMayNotProjectTokens() {
        assertEquals("pods \"static-web\" is forbidden: a mirror pod may not use ServiceAccountToken volume projections",
                plugin.validate(create("pods", "Pod", mirror("{'containers':[{'name':'a','image':'x'}],'volumes':"
                        + "[{'name':'t','projected':{'sources':[{'serviceAccountToken':{'path':'token'}}]}}]}")))
                        .message());
    }

    // ---- scope ----

    @Test
    void podUpdatesAndOtherResourcesAreIgnored() {
        ObjectNode pod = pod(ONE_CONTAINER);
        assertTrue(admitAndValidate(update("", "v1", "pods", "Pod", pod, pod.deepCopy(), ADMIN)).allowed());
        assertFalse(pod.path("spec").has("serviceAccountName"));
        ObjectNode deployment = json("{'metadata':{'name':'d','namespace':'team'},'spec':{'template':{'spec':"
                + ONE_CONTAINER + "}}}");
        assertTrue(admitAndValidate(create("apps", "v1", "deployments", "Deployment", deployment, ADMIN)).allowed());
        assertFalse(deployment.path("spec").path("template").path("spec").has("serviceAccountName"));
    }

    @Test
    void validationAloneRequiresAServiceAccountName() {
        assertEquals("pods \"web\" is forbidden: no service account specified for pod team/web",
                plugin.validate(create("pods", "Pod", pod(ONE_CONTAINER))).message());
    }

    @Test
    void nameIsUpstreams() {
        assertEquals("ServiceAccount", plugin.name());
    }
}
