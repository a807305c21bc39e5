package dev.okube.apiserver.tables;

import dev.okube.apiserver.defaults.Quantity;
import static dev.okube.apiserver.tables.Convertor.ageColumn;
import static dev.okube.apiserver.tables.Convertor.col;
import static dev.okube.apiserver.tables.Convertor.nameColumn;
import static dev.okube.apiserver.tables.Convertor.wide;
import static dev.okube.apiserver.tables.Formats.NONE;
import static dev.okube.apiserver.tables.Formats.UNKNOWN;
import static dev.okube.apiserver.tables.Formats.age;
import static dev.okube.apiserver.tables.Formats.name;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Printers of the core ("" group, v1) kinds. */
final class CoreTables {
    static final String CONTAINERS_DOC = "Names of each container in the template.";
    static final String IMAGES_DOC = "Images referenced by each container in the template.";

    private CoreTables() {
    }

    static void register(Map<String, TableConvertor> m) {
        m.put(Tables.key("", "Pod"), new Convertor(List.of(
                nameColumn(),
                col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
                col("Status", "string", "The aggregate status of the containers in this pod."),
                col("Restarts", "string", "The number of times the containers in this pod have been restarted"
                        + " and when the last container in this pod has restarted."),
                ageColumn(),
                wide("IP", "string", Docs.POD_IP),
                wide("Node", "string", Docs.POD_NODE),
                wide("Nominated Node", "string", Docs.POD_NOMINATED),
                wide("Readiness Gates", "string", Docs.POD_READY_GATES)),
                PodPrinter::cells));

        m.put(Tables.key("", "Namespace"), new Convertor(List.of(
                nameColumn(), col("Status", "string", "The status of the namespace"), ageColumn()),
                (o, now) -> List.of(name(o), Json.str(o, "status", "phase"), age(o, now))));

        m.put(Tables.key("", "Node"), new Convertor(List.of(
                nameColumn(),
                col("Status", "string", "The status of the node"),
                col("Roles", "string", "The roles of the node"),
                ageColumn(),
                col("Version", "string", Docs.NODE_KUBELET),
                wide("Internal-IP", "string", Docs.NODE_ADDRESSES),
                wide("External-IP", "string", Docs.NODE_ADDRESSES),
                wide("OS-Image", "string", Docs.NODE_OS_IMAGE),
                wide("Kernel-Version", "string", Docs.NODE_KERNEL),
                wide("Container-Runtime", "string", Docs.NODE_RUNTIME)),
                CoreTables::node));

        m.put(Tables.key("", "Service"), new Convertor(List.of(
                nameColumn(),
                col("Type", "string", Docs.SVC_TYPE),
                col("Cluster-IP", "string", Docs.SVC_CLUSTER_IP),
                col("External-IP", "string", Docs.SVC_EXTERNAL_IPS),
                col("Port(s)", "string", Docs.SVC_PORTS),
                ageColumn(),
                wide("Selector", "string", Docs.SVC_SELECTOR)),
                CoreTables::service));

        m.put(Tables.key("", "Endpoints"), new Convertor(List.of(
                nameColumn(), col("Endpoints", "string", Docs.ENDPOINTS_SUBSETS), ageColumn()),
                (o, now) -> List.of(name(o), endpoints(o), age(o, now))));

        m.put(Tables.key("", "ConfigMap"), new Convertor(List.of(
                nameColumn(), col("Data", "string", Docs.CONFIGMAP_DATA), ageColumn()),
                (o, now) -> List.of(name(o), (long) (Json.size(o, "data") + Json.size(o, "binaryData")),
                        age(o, now))));

        m.put(Tables.key("", "Secret"), new Convertor(List.of(
                nameColumn(), col("Type", "string", Docs.SECRET_TYPE), col("Data", "string", Docs.SECRET_DATA),
                ageColumn()),
                (o, now) -> List.of(name(o), Json.str(o, "type"), (long) Json.size(o, "data"), age(o, now))));

        m.put(Tables.key("", "ServiceAccount"), new Convertor(List.of(
                nameColumn(), col("Secrets", "string", Docs.SA_SECRETS), ageColumn()),
                (o, now) -> List.of(name(o), (long) Json.size(o, "secrets"), age(o, now))));

        List<ColumnDefinition> eventColumns = List.of(
                col("Last Seen", "string", Docs.EVENT_LAST),
                col("Type", "string", Docs.EVENT_TYPE),
                col("Reason", "string", Docs.EVENT_REASON),
                col("Object", "string", Docs.EVENT_OBJECT),
                wide("Subobject", "string", Docs.EVENT_FIELD_PATH),
                wide("Source", "string", Docs.EVENT_SOURCE),
                col("Message", "string", Docs.EVENT_MESSAGE),
                wide("First Seen", "string", Docs.EVENT_FIRST),
                wide("Count", "string", Docs.EVENT_COUNT),
                new ColumnDefinition("Name", "string", "name", Docs.META_NAME, 1));
        m.put(Tables.key("", "Event"), new Convertor(eventColumns, (o, now) -> EventPrinter.cells(o, now, false)));
        m.put(Tables.key("events.k8s.io", "Event"),
                new Convertor(eventColumns, (o, now) -> EventPrinter.cells(o, now, true)));

        m.put(Tables.key("", "PersistentVolume"), new Convertor(List.of(
                nameColumn(),
                col("Capacity", "string", Docs.PV_CAPACITY),
                col("Access Modes", "string", Docs.PV_ACCESS_MODES),
                col("Reclaim Policy", "string", Docs.PV_RECLAIM),
                col("Status", "string", Docs.PV_PHASE),
                col("Claim", "string", Docs.PV_CLAIM),
                col("StorageClass", "string", "StorageClass of the pv"),
                col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
                col("Reason", "string", Docs.PV_REASON),
                ageColumn(),
                wide("VolumeMode", "string", Docs.PV_VOLUME_MODE)),
                CoreTables::persistentVolume));

        m.put(Tables.key("", "PersistentVolumeClaim"), new Convertor(List.of(
                nameColumn(),
                col("Status", "string", Docs.PVC_PHASE),
                col("Volume", "string", Docs.PVC_VOLUME),
                col("Capacity", "string", Docs.PVC_CAPACITY),
                col("Access Modes", "string", Docs.PVC_ACCESS_MODES),
                col("StorageClass", "string", "StorageClass of the pvc"),
                col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
                ageColumn(),
                wide("VolumeMode", "string", Docs.PVC_VOLUME_MODE)),
                CoreTables::persistentVolumeClaim));

        m.put(Tables.key("", "ResourceQuota"), new Convertor(List.of(
                nameColumn(),
                col("Request", "string",
                        "Request represents a minimum amount of cpu/memory that a container may consume."),
                col("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use"
                        + " independent of contention on the node."),
                ageColumn()),
                CoreTables::resourceQuota));

        m.put(Tables.key("", "ReplicationController"), new Convertor(List.of(
                nameColumn(),
                col("Desired", "integer", Docs.RC_SPEC_REPLICAS),
                col("Current", "integer", Docs.RC_STATUS_REPLICAS),
                col("Ready", "integer", Docs.RC_STATUS_READY),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC),
                wide("Selector", "string", Docs.RC_SPEC_SELECTOR)),
                (o, now) -> {
                    String[] c = Formats.containers(Json.at(o, "spec", "template", "spec"));
                    return List.of(name(o), Json.num(o, "spec", "replicas"), Json.num(o, "status", "replicas"),
                            Json.num(o, "status", "readyReplicas"), age(o, now), c[0], c[1],
                            Formats.labels(Json.map(o, "spec", "selector")));
                }));
    }

    private static List<Object> node(JsonNode o, Instant now) {
        // Only the Ready condition is shown; the last one of that type wins, as in upstream's condition map.
        JsonNode ready = null;
        for (JsonNode c : Json.list(o, "status", "conditions")) {
            if ("Ready".equals(Json.str(c, "type"))) {
                ready = c;
            }
        }
        List<String> status = new ArrayList<>();
        if (ready != null) {
            status.add("True".equals(Json.str(ready, "status")) ? "Ready" : "NotReady");
        } else {
            status.add("Unknown");
        }
        if (Json.bool(o, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }

        TreeSet<String> roles = new TreeSet<>();
        Json.map(o, "metadata", "labels").forEach((k, v) -> {
            if (k.startsWith("node-role.kubernetes.io/")) {
                String role = k.substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if ("kubernetes.io/role".equals(k) && !v.isEmpty()) {
                roles.add(v);
            }
        });

        JsonNode info = Json.at(o, "status", "nodeInfo");
        return List.of(name(o), String.join(",", status), roles.isEmpty() ? NONE : String.join(",", roles),
                age(o, now), Json.str(info, "kubeletVersion"),
                nodeAddress(o, "InternalIP"), nodeAddress(o, "ExternalIP"),
                orUnknown(Json.str(info, "osImage")), orUnknown(Json.str(info, "kernelVersion")),
                orUnknown(Json.str(info, "containerRuntimeVersion")));
    }

    private static String nodeAddress(JsonNode node, String type) {
        for (JsonNode a : Json.list(node, "status", "addresses")) {
            if (type.equals(Json.str(a, "type"))) {
                return Json.str(a, "address");
            }
        }
        return NONE;
    }

    private static String orUnknown(String s) {
        return s.isEmpty() ? UNKNOWN : s;
    }

    private static List<Object> service(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        List<JsonNode> clusterIPs = Json.list(spec, "clusterIPs");
        String clusterIP = clusterIPs.isEmpty() ? NONE : Json.str(clusterIPs.get(0));
        if (clusterIPs.isEmpty() && !Json.str(spec, "clusterIP").isEmpty()) {
            // Upstream fills clusterIPs from clusterIP when reading services stored before dual-stack.
            clusterIP = Json.str(spec, "clusterIP");
        }

        StringJoiner ports = new StringJoiner(",");
        for (JsonNode p : Json.list(spec, "ports")) {
            long nodePort = Json.num(p, "nodePort");
            ports.add(Json.num(p, "port") + (nodePort > 0 ? ":" + nodePort : "") + "/" + Json.str(p, "protocol"));
        }
        String portString = ports.length() == 0 ? NONE : ports.toString();

        return List.of(name(o), Json.str(spec, "type"), clusterIP, externalIP(o), portString, age(o, now),
                Formats.labels(Json.map(spec, "selector")));
    }

    /** getServiceExternalIP; the server prints "wide", so load-balancer addresses are never clipped. */
    private static String externalIP(JsonNode svc) {
        List<String> externalIPs = new ArrayList<>();
        Json.list(svc, "spec", "externalIPs").forEach(n -> externalIPs.add(Json.str(n)));
        switch (Json.str(svc, "spec", "type")) {
            case "ClusterIP", "NodePort" -> {
                return externalIPs.isEmpty() ? NONE : String.join(",", externalIPs);
            }
            case "LoadBalancer" -> {
                String lb = loadBalancerAddresses(Json.list(svc, "status", "loadBalancer", "ingress"));
                if (!externalIPs.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lb.isEmpty()) {
                        all.addAll(List.of(lb.split(",")));
                    }
                    all.addAll(externalIPs);
                    return String.join(",", all);
                }
                return lb.isEmpty() ? "<pending>" : lb;
            }
            case "ExternalName" -> {
                return Json.str(svc, "spec", "externalName");
            }
            default -> {
                return UNKNOWN;
            }
        }
    }

    /** The sorted, de-duplicated IPs (or else hostnames) of load-balancer ingress points. */
    static String loadBalancerAddresses(List<JsonNode> ingress) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode i : ingress) {
            if (!Json.str(i, "ip").isEmpty()) {
                result.add(Json.str(i, "ip"));
            } else if (!Json.str(i, "hostname").isEmpty()) {
                result.add(Json.str(i, "hostname"));
            }
        }
        return String.join(",", result);
    }

    /** formatEndpoints: up to three host:port pairs, then " + N more...". */
    private static String endpoints(JsonNode o) {
        List<JsonNode> subsets = Json.list(o, "subsets");
        if (subsets.isEmpty()) {
            return NONE;
        }
        final int max = 3;
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode ss : subsets) {
            List<JsonNode> addresses = Json.list(ss, "addresses");
            List<JsonNode> ports = Json.list(ss, "ports");
            if (ports.isEmpty()) {
                // Headless services may have no ports.
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(Json.str(a, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(Formats.hostPort(Json.str(a, "ip"), Json.num(port, "port")));
                }
            }
        }
        String ret = String.join(",", list);
        return more ? ret + " + " + (count - max) + " more..." : ret;
    }

    private static List<Object> persistentVolume(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        String claim = "";
        if (Json.has(spec, "claimRef")) {
            claim = Json.str(spec, "claimRef", "namespace") + "/" + Json.str(spec, "claimRef", "name");
        }
        String phase = Json.has(o, "metadata", "deletionTimestamp") ? "Terminating" : Json.str(o, "status", "phase");
        // The beta annotation still wins over the field (helper.GetPersistentVolumeClass).
        String storageClass = Json.map(o, "metadata", "annotations").get("volume.beta.kubernetes.io/storage-class");
        if (storageClass == null) {
            storageClass = Json.str(spec, "storageClassName");
        }
        return List.of(name(o), Formats.quantity(spec, "capacity", "storage"),
                Formats.accessModes(Json.at(spec, "accessModes")), Json.str(spec, "persistentVolumeReclaimPolicy"),
                phase, claim, storageClass, orUnset(spec, "volumeAttributesClassName"),
                Json.str(o, "status", "reason"), age(o, now), orUnset(spec, "volumeMode"));
    }

    private static List<Object> persistentVolumeClaim(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        String phase = Json.has(o, "metadata", "deletionTimestamp") ? "Terminating" : Json.str(o, "status", "phase");
        String capacity = "";
        String accessModes = "";
        // Capacity and modes are those of the bound volume, so only shown once bound.
        if (!Json.str(spec, "volumeName").isEmpty()) {
            accessModes = Formats.accessModes(Json.at(o, "status", "accessModes"));
            capacity = Formats.quantity(o, "status", "capacity", "storage");
        }
        String storageClass = Json.map(o, "metadata", "annotations").get("volume.beta.kubernetes.io/storage-class");
        if (storageClass == null) {
            storageClass = Json.str(spec, "storageClassName");
        }
        return List.of(name(o), phase, Json.str(spec, "volumeName"), capacity, accessModes, storageClass,
                orUnset(spec, "volumeAttributesClassName"), age(o, now), orUnset(spec, "volumeMode"));
    }

    private static String orUnset(JsonNode node, String field) {
        return Json.has(node, field) ? Json.str(node, field) : Formats.UNSET;
    }

    private static List<Object> resourceQuota(JsonNode o, Instant now) {
        Map<String, String> hard = new TreeMap<>(Json.map(o, "status", "hard"));
        Map<String, String> used = Json.map(o, "status", "used");
        StringJoiner requests = new StringJoiner(", ");
        StringJoiner limits = new StringJoiner(", ");
        hard.forEach((resource, quantity) -> {
            String entry = resource + ": " + Quantity.canonical(used.getOrDefault(resource, "0")) + "/"
                    + Quantity.canonical(quantity);
            String[] pieces = resource.split("\\.", -1);
            (pieces.length > 1 && "limits".equals(pieces[0]) ? limits : requests).add(entry);
        });
        return List.of(name(o), requests.toString(), limits.toString(), age(o, now));
    }
}
