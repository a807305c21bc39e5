package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Convertor.ageColumn;
import static dev.okube.apiserver.tables.Convertor.col;
import static dev.okube.apiserver.tables.Convertor.nameColumn;
import static dev.okube.apiserver.tables.Formats.NONE;
import static dev.okube.apiserver.tables.Formats.UNSET;
import static dev.okube.apiserver.tables.Formats.age;
import static dev.okube.apiserver.tables.Formats.name;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Printers of the cluster-plumbing kinds kubectl users meet less often: pod templates, component statuses,
 * certificate requests, CSI objects, admission policies, API priority and fairness, service CIDRs.
 */
final class PlatformTables {
    private PlatformTables() {
    }

    static void register(Map<String, TableConvertor> m) {
        m.put(Tables.key("", "PodTemplate"), new Convertor(List.of(
                nameColumn(),
                col("Containers", "string", CoreTables.CONTAINERS_DOC),
                col("Images", "string", CoreTables.IMAGES_DOC),
                col("Pod Labels", "string", "The labels for the pod template.")),
                (o, now) -> {
                    String[] c = Formats.containers(Json.at(o, "template", "spec"));
                    return List.of(name(o), c[0], c[1], Formats.labels(Json.map(o, "template", "metadata", "labels")));
                }));

        m.put(Tables.key("", "ComponentStatus"), new Convertor(List.of(
                nameColumn(),
                col("Status", "string", "Status of the component conditions"),
                col("Message", "string", "Message of the component conditions"),
                col("Error", "string", "Error of the component conditions")),
                (o, now) -> {
                    for (JsonNode c : Json.list(o, "conditions")) {
                        if ("Healthy".equals(Json.str(c, "type"))) {
                            return List.of(name(o), "True".equals(Json.str(c, "status")) ? "Healthy" : "Unhealthy",
                                    Json.str(c, "message"), Json.str(c, "error"));
                        }
                    }
                    return List.of(name(o), "Unknown", "", "");
                }));

        m.put(Tables.key("certificates.k8s.io", "CertificateSigningRequest"), new Convertor(List.of(
                nameColumn(),
                ageColumn(),
                col("SignerName", "string", Docs.CSR_SIGNER),
                col("Requestor", "string", Docs.CSR_REQUEST),
                col("RequestedDuration", "string", Docs.CSR_EXPIRATION),
                col("Condition", "string", Docs.CSR_CONDITIONS)),
                PlatformTables::certificateSigningRequest));

        m.put(Tables.key("storage.k8s.io", "VolumeAttachment"), new Convertor(List.of(
                nameColumn(),
                // Upstream marks this column as a name column too.
                new ColumnDefinition("Attacher", "string", "name", Docs.VA_ATTACHER, 0),
                col("PV", "string", Docs.VA_PV),
                col("Node", "string", Docs.VA_NODE),
                col("Attached", "boolean", Docs.VA_ATTACHED),
                ageColumn()),
                (o, now) -> List.of(name(o), Json.str(o, "spec", "attacher"),
                        Json.str(o, "spec", "source", "persistentVolumeName"), Json.str(o, "spec", "nodeName"),
                        Json.bool(o, "status", "attached"), age(o, now))));

        m.put(Tables.key("storage.k8s.io", "CSIDriver"), new Convertor(List.of(
                nameColumn(),
                col("AttachRequired", "boolean", Docs.CSIDRIVER_ATTACH),
                col("PodInfoOnMount", "boolean", Docs.CSIDRIVER_POD_INFO),
                col("StorageCapacity", "boolean", Docs.CSIDRIVER_CAPACITY),
                col("TokenRequests", "string", Docs.CSIDRIVER_TOKENS),
                col("RequiresRepublish", "boolean", Docs.CSIDRIVER_REPUBLISH),
                col("Modes", "string", Docs.CSIDRIVER_MODES),
                ageColumn()),
                PlatformTables::csiDriver));

        m.put(Tables.key("storage.k8s.io", "CSINode"), new Convertor(List.of(
                nameColumn(),
                col("Drivers", "integer", "Drivers indicates the number of CSI drivers registered on the node"),
                ageColumn()),
                (o, now) -> List.of(name(o), (long) Json.size(o, "spec", "drivers"), age(o, now))));

        m.put(Tables.key("storage.k8s.io", "CSIStorageCapacity"), new Convertor(List.of(
                nameColumn(),
                col("StorageClassName", "string", Docs.CSISC_CLASS),
                col("Capacity", "string", Docs.CSISC_CAPACITY)),
                (o, now) -> List.of(name(o), Json.str(o, "storageClassName"),
                        Json.has(o, "capacity") ? Formats.quantity(o, "capacity") : UNSET)));

        m.put(Tables.key("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"), new Convertor(List.of(
                nameColumn(),
                col("Validations", "integer",
                        "Validations indicates the number of validation rules defined in this configuration"),
                col("ParamKind", "string",
                        "ParamKind specifies the kind of resources used to parameterize this policy"),
                ageColumn()),
                (o, now) -> {
                    JsonNode paramKind = Json.at(o, "spec", "paramKind");
                    String param = paramKind == null ? UNSET
                            : Json.str(paramKind, "apiVersion") + "/" + Json.str(paramKind, "kind");
                    return List.of(name(o), (long) Json.size(o, "spec", "validations"), param, age(o, now));
                }));

        m.put(Tables.key("flowcontrol.apiserver.k8s.io", "FlowSchema"), new Convertor(List.of(
                nameColumn(),
                col("PriorityLevel", "string", Docs.FS_PRIORITY_LEVEL),
                col("MatchingPrecedence", "string", Docs.FS_PRECEDENCE),
                col("DistinguisherMethod", "string", Docs.FS_DISTINGUISHER),
                ageColumn(),
                col("MissingPL", "string", "references a broken or non-existent PriorityLevelConfiguration")),
                (o, now) -> {
                    JsonNode spec = Json.at(o, "spec");
                    String distinguisher = Json.has(spec, "distinguisherMethod")
                            ? Json.str(spec, "distinguisherMethod", "type") : NONE;
                    // "?" until the controller has judged the reference.
                    String dangling = "?";
                    for (JsonNode c : Json.list(o, "status", "conditions")) {
                        if ("Dangling".equals(Json.str(c, "type"))) {
                            dangling = Json.str(c, "status");
                            break;
                        }
                    }
                    return List.of(name(o), Json.str(spec, "priorityLevelConfiguration", "name"),
                            Json.num(spec, "matchingPrecedence"), distinguisher, age(o, now), dangling);
                }));

        m.put(Tables.key("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"), new Convertor(List.of(
                nameColumn(),
                col("Type", "string", Docs.PL_TYPE),
                col("NominalConcurrencyShares", "string", Docs.PL_SHARES),
                col("Queues", "string", Docs.PL_QUEUES),
                col("HandSize", "string", Docs.PL_HAND_SIZE),
                col("QueueLengthLimit", "string", Docs.PL_QUEUE_LENGTH),
                ageColumn()),
                (o, now) -> {
                    JsonNode limited = Json.at(o, "spec", "limited");
                    Object shares = NONE;
                    Object queues = NONE;
                    Object handSize = NONE;
                    Object queueLengthLimit = NONE;
                    if (limited != null) {
                        shares = Json.num(limited, "nominalConcurrencyShares");
                        JsonNode queuing = Json.at(limited, "limitResponse", "queuing");
                        if (queuing != null) {
                            queues = Json.num(queuing, "queues");
                            handSize = Json.num(queuing, "handSize");
                            queueLengthLimit = Json.num(queuing, "queueLengthLimit");
                        }
                    }
                    return List.of(name(o), Json.str(o, "spec", "type"), shares, queues, handSize, queueLengthLimit,
                            age(o, now));
                }));

        m.put(Tables.key("networking.k8s.io", "ServiceCIDR"), new Convertor(List.of(
                nameColumn(), col("CIDRs", "string", Docs.SERVICE_CIDRS), ageColumn()),
                (o, now) -> {
                    List<String> cidrs = new ArrayList<>();
                    Json.list(o, "spec", "cidrs").forEach(c -> cidrs.add(Json.str(c)));
                    return List.of(name(o), String.join(",", cidrs), age(o, now));
                }));
    }

