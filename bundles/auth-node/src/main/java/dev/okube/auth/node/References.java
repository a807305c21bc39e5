package dev.okube.auth.node;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The secrets a persistent volume names, as upstream's VisitPVSecretNames: what a kubelet mounting
 * it needs to read. What a pod names is the SPI's {@link dev.okube.api.resources.PodReferences}.
 */
final class References {
    /** PV sources whose {@code secretRef} (namespace and name) names a secret. */
    private static final String[] PV_SECRET_REFS = {"cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi",
        "storageos"};

    /** The CSI secret references of a PersistentVolume. */
    private static final String[] PV_CSI_SECRET_REFS = {"controllerPublishSecretRef", "nodeStageSecretRef",
        "nodePublishSecretRef", "controllerExpandSecretRef", "nodeExpandSecretRef"};

    private References() {
    }

    /**
     * Secrets a persistent volume references, as "namespace/name". A reference without a namespace
     * means the claim's namespace (or "default" for an unbound volume), as upstream.
     */
    static Set<String> pvSecrets(JsonNode pv) {
        Set<String> keys = new LinkedHashSet<>();
        JsonNode spec = pv.path("spec");
        String claimNamespace = spec.path("claimRef").path("namespace").asString("");
        String fallback = claimNamespace.isEmpty() ? "default" : claimNamespace;
        JsonNode azure = spec.path("azureFile");
        if (azure.path("secretName").isString()) {
            String ns = azure.path("secretNamespace").asString("");
            addKey(keys, ns.isEmpty() ? fallback : ns, azure.path("secretName").asString(""));
        }
        for (String source : PV_SECRET_REFS) {
            JsonNode ref = spec.path(source).path("secretRef");
            if (ref.isObject()) {
                String ns = ref.path("namespace").asString("");
                addKey(keys, ns.isEmpty() ? fallback : ns, ref.path("name").asString(""));
            }
        }
        for (String field : PV_CSI_SECRET_REFS) {
            JsonNode ref = spec.path("csi").path(field);
            if (ref.isObject()) {
                addKey(keys, ref.path("namespace").asString(""), ref.path("name").asString(""));
            }
        }
        return keys;
    }

    private static void addKey(Set<String> keys, String namespace, String name) {
        if (!name.isEmpty()) {
            keys.add(namespace + "/" + name);
        }
    }
}
