package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.TestPods.assertAllowed;
import static dev.okube.admission.podsecurity.TestPods.assertForbidden;
import static dev.okube.admission.podsecurity.TestPods.meta;
import static dev.okube.admission.podsecurity.TestPods.pod;
import static dev.okube.admission.podsecurity.TestPods.spec;

import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each restricted check passing and failing, with upstream's messages. */
class RestrictedChecksTest {

    private static CheckResult run(BiFunction<JsonNode, JsonNode, CheckResult> check, JsonNode pod) {
        return check.apply(meta(pod), spec(pod));
    }

    @Test
    void allowPrivilegeEscalationMustBeFalse() {
        JsonNode pod = pod("{'containers':[{'name':'a'},{'name':'b','securityContext':{'allowPrivilegeEscalation':null}},"
                + "{'name':'c','securityContext':{'allowPrivilegeEscalation':true}},"
                + "{'name':'d','securityContext':{'allowPrivilegeEscalation':false}}]}");
        assertForbidden(run(RestrictedChecks::allowPrivilegeEscalation, pod), "allowPrivilegeEscalation != false",
                "containers \"a\", \"b\", \"c\" must set securityContext.allowPrivilegeEscalation=false");
        assertForbidden(run(RestrictedChecks::allowPrivilegeEscalation, pod("{'containers':[{'name':'a'}]}")),
                "allowPrivilegeEscalation != false",
                "container \"a\" must set securityContext.allowPrivilegeEscalation=false");
        assertAllowed(run(RestrictedChecks::allowPrivilegeEscalation,
                pod("{'containers':[{'name':'d','securityContext':{'allowPrivilegeEscalation':false}}]}")));
    }

    @Test
    void capabilitiesMustDropAllAndAddOnlyNetBindService() {
        JsonNode pod = pod("{'containers':[{'name':'a','securityContext':{'capabilities':{'add':['FOO']}}},"
                + "{'name':'b','securityContext':{'capabilities':{'add':['BAR','BAZ'],'drop':['NET_RAW']}}},"
                + "{'name':'c','securityContext':{'capabilities':{'add':['CHOWN','NET_BIND_SERVICE'],'drop':['ALL']}}},"
                + "{'name':'d','securityContext':{'capabilities':{'add':['NET_BIND_SERVICE'],'drop':['ALL']}}}]}");
        assertForbidden(run(RestrictedChecks::capabilities, pod), "unrestricted capabilities",
                "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; "
                        + "containers \"a\", \"b\", \"c\" must not include \"BAR\", \"BAZ\", \"CHOWN\", \"FOO\" in "
                        + "securityContext.capabilities.add");
        assertForbidden(run(RestrictedChecks::capabilities, pod("{'containers':[{'name':'a'}]}")),
                "unrestricted capabilities", "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]");
        assertAllowed(run(RestrictedChecks::capabilities, pod("{'containers':[{'name':'d','securityContext':"
                + "{'capabilities':{'add':['NET_BIND_SERVICE'],'drop':['NET_RAW','ALL']}}}]}")));
    }

    @Test
    void volumeTypes() {
        JsonNode pod = pod("{'volumes':[{'name':'a','configMap':{}},{'name':'b','csi':{'driver':'x'}},"
                + "{'name':'c','downwardAPI':{}},{'name':'d','emptyDir':{}},{'name':'e','ephemeral':{}},"
                + "{'name':'f','persistentVolumeClaim':{'claimName':'x'}},{'name':'g','projected':{}},"
                + "{'name':'h','secret':{}},{'name':'i','image':{'reference':'x'}},"
                + "{'name':'j','hostPath':{'path':'/'}},{'name':'k','gcePersistentDisk':{}},"
                + "{'name':'l','awsElasticBlockStore':{}},{'name':'m','gitRepo':{}},{'name':'n','nfs':{}},"
                + "{'name':'o','iscsi':{}},{'name':'p','glusterfs':{}},{'name':'q','rbd':{}},"
                + "{'name':'r','flexVolume':{}},{'name':'s','cinder':{}},{'name':'t','cephfs':{}},"
                + "{'name':'u','flocker':{}},{'name':'v','fc':{}},{'name':'w','azureFile':{}},"
                + "{'name':'x','vsphereVolume':{}},{'name':'y','quobyte':{}},{'name':'z','azureDisk':{}},"
                + "{'name':'aa','portworxVolume':{}},{'name':'bb','photonPersistentDisk':{}},"
                + "{'name':'cc','scaleIO':{}},{'name':'dd','storageos':{}},{'name':'ee'}]}");
        assertForbidden(run(RestrictedChecks::volumes, pod), "restricted volume types",
                "volumes \"j\", \"k\", \"l\", \"m\", \"n\", \"o\", \"p\", \"q\", \"r\", \"s\", \"t\", \"u\", \"v\", "
                        + "\"w\", \"x\", \"y\", \"z\", \"aa\", \"bb\", \"cc\", \"dd\", \"ee\" use restricted volume types "
                        + "\"awsElasticBlockStore\", \"azureDisk\", \"azureFile\", \"cephfs\", \"cinder\", \"fc\", "
                        + "\"flexVolume\", \"flocker\", \"gcePersistentDisk\", \"gitRepo\", \"glusterfs\", \"hostPath\", "
                        + "\"iscsi\", \"nfs\", \"photonPersistentDisk\", \"portworxVolume\", \"quobyte\", \"rbd\", "
                        + "\"scaleIO\", \"storageos\", \"unknown\", \"vsphereVolume\"");
        assertForbidden(run(RestrictedChecks::volumes, pod("{'volumes':[{'name':'h','hostPath':{'path':'/'}}]}")),
                "restricted volume types", "volume \"h\" uses restricted volume type \"hostPath\"");
        assertAllowed(run(RestrictedChecks::volumes, pod("{'volumes':[{'name':'a','configMap':{'name':'x'}},"
                + "{'name':'b','projected':{'sources':[]}}]}")));
    }