    private static List<Object> certificateSigningRequest(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        boolean approved = false;
        boolean denied = false;
        boolean failed = false;
        // Upstream looks at the condition types only, not at their status.
        for (JsonNode c : Json.list(o, "status", "conditions")) {
            switch (Json.str(c, "type")) {
                case "Approved" -> approved = true;
                case "Denied" -> denied = true;
                case "Failed" -> failed = true;
                default -> {
                    // other condition types do not show
                }
            }
        }
        String condition = denied ? "Denied" : approved ? "Approved" : "Pending";
        if (failed) {
            condition += ",Failed";
        }
        if (!Json.str(o, "status", "certificate").isEmpty()) {
            condition += ",Issued";
        }
        String signer = Json.str(spec, "signerName");
        String duration = Json.has(spec, "expirationSeconds")
                ? Tables.humanDuration(Duration.ofSeconds(Json.num(spec, "expirationSeconds"))) : NONE;
        return List.of(name(o), age(o, now), signer.isEmpty() ? NONE : signer, Json.str(spec, "username"), duration,
                condition);
    }

    private static List<Object> csiDriver(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        // Unset booleans print their API defaults: attachment is required unless said otherwise.
        boolean attachRequired = !Json.has(spec, "attachRequired") || Json.bool(spec, "attachRequired");
        String tokenRequests = UNSET;
        if (Json.has(spec, "tokenRequests")) {
            List<String> audiences = new ArrayList<>();
            Json.list(spec, "tokenRequests").forEach(t -> audiences.add(Json.str(t, "audience")));
            tokenRequests = String.join(",", audiences);
        }
        List<String> modes = new ArrayList<>();
        Json.list(spec, "volumeLifecycleModes").forEach(m -> modes.add(Json.str(m)));
        return List.of(name(o), attachRequired, Json.bool(spec, "podInfoOnMount"), Json.bool(spec, "storageCapacity"),
                tokenRequests, Json.bool(spec, "requiresRepublish"), modes.isEmpty() ? NONE : String.join(",", modes),
                age(o, now));
    }
}
