package dev.okube.apiserver.defaults;

import static dev.okube.apiserver.defaults.Json.defaultEmptyObject;
import static dev.okube.apiserver.defaults.Json.defaultPointer;
import static dev.okube.apiserver.defaults.Json.defaultString;
import static dev.okube.apiserver.defaults.Json.empty;
import static dev.okube.apiserver.defaults.Json.items;
import static dev.okube.apiserver.defaults.Json.obj;
import static dev.okube.apiserver.defaults.Json.objOrCreate;
import static dev.okube.apiserver.defaults.Json.text;

import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaulting of the networking, RBAC, storage, scheduling, discovery, admission-registration,
 * flow-control, authentication, aggregation and apiextensions kinds.
 */
final class ClusterDefaults {
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private ClusterDefaults() {
    }

    static void networkPolicy(ObjectNode policy) {
        ObjectNode spec = obj(policy, "spec");
        if (spec == null) {
            return;
        }
        // A policy naming no types is an ingress policy, and an egress one too if it lists egress rules.
        if (empty(spec, "policyTypes")) {
            ArrayNode types = spec.putArray("policyTypes");
            types.add("Ingress");
            if (!empty(spec, "egress")) {
                types.add("Egress");
            }
        }
        for (String direction : new String[] {"ingress", "egress"}) {
            for (ObjectNode rule : items(spec, direction)) {
                for (ObjectNode port : items(rule, "ports")) {
                    defaultPointer(port, "protocol", "TCP");
                }
            }
        }
    }

    static void ingressClass(ObjectNode ingressClass) {
        defaultPointer(obj(obj(ingressClass, "spec"), "parameters"), "scope", "Cluster");
    }

    static void roleBinding(ObjectNode binding) {
        defaultString(obj(binding, "roleRef"), "apiGroup", RBAC_GROUP);
        for (ObjectNode subject : items(binding, "subjects")) {
            // ServiceAccount subjects default to the core group "", which serializes as absent.
            String kind = text(subject, "kind");
            if (kind.equals("User") || kind.equals("Group")) {
                defaultString(subject, "apiGroup", RBAC_GROUP);
            }
        }
    }

    static void storageClass(ObjectNode storageClass) {
        defaultPointer(storageClass, "reclaimPolicy", "Delete");
        defaultPointer(storageClass, "volumeBindingMode", "Immediate");
    }

