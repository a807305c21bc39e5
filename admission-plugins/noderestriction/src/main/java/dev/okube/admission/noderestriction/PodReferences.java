package dev.okube.admission.noderestriction;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The secrets and config maps a pod names, as upstream's podutil.VisitPodSecretNames and
 * VisitPodConfigmapNames: what a kubelet running the pod could read.
 * (The same as the Node authorizer's; bundles share only the api bundle, so each keeps its copy.)
 */
final class PodReferences {
    /** The container lists whose env and envFrom may name secrets and config maps. */
    private static final String[] CONTAINER_LISTS = {"initContainers", "containers", "ephemeralContainers"};

    /** Volume sources whose {@code secretRef.name} names a secret of the pod's namespace. */
    private static final String[] POD_VOLUME_SECRET_REFS = {"cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi",
        "storageos"};

    private PodReferences() {
    }

    /** Names of the secrets a pod references (image pull secrets, env, envFrom, volumes). */
    static Set<String> secrets(JsonNode pod) {
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
    static Set<String> configMaps(JsonNode pod) {
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

    private static void add(Set<String> names, JsonNode name) {
        String value = name.asString("");
        if (!value.isEmpty()) {
            names.add(value);
        }
    }
}
