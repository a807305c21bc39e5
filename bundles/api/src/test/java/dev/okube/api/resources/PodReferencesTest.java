package dev.okube.api.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PodReferencesTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode json(String singleQuoted) {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    private static final JsonNode POD = json("{'metadata':{'name':'web'},'spec':{"
            + "'imagePullSecrets':[{'name':'pull'},{'name':''}],"
            + "'initContainers':[{'envFrom':[{'secretRef':{'name':'init-env'}},{'configMapRef':{'name':'init-cm'}}]}],"
            + "'containers':[{'env':[{'name':'A','valueFrom':{'secretKeyRef':{'name':'key','key':'k'}}},"
            + "{'name':'B','valueFrom':{'configMapKeyRef':{'name':'cm-key','key':'k'}}},{'name':'C','value':'x'}]}],"
            + "'ephemeralContainers':[{'envFrom':[{'secretRef':{'name':'debug'}}]}],"
            + "'volumes':[{'name':'s','secret':{'secretName':'vol'}},"
            + "{'name':'az','azureFile':{'secretName':'azure','shareName':'x'}},"
            + "{'name':'ceph','cephfs':{'monitors':['m'],'secretRef':{'name':'ceph'}}},"
            + "{'name':'scsi','iscsi':{'secretRef':{'name':'chap'}}},"
            + "{'name':'csi','csi':{'driver':'d','nodePublishSecretRef':{'name':'csi'}}},"
            + "{'name':'p','projected':{'sources':[{'secret':{'name':'proj'}},{'configMap':{'name':'proj-cm'}},"
            + "{'serviceAccountToken':{'path':'t'}}]}},"
            + "{'name':'c','configMap':{'name':'vol-cm'}},"
            + "{'name':'again','secret':{'secretName':'pull'}},"
            + "{'name':'data','persistentVolumeClaim':{'claimName':'data-claim'}},"
            + "{'name':'scratch','ephemeral':{'volumeClaimTemplate':{'spec':{}}}}],"
            + "'resourceClaims':[{'name':'gpu','resourceClaimName':'gpu-claim'},"
            + "{'name':'tpl','resourceClaimTemplateName':'t'},{'name':'pending','resourceClaimTemplateName':'t2'}]},"
            + "'status':{'resourceClaimStatuses':[{'name':'tpl','resourceClaimName':'web-tpl-x1'}]}}");

    @Test
    void secretsInFirstSeenOrderWithoutDuplicatesOrEmptyNames() {
        assertEquals(List.of("pull", "init-env", "key", "debug", "vol", "azure", "ceph", "chap", "csi", "proj"),
                List.copyOf(PodReferences.secrets(POD)));
    }

    @Test
    void configMapsFromEnvAndVolumes() {
        assertEquals(List.of("init-cm", "cm-key", "proj-cm", "vol-cm"), List.copyOf(PodReferences.configMaps(POD)));
    }

    @Test
    void claimsIncludeGenericEphemeralVolumes() {
        assertEquals(List.of("data-claim", "web-scratch"), List.copyOf(PodReferences.persistentVolumeClaims(POD)));
    }

    @Test
    void resourceClaimsNamedOrRecordedInStatus() {
        assertEquals(List.of("gpu-claim", "web-tpl-x1"), List.copyOf(PodReferences.resourceClaims(POD)));
    }

    @Test
    void aPodWithoutSpecNamesNothing() {
        JsonNode bare = json("{'metadata':{'name':'x'}}");
        assertTrue(PodReferences.secrets(bare).isEmpty());
        assertTrue(PodReferences.configMaps(bare).isEmpty());
        assertTrue(PodReferences.persistentVolumeClaims(bare).isEmpty());
        assertTrue(PodReferences.resourceClaims(bare).isEmpty());
    }
}
