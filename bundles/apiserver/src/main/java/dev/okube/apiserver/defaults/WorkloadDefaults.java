package dev.okube.apiserver.defaults;

import static dev.okube.apiserver.defaults.Json.defaultPointer;
import static dev.okube.apiserver.defaults.Json.defaultString;
import static dev.okube.apiserver.defaults.Json.empty;
import static dev.okube.apiserver.defaults.Json.items;
import static dev.okube.apiserver.defaults.Json.obj;
import static dev.okube.apiserver.defaults.Json.objOrCreate;
import static dev.okube.apiserver.defaults.Json.text;
import static dev.okube.apiserver.defaults.Json.unset;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaulting of apps/v1, batch/v1 and autoscaling workloads. */
final class WorkloadDefaults {
    private WorkloadDefaults() {
    }

    static void deployment(ObjectNode deployment) {
        ObjectNode spec = obj(deployment, "spec");
        if (spec == null) {
            return;
        }
        defaultPointer(spec, "replicas", 1);
        ObjectNode strategy = objOrCreate(spec, "strategy");
        if (strategy != null) {
            defaultString(strategy, "type", "RollingUpdate");
            if (text(strategy, "type").equals("RollingUpdate")) {
                ObjectNode rollingUpdate = objOrCreate(strategy, "rollingUpdate");
                defaultPointer(rollingUpdate, "maxUnavailable", "25%");
                defaultPointer(rollingUpdate, "maxSurge", "25%");
            }
        }
        defaultPointer(spec, "revisionHistoryLimit", 10);
        defaultPointer(spec, "progressDeadlineSeconds", 600);
        PodDefaults.template(obj(spec, "template"));
    }

    static void replicaSet(ObjectNode replicaSet) {
        ObjectNode spec = obj(replicaSet, "spec");
        defaultPointer(spec, "replicas", 1);
        PodDefaults.template(obj(spec, "template"));
    }