    @Test
    void runAsNonRoot() {
        assertForbidden(run(RestrictedChecks::runAsNonRoot, pod("{'securityContext':{'runAsNonRoot':false},"
                + "'containers':[{'name':'a'},{'name':'b','securityContext':{'runAsNonRoot':true}},"
                + "{'name':'c','securityContext':{'runAsNonRoot':false}},{'name':'d','securityContext':{'runAsNonRoot':false}}]}")),
                "runAsNonRoot != true", "pod and containers \"c\", \"d\" must not set securityContext.runAsNonRoot=false");
        assertForbidden(run(RestrictedChecks::runAsNonRoot, pod("{'securityContext':{'runAsNonRoot':false},"
                + "'containers':[{'name':'a'}]}")),
                "runAsNonRoot != true", "pod must not set securityContext.runAsNonRoot=false");
        assertForbidden(run(RestrictedChecks::runAsNonRoot, pod("{'containers':[{'name':'a'},{'name':'b'},"
                + "{'name':'c','securityContext':{'runAsNonRoot':true}}]}")),
                "runAsNonRoot != true", "pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true");
        assertAllowed(run(RestrictedChecks::runAsNonRoot, pod("{'securityContext':{'runAsNonRoot':true},"
                + "'containers':[{'name':'a'},{'name':'b','securityContext':{'runAsNonRoot':true}}]}")));
        assertAllowed(run(RestrictedChecks::runAsNonRoot,
                pod("{'containers':[{'name':'a','securityContext':{'runAsNonRoot':true}}]}")));
    }

    @Test
    void runAsUserZero() {
        assertForbidden(run(RestrictedChecks::runAsUser, pod("{'securityContext':{'runAsUser':0},'containers':["
                + "{'name':'a'},{'name':'b','securityContext':{'runAsUser':1000}},"
                + "{'name':'c','securityContext':{'runAsUser':0}},{'name':'d','securityContext':{'runAsUser':0}}]}")),
                "runAsUser=0", "pod and containers \"c\", \"d\" must not set runAsUser=0");
        assertForbidden(run(RestrictedChecks::runAsUser, pod("{'securityContext':{'runAsUser':0}}")),
                "runAsUser=0", "pod must not set runAsUser=0");
        assertAllowed(run(RestrictedChecks::runAsUser, pod("{'securityContext':{'runAsUser':1000},"
                + "'containers':[{'name':'a'}]}")));
    }

    @Test
    void seccompMustBeSetAndSafe() {
        assertForbidden(run(RestrictedChecks::seccompProfile, pod("{'securityContext':{'seccompProfile':"
                + "{'type':'Unconfined'}},'containers':[{'name':'a'},{'name':'c','securityContext':{'seccompProfile':"
                + "{'type':'Unconfined'}}},{'name':'d','securityContext':{'seccompProfile':{'type':'Unconfined'}}}]}")),
                "seccompProfile",
                "pod and containers \"c\", \"d\" must not set securityContext.seccompProfile.type to \"Unconfined\"");
        assertForbidden(run(RestrictedChecks::seccompProfile, pod("{'containers':[{'name':'a'},{'name':'b'}]}")),
                "seccompProfile", "pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to "
                        + "\"RuntimeDefault\" or \"Localhost\"");
        assertForbidden(run(RestrictedChecks::seccompProfile, pod("{'containers':[{'name':'a'},{'name':'b',"
                + "'securityContext':{'seccompProfile':{'type':'RuntimeDefault'}}}]}")),
                "seccompProfile", "pod or container \"a\" must set securityContext.seccompProfile.type to "
                        + "\"RuntimeDefault\" or \"Localhost\"");
        assertAllowed(run(RestrictedChecks::seccompProfile, pod("{'securityContext':{'seccompProfile':"
                + "{'type':'RuntimeDefault'}},'containers':[{'name':'a'},{'name':'b','securityContext':"
                + "{'seccompProfile':{'type':'Localhost','localhostProfile':'x'}}}]}")));
    }
}
