package dev.okube.apiserver.defaults;

import static dev.okube.apiserver.defaults.Json.defaultPointer;
import static dev.okube.apiserver.defaults.Json.defaultString;
import static dev.okube.apiserver.defaults.Json.empty;
import static dev.okube.apiserver.defaults.Json.items;
import static dev.okube.apiserver.defaults.Json.obj;
import static dev.okube.apiserver.defaults.Json.objOrCreate;
import static dev.okube.apiserver.defaults.Json.text;
import static dev.okube.apiserver.defaults.Json.unset;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaulting of the core (legacy, group "") v1 kinds other than the pod internals. */
final class CoreDefaults {
    private CoreDefaults() {
    }

    static void podTemplate(ObjectNode podTemplate) {
        PodDefaults.template(obj(podTemplate, "template"));
    }

    static void replicationController(ObjectNode rc) {
        ObjectNode spec = obj(rc, "spec");
        if (spec == null) {
            return;
        }
        ObjectNode template = obj(spec, "template");
        ObjectNode labels = obj(obj(template, "metadata"), "labels");
        // The template's labels stand in for a missing selector and for missing object labels.
        if (labels != null) {
            if (empty(spec, "selector")) {
                spec.set("selector", labels.deepCopy());
            }
            ObjectNode metadata = objOrCreate(rc, "metadata");
            if (metadata != null && empty(metadata, "labels")) {
                metadata.set("labels", labels.deepCopy());
            }
        }
        defaultPointer(spec, "replicas", 1);
        PodDefaults.template(template);
    }

    static void service(ObjectNode service) {
        ObjectNode spec = obj(service, "spec");
        if (spec == null) {
            return;
        }
        defaultString(spec, "sessionAffinity", "None");
        String affinity = text(spec, "sessionAffinity");
        if (affinity.equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (affinity.equals("ClientIP")) {
            ObjectNode clientIP = obj(obj(spec, "sessionAffinityConfig"), "clientIP");
            if (clientIP == null || unset(clientIP, "timeoutSeconds")) {
                // Three hours, upstream's DefaultClientIPServiceAffinitySeconds; the whole config is replaced.
                spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
            }
        }
        defaultString(spec, "type", "ClusterIP");
        String type = text(spec, "type");
        for (ObjectNode port : items(spec, "ports")) {
            defaultString(port, "protocol", "TCP");
            if (Json.zero(port, "targetPort")) {
                JsonNode number = port.get("port");
                if (number != null && number.isNumber()) {
                    port.set("targetPort", number);
                } else {
                    port.put("targetPort", 0);
                }
            }
        }
        boolean externallyAccessible = type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && !empty(spec, "externalIPs"));
        if (externallyAccessible) {
            defaultString(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer")) {
            defaultPointer(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            defaultPointer(spec, "allocateLoadBalancerNodePorts", true);
            for (ObjectNode ingress : items(obj(obj(service, "status"), "loadBalancer"), "ingress")) {
                if (!text(ingress, "ip").isEmpty()) {
                    defaultPointer(ingress, "ipMode", "VIP");
                }
            }
        }
    }

    static void namespace(ObjectNode namespace) {
        ObjectNode metadata = obj(namespace, "metadata");
        String name = text(metadata, "name");
        if (!name.isEmpty()) {
            // Every named namespace carries its own name as a label, so selectors can match it.
            ObjectNode labels = objOrCreate(metadata, "labels");
            if (labels != null) {
                labels.put("kubernetes.io/metadata.name", name);
            }
        }
        defaultString(objOrCreate(namespace, "status"), "phase", "Active");
    }

    static void secret(ObjectNode secret) {
        defaultString(secret, "type", "Opaque");
    }

    static void persistentVolume(ObjectNode pv) {
        ObjectNode spec = obj(pv, "spec");
        if (spec != null) {
            defaultString(spec, "persistentVolumeReclaimPolicy", "Retain");
            defaultPointer(spec, "volumeMode", "Filesystem");
            PodDefaults.sharedSources(spec);
            Quantity.resourceList(spec, "capacity");
        }
        defaultString(objOrCreate(pv, "status"), "phase", "Pending");
    }

    static void persistentVolumeClaim(ObjectNode pvc) {
        PodDefaults.pvc(pvc);
    }

    static void node(ObjectNode node) {
        ObjectNode status = obj(node, "status");
        if (status != null && unset(status, "allocatable") && obj(status, "capacity") != null) {
            status.set("allocatable", obj(status, "capacity").deepCopy());
        }
        Quantity.resourceList(status, "capacity");
        Quantity.resourceList(status, "allocatable");
    }

    static void endpoints(ObjectNode endpoints) {
        for (ObjectNode subset : items(endpoints, "subsets")) {
            for (ObjectNode port : items(subset, "ports")) {
                defaultString(port, "protocol", "TCP");
            }
        }
    }

    static void limitRange(ObjectNode limitRange) {
        for (ObjectNode item : items(obj(limitRange, "spec"), "limits")) {
            if (!text(item, "type").equals("Container")) {
                continue;
            }
            // default falls back to max, defaultRequest to default and then to min. Empty maps are
            // omitted when Go serializes, so the fields only appear when something was filled in.
            ObjectNode defaults = fill(item, "default", obj(item, "max"), null);
            ObjectNode requests = fill(item, "defaultRequest", defaults, null);
            fill(item, "defaultRequest", obj(item, "min"), requests);
        }
        for (ObjectNode item : items(obj(limitRange, "spec"), "limits")) {
            for (String list : new String[] {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
                Quantity.resourceList(item, list);
            }
        }
    }

    static void resourceQuota(ObjectNode quota) {
        Quantity.resourceList(obj(quota, "spec"), "hard");
        ObjectNode status = obj(quota, "status");
        Quantity.resourceList(status, "hard");
        Quantity.resourceList(status, "used");
    }

    /** Copies entries of {@code from} missing in field {@code target} of {@code item}; returns the field. */
    private static ObjectNode fill(ObjectNode item, String target, ObjectNode from, ObjectNode known) {
        ObjectNode existing = known != null ? known : obj(item, target);
        if (from == null || from.isEmpty()) {
            return existing;
        }
        if (existing == null) {
            if (!unset(item, target)) {
                return null;
            }
            existing = item.putObject(target);
        }
        for (Map.Entry<String, JsonNode> entry : from.properties()) {
            if (!existing.has(entry.getKey())) {
                existing.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        return existing;
    }
}
