package dev.okube.admission.podsecurity;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Where the pod template of each built-in pod controller sits (upstream's DefaultPodSpecExtractor):
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers and
 * PodTemplates. Templates are evaluated for warn and audit only.
 */
final class PodTemplates {
    /** A pod's (or template's) metadata and spec; absent parts read as empty, as Go's zero values. */
    record PodParts(JsonNode metadata, JsonNode spec) {
    }

    private static final Map<String, String[]> TEMPLATE_PATHS = Map.of(
            "/replicationcontrollers", new String[] {"spec", "template"},
            "/podtemplates", new String[] {"template"},
            "apps/replicasets", new String[] {"spec", "template"},
            "apps/deployments", new String[] {"spec", "template"},
            "apps/statefulsets", new String[] {"spec", "template"},
            "apps/daemonsets", new String[] {"spec", "template"},
            "batch/jobs", new String[] {"spec", "template"},
            "batch/cronjobs", new String[] {"spec", "jobTemplate", "spec", "template"});

    private PodTemplates() {
    }

    /** Whether a resource is a pod controller with a template to evaluate. */
    static boolean hasTemplate(String group, String resource) {
        return TEMPLATE_PATHS.containsKey(group + "/" + resource);
    }

    /**
     * The template of a pod controller. Empty only for a ReplicationController without one (its
     * template is optional); the other kinds always have a template, an absent one reading as empty.
     */
    static Optional<PodParts> template(String group, String resource, JsonNode object) {
        String[] path = TEMPLATE_PATHS.get(group + "/" + resource);
        if (path == null) {
            throw new IllegalArgumentException("not a pod controller: " + group + "/" + resource);
        }
        JsonNode template = object;
        for (String field : path) {
            template = template.path(field);
        }
        if (!PodJson.present(template)) {
            if ("replicationcontrollers".equals(resource)) {
                return Optional.empty();
            }
            template = MissingNode.getInstance();
        }
        return Optional.of(new PodParts(template.path("metadata"), template.path("spec")));
    }
}
