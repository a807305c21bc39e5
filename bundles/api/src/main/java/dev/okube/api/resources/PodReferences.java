package dev.okube.api.resources;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The API objects a pod names, as upstream's podutil.VisitPodSecretNames and VisitPodConfigmapNames
 * and the Node authorizer's claim walk: what a kubelet running the pod needs to read. Shared by the
 * Node authorizer's graph, the NodeRestriction admission plugin (mirror pods may name none) and the
 * ServiceAccount admission plugin (pods of mountable-secrets service accounts). Each method takes the
 * Pod object (not only its spec), returns the names in first-seen order without duplicates or empty
 * names, and treats absent fields as empty.
 */
public final class PodReferences {
    /** The container lists whose env and envFrom may name secrets and config maps. */
    private static final String[] CONTAINER_LISTS = {"initContainers", "containers", "ephemeralContainers"};

    /** Volume sources whose {@code secretRef.name} names a secret of the pod's namespace. */
    private static final String[] VOLUME_SECRET_REFS = {"cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi",
        "storageos"};

    private PodReferences() {
    }

    /** Names of the secrets a pod references (image pull secrets, env, envFrom, volumes). */
    public static Set<String> secrets(JsonNode pod) {
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
            for (String source : VOLUME_SECRET_REFS) {
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
    public static Set<String> configMaps(JsonNode pod) {
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
    public static Set<String> persistentVolumeClaims(JsonNode pod) {
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
    public static Set<String> resourceClaims(JsonNode pod) {
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

    private static void add(Set<String> names, JsonNode name) {
        String value = name.asString("");
        if (!value.isEmpty()) {
            names.add(value);
        }
    }
}