    static void csiDriver(ObjectNode driver) {
        ObjectNode spec = obj(driver, "spec");
        if (spec == null) {
            return;
        }
        defaultPointer(spec, "attachRequired", true);
        defaultPointer(spec, "podInfoOnMount", false);
        defaultPointer(spec, "storageCapacity", false);
        defaultPointer(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType");
        if (empty(spec, "volumeLifecycleModes")) {
            spec.putArray("volumeLifecycleModes").add("Persistent");
        }
        defaultPointer(spec, "requiresRepublish", false);
        // SELinuxMountReadWriteOncePod is beta and on at 1.32.
        defaultPointer(spec, "seLinuxMount", false);
    }

    static void priorityClass(ObjectNode priorityClass) {
        defaultPointer(priorityClass, "preemptionPolicy", "PreemptLowerPriority");
    }

    static void endpointSlice(ObjectNode slice) {
        for (ObjectNode port : items(slice, "ports")) {
            defaultPointer(port, "name", "");
            defaultPointer(port, "protocol", "TCP");
        }
    }

    static void validatingWebhookConfiguration(ObjectNode configuration) {
        for (ObjectNode webhook : items(configuration, "webhooks")) {
            webhook(webhook);
        }
    }

    static void mutatingWebhookConfiguration(ObjectNode configuration) {
        for (ObjectNode webhook : items(configuration, "webhooks")) {
            webhook(webhook);
            defaultPointer(webhook, "reinvocationPolicy", "Never");
        }
    }

    /** What validating and mutating webhooks share; in v1 sideEffects and review versions are required. */
    private static void webhook(ObjectNode webhook) {
        defaultPointer(webhook, "failurePolicy", "Fail");
        defaultPointer(webhook, "matchPolicy", "Equivalent");
        defaultEmptyObject(webhook, "namespaceSelector");
        defaultEmptyObject(webhook, "objectSelector");
        defaultPointer(webhook, "timeoutSeconds", 10);
        for (ObjectNode rule : items(webhook, "rules")) {
            defaultPointer(rule, "scope", "*");
        }
        defaultPointer(obj(obj(webhook, "clientConfig"), "service"), "port", 443);
    }

    static void validatingAdmissionPolicy(ObjectNode policy) {
        ObjectNode spec = obj(policy, "spec");
        defaultPointer(spec, "failurePolicy", "Fail");
        matchResources(obj(spec, "matchConstraints"));
    }

    static void validatingAdmissionPolicyBinding(ObjectNode binding) {
        matchResources(obj(obj(binding, "spec"), "matchResources"));
    }

    private static void matchResources(ObjectNode match) {
        if (match == null) {
            return;
        }
        defaultPointer(match, "matchPolicy", "Equivalent");
        defaultEmptyObject(match, "namespaceSelector");
        defaultEmptyObject(match, "objectSelector");
        for (String list : new String[] {"resourceRules", "excludeResourceRules"}) {
            for (ObjectNode rule : items(match, list)) {
                defaultPointer(rule, "scope", "*");
            }
        }
    }

    static void flowSchema(ObjectNode flowSchema) {
        Json.defaultInt(obj(flowSchema, "spec"), "matchingPrecedence", 1000);
    }

    static void priorityLevelConfiguration(ObjectNode level) {
        ObjectNode spec = obj(level, "spec");
        ObjectNode limited = obj(spec, "limited");
        if (limited != null) {
            // A pointer in v1, so that an explicit 0 (no nominal seats of its own) survives.
            defaultPointer(limited, "nominalConcurrencyShares", 30);
            defaultPointer(limited, "lendablePercent", 0);
            ObjectNode queuing = obj(obj(limited, "limitResponse"), "queuing");
            Json.defaultInt(queuing, "handSize", 8);
            Json.defaultInt(queuing, "queues", 64);
            Json.defaultInt(queuing, "queueLengthLimit", 50);
        }
        ObjectNode exempt = obj(spec, "exempt");
        defaultPointer(exempt, "nominalConcurrencyShares", 0);
        defaultPointer(exempt, "lendablePercent", 0);
    }

    static void apiService(ObjectNode apiService) {
        defaultPointer(obj(obj(apiService, "spec"), "service"), "port", 443);
    }

    static void tokenRequest(ObjectNode tokenRequest) {
        // One hour; the server may still shorten or lengthen what it grants.
        defaultPointer(obj(tokenRequest, "spec"), "expirationSeconds", 3600);
    }

    static void customResourceDefinition(ObjectNode crd) {
        ObjectNode spec = obj(crd, "spec");
        if (spec == null) {
            return;
        }
        ObjectNode names = obj(spec, "names");
        if (names != null) {
            String kind = text(names, "kind");
            defaultString(names, "singular", kind.toLowerCase(Locale.ROOT));
            if (!kind.isEmpty()) {
                defaultString(names, "listKind", kind + "List");
            }
        }
        if (Json.unset(spec, "conversion")) {
            spec.putObject("conversion").put("strategy", "None");
        }
        defaultPointer(obj(obj(obj(obj(spec, "conversion"), "webhook"), "clientConfig"), "service"), "port", 443);
        ObjectNode status = obj(crd, "status");
        if (status == null || empty(status, "storedVersions")) {
            for (ObjectNode version : items(spec, "versions")) {
                if (Json.isTrue(version, "storage")) {
                    ObjectNode target = objOrCreate(crd, "status");
                    if (target != null) {
                        target.putArray("storedVersions").add(text(version, "name"));
                    }
                    break;
                }
            }
        }
    }
}
