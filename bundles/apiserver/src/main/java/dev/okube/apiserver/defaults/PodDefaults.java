package dev.okube.apiserver.defaults;

import static dev.okube.apiserver.defaults.Json.defaultEmptyObject;
import static dev.okube.apiserver.defaults.Json.defaultInt;
import static dev.okube.apiserver.defaults.Json.defaultPointer;
import static dev.okube.apiserver.defaults.Json.defaultString;
import static dev.okube.apiserver.defaults.Json.items;
import static dev.okube.apiserver.defaults.Json.obj;
import static dev.okube.apiserver.defaults.Json.text;
import static dev.okube.apiserver.defaults.Json.unset;

import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaulting of core/v1 pod specs and everything nested in them: containers, probes, volumes and
 * the volume sources a PersistentVolume shares with pods.
 *
 * <p>Upstream applies two layers. Every PodSpec (in a Pod or in any PodTemplateSpec) gets the
 * PodSpec, Container, Probe and Volume defaults; only a Pod additionally gets the Pod-level ones
 * (enableServiceLinks, requests from limits, host ports under hostNetwork), which is why a
 * Deployment's template never shows enableServiceLinks.
 */
final class PodDefaults {
    private PodDefaults() {
    }

    /** Defaults of a Pod object: the Pod-only layer, then the PodSpec layer. */
    static void pod(ObjectNode pod) {
        ObjectNode spec = obj(pod, "spec");
        if (spec == null) {
            return;
        }
        for (String list : new String[] {"containers", "initContainers"}) {
            for (ObjectNode container : items(spec, list)) {
                requestsFromLimits(container);
            }
        }
        defaultPointer(spec, "enableServiceLinks", true);
        if (Json.isTrue(spec, "hostNetwork")) {
            // With the host's network namespace a container port is a host port; upstream makes it explicit.
            for (String list : new String[] {"containers", "initContainers"}) {
                for (ObjectNode container : items(spec, list)) {
                    for (ObjectNode port : items(container, "ports")) {
                        if (Json.zero(port, "hostPort") && port.get("containerPort") != null
                                && port.get("containerPort").isNumber()) {
                            port.set("hostPort", port.get("containerPort"));
                        }
                    }
                }
            }
        }
        podSpec(spec);
    }

    /** Defaults of a PodTemplateSpec ({metadata, spec}) embedded in a workload. */
    static void template(ObjectNode template) {
        Json.embeddedMetadata(template);
        podSpec(obj(template, "spec"));
    }