    static void daemonSet(ObjectNode daemonSet) {
        ObjectNode spec = obj(daemonSet, "spec");
        if (spec == null) {
            return;
        }
        ObjectNode strategy = objOrCreate(spec, "updateStrategy");
        if (strategy != null) {
            defaultString(strategy, "type", "RollingUpdate");
            if (text(strategy, "type").equals("RollingUpdate")) {
                ObjectNode rollingUpdate = objOrCreate(strategy, "rollingUpdate");
                defaultPointer(rollingUpdate, "maxUnavailable", 1);
                defaultPointer(rollingUpdate, "maxSurge", 0);
            }
        }
        defaultPointer(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(obj(spec, "template"));
    }

    static void statefulSet(ObjectNode statefulSet) {
        ObjectNode spec = obj(statefulSet, "spec");
        if (spec == null) {
            return;
        }
        defaultString(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = objOrCreate(spec, "updateStrategy");
        if (strategy != null) {
            // Unlike Deployment, an explicit RollingUpdate without rollingUpdate keeps it absent.
            if (Json.zero(strategy, "type")) {
                strategy.put("type", "RollingUpdate");
                objOrCreate(strategy, "rollingUpdate");
            }
            if (text(strategy, "type").equals("RollingUpdate")) {
                defaultPointer(obj(strategy, "rollingUpdate"), "partition", 0);
            }
        }
        // StatefulSetAutoDeletePVC is on at 1.32: both triggers default to keeping the claims.
        ObjectNode retention = objOrCreate(spec, "persistentVolumeClaimRetentionPolicy");
        defaultString(retention, "whenDeleted", "Retain");
        defaultString(retention, "whenScaled", "Retain");
        defaultPointer(spec, "replicas", 1);
        defaultPointer(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(obj(spec, "template"));
        for (ObjectNode claim : items(spec, "volumeClaimTemplates")) {
            Json.embeddedMetadata(claim);
            PodDefaults.pvc(claim);
        }
    }

    static void job(ObjectNode job) {
        ObjectNode spec = obj(job, "spec");
        if (spec == null) {
            return;
        }
        // A non-parallel job may leave both unset; then both are 1. Completions alone is never defaulted.
        if (unset(spec, "completions") && unset(spec, "parallelism")) {
            spec.put("completions", 1);
        }
        defaultPointer(spec, "parallelism", 1);
        // With per-index backoff the global limit must not interfere, so it becomes MaxInt32.
        defaultPointer(spec, "backoffLimit", unset(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
        ObjectNode labels = obj(obj(obj(spec, "template"), "metadata"), "labels");
        ObjectNode metadata = obj(job, "metadata");
        if (labels != null && (metadata == null || empty(metadata, "labels"))) {
            metadata = objOrCreate(job, "metadata");
            if (metadata != null) {
                metadata.set("labels", labels.deepCopy());
            }
        }
        defaultPointer(spec, "completionMode", "NonIndexed");
        defaultPointer(spec, "suspend", false);
        // JobPodReplacementPolicy is on at 1.32; with a pod failure policy only failed pods are replaced.
        defaultPointer(spec, "podReplacementPolicy", unset(spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
        defaultPointer(spec, "manualSelector", false);
        jobSpecCommon(spec);
    }

    /** What a JobSpec gets wherever it sits, including a CronJob's jobTemplate (no Job-level defaults). */
    private static void jobSpecCommon(ObjectNode spec) {
        for (ObjectNode rule : items(obj(spec, "podFailurePolicy"), "rules")) {
            for (ObjectNode pattern : items(rule, "onPodConditions")) {
                defaultString(pattern, "status", "True");
            }
        }
        PodDefaults.template(obj(spec, "template"));
    }

    static void cronJob(ObjectNode cronJob) {
        ObjectNode spec = obj(cronJob, "spec");
        if (spec == null) {
            return;
        }
        defaultString(spec, "concurrencyPolicy", "Allow");
        defaultPointer(spec, "suspend", false);
        defaultPointer(spec, "successfulJobsHistoryLimit", 3);
        defaultPointer(spec, "failedJobsHistoryLimit", 1);
        Json.embeddedMetadata(obj(spec, "jobTemplate"));
        ObjectNode jobSpec = obj(obj(spec, "jobTemplate"), "spec");
        if (jobSpec != null) {
            jobSpecCommon(jobSpec);
        }
    }

    static void horizontalPodAutoscalerV1(ObjectNode hpa) {
        defaultPointer(obj(hpa, "spec"), "minReplicas", 1);
    }

    static void horizontalPodAutoscalerV2(ObjectNode hpa) {
        ObjectNode spec = obj(hpa, "spec");
        if (spec == null) {
            return;
        }
        defaultPointer(spec, "minReplicas", 1);
        if (empty(spec, "metrics")) {
            // Without metrics the autoscaler targets 80% average CPU utilization.
            ObjectNode metric = spec.putArray("metrics").addObject();
            metric.put("type", "Resource");
            ObjectNode resource = metric.putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization").put("averageUtilization", 80);
        }
        for (ObjectNode metric : items(spec, "metrics")) {
            for (String source : new String[] {"object", "pods", "resource", "containerResource", "external"}) {
                ObjectNode target = obj(obj(metric, source), "target");
                Quantity.single(target, "value");
                Quantity.single(target, "averageValue");
            }
        }
        ObjectNode behavior = obj(spec, "behavior");
        if (behavior != null) {
            // Each direction is completed field by field from upstream's historical scaling behaviour.
            ObjectNode up = objOrCreate(behavior, "scaleUp");
            if (up != null) {
                defaultPointer(up, "stabilizationWindowSeconds", 0);
                defaultPointer(up, "selectPolicy", "Max");
                if (unset(up, "policies")) {
                    ArrayNode policies = up.putArray("policies");
                    policies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
                    policies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
                }
            }
            // Scale-down stabilization stays unset: the controller's command-line window applies.
            ObjectNode down = objOrCreate(behavior, "scaleDown");
            if (down != null) {
                defaultPointer(down, "selectPolicy", "Max");
                if (unset(down, "policies")) {
                    down.putArray("policies").addObject().put("type", "Percent").put("value", 100)
                            .put("periodSeconds", 15);
                }
            }
        }
    }
}
