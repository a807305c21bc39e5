package dev.okube.auth.node;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The API objects a pod or a persistent volume names, as upstream's podutil.VisitPodSecretNames,
 * VisitPodConfigmapNames and VisitPVSecretNames: what a kubelet running the pod needs to read.
 */
final class References {
    /** The container lists whose env and envFrom may name secrets and config maps. */
    private static final String[] CONTAINER_LISTS = {"initContainers", "containers", "ephemeralContainers"};

    /** Volume sources whose {@code secretRef.name} names a secret of the pod's namespace. */
    private static final String[] POD_VOLUME_SECRET_REFS = {"cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi",
        "storageos"};

    /** PV sources whose {@code secretRef} (namespace and name) names a secret. */
    private static final String[] PV_SECRET_REFS = {"cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi",
        "storageos"};

    /** The CSI secret references of a PersistentVolume. */
    private static final String[] PV_CSI_SECRET_REFS = {"controllerPublishSecretRef", "nodeStageSecretRef",
        "nodePublishSecretRef", "controllerExpandSecretRef", "nodeExpandSecretRef"};

    private References() {
    }

    /** Names of the secrets a pod references (image pull secrets, env, envFrom, volumes). */
    static Set<String> podSecrets(JsonNode pod) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode spec = pod.path("spec");
        for (JsonNode ref : spec.path("imagePullSecrets")) {
            add(names, ref.path("name"));
        }
        for (String list : CONTAINER_LISTS) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode envFrom : container.path("envFrom")) {
                    add(names, envFrom.path("secretRef").path("name"));
                }
                for (JsonNode env : container.path("env")) {
                    add(names, env.path("valueFrom").path("secretKeyRef").path("name"));
                }
            }
        }
        for (JsonNode volume : spec.path("volumes")) {
            add(names, volume.path("secret").path("secretName"));
            add(names, volume.path("azureFile").path("secretName"));
            for (String source : POD_VOLUME_SECRET_REFS) {
                add(names, volume.path(source).path("secretRef").path("name"));
            }
            add(names, volume.path("csi").path("nodePublishSecretRef").path("name"));
            for (JsonNode projection : volume.path("projected").path("sources")) {
                add(names, projection.path("secret").path("name"));
            }
        }
        return names;
    }

    /** Names of the config maps a pod references (env, envFrom, volumes). */
    static Set<String> podConfigMaps(JsonNode pod) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode spec = pod.path("spec");
        for (String list : CONTAINER_LISTS) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode envFrom : container.path("envFrom")) {
                    add(names, envFrom.path("configMapRef").path("name"));
                }
                for (JsonNode env : container.path("env")) {
                    add(names, env.path("valueFrom").path("configMapKeyRef").path("name"));
                }
            }
        }
        for (JsonNode volume : spec.path("volumes")) {
            add(names, volume.path("configMap").path("name"));
            for (JsonNode projection : volume.path("projected").path("sources")) {
                add(names, projection.path("configMap").path("name"));
            }
        }
        return names;
    }

    /**
     * Names of the persistent volume claims a pod uses: those named by its volumes, and the claims
     * generic ephemeral volumes get ({@code <pod>-<volume>}).
     */
    static Set<String> podClaims(JsonNode pod) {
        Set<String> names = new LinkedHashSet<>();
        String podName = pod.path("metadata").path("name").asString("");
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            add(names, volume.path("persistentVolumeClaim").path("claimName"));
            if (volume.path("ephemeral").isObject()) {
                names.add(podName + "-" + volume.path("name").asString(""));
            }
        }
        return names;
    }

    /**
     * Names of the DRA resource claims a pod uses: a claim it names directly, or the claim generated
     * for a template as recorded in {@code status.resourceClaimStatuses} (none yet when not recorded).
     */
    static Set<String> podResourceClaims(JsonNode pod) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode claim : pod.path("spec").path("resourceClaims")) {
            if (claim.path("resourceClaimName").isString()) {
                add(names, claim.path("resourceClaimName"));
            } else if (claim.path("resourceClaimTemplateName").isString()) {
                String entry = claim.path("name").asString("");
                for (JsonNode status : pod.path("status").path("resourceClaimStatuses")) {
                    if (entry.equals(status.path("name").asString(""))) {
                        add(names, status.path("resourceClaimName"));
                    }
                }
            }
        }
        return names;
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

    private static void add(Set<String> names, JsonNode name) {
        String value = name.asString("");
        if (!value.isEmpty()) {
            names.add(value);
        }
    }

    private static void addKey(Set<String> keys, String namespace, String name) {
        if (!name.isEmpty()) {
            keys.add(namespace + "/" + name);
        }
    }
}