    static void podSpec(ObjectNode spec) {
        if (spec == null) {
            return;
        }
        defaultString(spec, "dnsPolicy", "ClusterFirst");
        defaultString(spec, "restartPolicy", "Always");
        defaultEmptyObject(spec, "securityContext");
        defaultPointer(spec, "terminationGracePeriodSeconds", 30);
        defaultString(spec, "schedulerName", "default-scheduler");
        Quantity.resourceList(spec, "overhead");
        for (ObjectNode volume : items(spec, "volumes")) {
            volume(volume);
        }
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (ObjectNode container : items(spec, list)) {
                container(container);
            }
        }
    }

    /** Pod only: a resource limited but not requested is requested at its limit. */
    private static void requestsFromLimits(ObjectNode container) {
        ObjectNode resources = obj(container, "resources");
        ObjectNode limits = obj(resources, "limits");
        // An empty requests map would be omitted by Go's serializer, so none is made for empty limits.
        if (limits == null || limits.isEmpty()) {
            return;
        }
        ObjectNode requests = Json.objOrCreate(resources, "requests");
        if (requests == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> limit : limits.properties()) {
            if (!requests.has(limit.getKey())) {
                requests.set(limit.getKey(), limit.getValue().deepCopy());
            }
        }
    }

    static void container(ObjectNode container) {
        if (Json.zero(container, "imagePullPolicy")) {
            container.put("imagePullPolicy",
                    "latest".equals(imageTag(text(container, "image"))) ? "Always" : "IfNotPresent");
        }
        defaultString(container, "terminationMessagePath", "/dev/termination-log");
        defaultString(container, "terminationMessagePolicy", "File");
        for (ObjectNode port : items(container, "ports")) {
            defaultString(port, "protocol", "TCP");
        }
        for (ObjectNode env : items(container, "env")) {
            ObjectNode valueFrom = obj(env, "valueFrom");
            fieldRef(obj(valueFrom, "fieldRef"));
            resourceFieldRef(obj(valueFrom, "resourceFieldRef"));
        }
        // ResourceRequirements is a non-pointer struct in Go, so every container serializes "resources: {}".
        defaultEmptyObject(container, "resources");
        ObjectNode resources = obj(container, "resources");
        Quantity.resourceList(resources, "limits");
        Quantity.resourceList(resources, "requests");
        for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
            probe(obj(container, probe));
        }
        ObjectNode lifecycle = obj(container, "lifecycle");
        httpGet(obj(obj(lifecycle, "postStart"), "httpGet"));
        httpGet(obj(obj(lifecycle, "preStop"), "httpGet"));
    }

    private static void probe(ObjectNode probe) {
        if (probe == null) {
            return;
        }
        defaultInt(probe, "timeoutSeconds", 1);
        defaultInt(probe, "periodSeconds", 10);
        defaultInt(probe, "successThreshold", 1);
        defaultInt(probe, "failureThreshold", 3);
        httpGet(obj(probe, "httpGet"));
        // GRPCAction.Service is a *string tagged +default="", so it materializes as service: "".
        defaultPointer(obj(probe, "grpc"), "service", "");
    }

    private static void httpGet(ObjectNode action) {
        defaultString(action, "path", "/");
        defaultString(action, "scheme", "HTTP");
    }

    static void fieldRef(ObjectNode selector) {
        defaultString(selector, "apiVersion", "v1");
    }

    /** The divisor is a non-pointer Quantity: Go always writes it, "0" when unset. */
    private static void resourceFieldRef(ObjectNode ref) {
        if (ref == null) {
            return;
        }
        if (unset(ref, "divisor")) {
            ref.put("divisor", "0");
        } else {
            Quantity.single(ref, "divisor");
        }
    }

    static void volume(ObjectNode volume) {
        boolean anySource = false;
        for (Map.Entry<String, JsonNode> field : volume.properties()) {
            if (!field.getKey().equals("name") && !field.getValue().isNull()) {
                anySource = true;
                break;
            }
        }
        if (!anySource) {
            // A volume naming no source at all is a scratch directory.
            volume.putObject("emptyDir");
            return;
        }
        sharedSources(volume);
        Quantity.single(obj(volume, "emptyDir"), "sizeLimit");
        defaultPointer(obj(volume, "secret"), "defaultMode", 420);
        defaultPointer(obj(volume, "configMap"), "defaultMode", 420);
        ObjectNode downward = obj(volume, "downwardAPI");
        if (downward != null) {
            defaultPointer(downward, "defaultMode", 420);
            downwardItems(downward);
        }
        ObjectNode projected = obj(volume, "projected");
        if (projected != null) {
            defaultPointer(projected, "defaultMode", 420);
            for (ObjectNode source : items(projected, "sources")) {
                downwardItems(obj(source, "downwardAPI"));
                defaultPointer(obj(source, "serviceAccountToken"), "expirationSeconds", 3600);
            }
        }
        ObjectNode template = obj(obj(volume, "ephemeral"), "volumeClaimTemplate");
        Json.embeddedMetadata(template);
        pvcSpec(obj(template, "spec"));
    }

    private static void downwardItems(ObjectNode downward) {
        for (ObjectNode item : items(downward, "items")) {
            fieldRef(obj(item, "fieldRef"));
            resourceFieldRef(obj(item, "resourceFieldRef"));
        }
    }

    /** Defaults of the volume sources a Volume and a PersistentVolumeSpec have in common. */
    static void sharedSources(ObjectNode source) {
        // HostPathType is a *string whose default is the empty string: "no check", shown as type: "".
        defaultPointer(obj(source, "hostPath"), "type", "");
        defaultString(obj(source, "iscsi"), "iscsiInterface", "default");
        ObjectNode rbd = obj(source, "rbd");
        defaultString(rbd, "pool", "rbd");
        defaultString(rbd, "user", "admin");
        defaultString(rbd, "keyring", "/etc/ceph/keyring");
        ObjectNode azureDisk = obj(source, "azureDisk");
        defaultPointer(azureDisk, "cachingMode", "ReadWrite");
        defaultPointer(azureDisk, "fsType", "ext4");
        defaultPointer(azureDisk, "readOnly", false);
        defaultPointer(azureDisk, "kind", "Shared");
        ObjectNode scaleIO = obj(source, "scaleIO");
        defaultString(scaleIO, "storageMode", "ThinProvisioned");
        defaultString(scaleIO, "fsType", "xfs");
    }

    static void pvcSpec(ObjectNode spec) {
        defaultPointer(spec, "volumeMode", "Filesystem");
        ObjectNode resources = obj(spec, "resources");
        Quantity.resourceList(resources, "limits");
        Quantity.resourceList(resources, "requests");
    }

    /** A PersistentVolumeClaim, also as a StatefulSet volumeClaimTemplate: both get the phase. */
    static void pvc(ObjectNode claim) {
        pvcSpec(obj(claim, "spec"));
        ObjectNode status = Json.objOrCreate(claim, "status");
        defaultString(status, "phase", "Pending");
        Quantity.resourceList(status, "capacity");
        Quantity.resourceList(status, "allocatedResources");
    }

    // Image references per the distribution/reference grammar (lowercase path components, optional
    // domain with port, tag, digest). Anything it rejects has no tag, as upstream ignores the parse error.
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
            + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?";
    private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + COMPONENT
            + "(?:/" + COMPONENT + ")*(?::([\\w][\\w.-]{0,127}))?(@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*"
            + ":[0-9a-fA-F]{32,})?");

    /**
     * The tag upstream's image parser reports: the explicit tag; "latest" when neither tag nor digest
     * is given; "" for a digest-only reference or an unparseable one.
     */
    static String imageTag(String image) {
        var matcher = REFERENCE.matcher(image);
        if (!matcher.matches()) {
            return "";
        }
        String tag = matcher.group(1);
        if (tag != null) {
            return tag;
        }
        return matcher.group(2) == null ? "latest" : "";
    }
}
