package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Convertor.ageColumn;
import static dev.okube.apiserver.tables.Convertor.col;
import static dev.okube.apiserver.tables.Convertor.nameColumn;
import static dev.okube.apiserver.tables.Convertor.wide;
import static dev.okube.apiserver.tables.CoreTables.CONTAINERS_DOC;
import static dev.okube.apiserver.tables.CoreTables.IMAGES_DOC;
import static dev.okube.apiserver.tables.Formats.NONE;
import static dev.okube.apiserver.tables.Formats.age;
import static dev.okube.apiserver.tables.Formats.name;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Printers of apps/v1, batch/v1, autoscaling/v2 and policy/v1 kinds. */
final class WorkloadTables {
    private WorkloadTables() {
    }

    static void register(Map<String, TableConvertor> m) {
        m.put(Tables.key("apps", "Deployment"), new Convertor(List.of(
                nameColumn(),
                col("Ready", "string", "Number of the pod with ready state"),
                col("Up-to-date", "string", Docs.DEPLOY_UPDATED),
                col("Available", "string", Docs.DEPLOY_AVAILABLE),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC),
                wide("Selector", "string", Docs.DEPLOY_SELECTOR)),
                (o, now) -> {
                    String[] c = Formats.containers(Json.at(o, "spec", "template", "spec"));
                    String selector = Formats.selector(Json.at(o, "spec", "selector"));
                    return List.of(name(o),
                            Json.num(o, "status", "readyReplicas") + "/" + Json.num(o, "spec", "replicas"),
                            Json.num(o, "status", "updatedReplicas"), Json.num(o, "status", "availableReplicas"),
                            age(o, now), c[0], c[1], selector == null ? "<invalid>" : selector);
                }));

        m.put(Tables.key("apps", "ReplicaSet"), new Convertor(List.of(
                nameColumn(),
                col("Desired", "integer", Docs.RS_SPEC_REPLICAS),
                col("Current", "integer", Docs.RS_STATUS_REPLICAS),
                col("Ready", "integer", Docs.RS_STATUS_READY),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC),
                wide("Selector", "string", Docs.RS_SPEC_SELECTOR)),
                (o, now) -> {
                    String[] c = Formats.containers(Json.at(o, "spec", "template", "spec"));
                    return List.of(name(o), Json.num(o, "spec", "replicas"), Json.num(o, "status", "replicas"),
                            Json.num(o, "status", "readyReplicas"), age(o, now), c[0], c[1],
                            Formats.formatSelector(Json.at(o, "spec", "selector")));
                }));

        m.put(Tables.key("apps", "StatefulSet"), new Convertor(List.of(
                nameColumn(),
                col("Ready", "string", "Number of the pod with ready state"),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC)),
                (o, now) -> {
                    String[] c = Formats.containers(Json.at(o, "spec", "template", "spec"));
                    return List.of(name(o),
                            Json.num(o, "status", "readyReplicas") + "/" + Json.num(o, "spec", "replicas"),
                            age(o, now), c[0], c[1]);
                }));

        m.put(Tables.key("apps", "DaemonSet"), new Convertor(List.of(
                nameColumn(),
                col("Desired", "integer", Docs.DS_DESIRED),
                col("Current", "integer", Docs.DS_CURRENT),
                col("Ready", "integer", Docs.DS_READY),
                col("Up-to-date", "integer", Docs.DS_UPDATED),
                col("Available", "integer", Docs.DS_AVAILABLE),
                col("Node Selector", "string", Docs.POD_NODE_SELECTOR),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC),
                wide("Selector", "string", Docs.DS_SELECTOR)),
                (o, now) -> {
                    JsonNode status = Json.at(o, "status");
                    String[] c = Formats.containers(Json.at(o, "spec", "template", "spec"));
                    return List.of(name(o), Json.num(status, "desiredNumberScheduled"),
                            Json.num(status, "currentNumberScheduled"), Json.num(status, "numberReady"),
                            Json.num(status, "updatedNumberScheduled"), Json.num(status, "numberAvailable"),
                            Formats.labels(Json.map(o, "spec", "template", "spec", "nodeSelector")), age(o, now),
                            c[0], c[1], Formats.formatSelector(Json.at(o, "spec", "selector")));
                }));

        m.put(Tables.key("apps", "ControllerRevision"), new Convertor(List.of(
                nameColumn(),
                col("Controller", "string", "Controller of the object"),
                col("Revision", "string", Docs.REVISION),
                ageColumn()),
                (o, now) -> List.of(name(o), controllerOf(o), Json.num(o, "revision"), age(o, now))));

        m.put(Tables.key("batch", "Job"), new Convertor(List.of(
                nameColumn(),
                col("Status", "string", "Status of the job."),
                col("Completions", "string", Docs.JOB_SUCCEEDED),
                col("Duration", "string", "Time required to complete the job."),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC),
                wide("Selector", "string", Docs.JOB_SELECTOR)),
                WorkloadTables::job));

        m.put(Tables.key("batch", "CronJob"), new Convertor(List.of(
                nameColumn(),
                col("Schedule", "string", Docs.CRON_SCHEDULE),
                col("Timezone", "string", Docs.CRON_TIMEZONE),
                col("Suspend", "boolean", Docs.CRON_SUSPEND),
                col("Active", "integer", Docs.CRON_ACTIVE),
                col("Last Schedule", "string", Docs.CRON_LAST_SCHEDULE),
                ageColumn(),
                wide("Containers", "string", CONTAINERS_DOC),
                wide("Images", "string", IMAGES_DOC),
                wide("Selector", "string", Docs.JOB_SELECTOR)),
                (o, now) -> {
                    JsonNode jobSpec = Json.at(o, "spec", "jobTemplate", "spec");
                    String[] c = Formats.containers(Json.at(jobSpec, "template", "spec"));
                    Instant last = Json.time(o, "status", "lastScheduleTime");
                    String timeZone = Json.has(o, "spec", "timeZone") ? Json.str(o, "spec", "timeZone") : NONE;
                    return List.of(name(o), Json.str(o, "spec", "schedule"), timeZone,
                            Formats.boolPtr(o, "spec", "suspend"), (long) Json.size(o, "status", "active"),
                            last == null ? NONE : Formats.since(last, now), age(o, now), c[0], c[1],
                            Formats.formatSelector(Json.at(jobSpec, "selector")));
                }));

        m.put(Tables.key("autoscaling", "HorizontalPodAutoscaler"), new Convertor(List.of(
                nameColumn(),
                col("Reference", "string", Docs.HPA_REF),
                col("Targets", "string", Docs.HPA_METRICS),
                col("MinPods", "string", Docs.HPA_MIN),
                col("MaxPods", "string", Docs.HPA_MAX),
                col("Replicas", "string", Docs.HPA_CURRENT),
                ageColumn()),
                (o, now) -> {
                    JsonNode spec = Json.at(o, "spec");
                    String reference = Json.str(spec, "scaleTargetRef", "kind") + "/"
                            + Json.str(spec, "scaleTargetRef", "name");
                    String minPods = Json.has(spec, "minReplicas")
                            ? Long.toString(Json.num(spec, "minReplicas")) : Formats.UNSET;
                    return List.of(name(o), reference,
                            hpaMetrics(Json.list(spec, "metrics"), Json.list(o, "status", "currentMetrics")),
                            minPods, Json.num(spec, "maxReplicas"), Json.num(o, "status", "currentReplicas"),
                            age(o, now));
                }));

        m.put(Tables.key("policy", "PodDisruptionBudget"), new Convertor(List.of(
                nameColumn(),
                col("Min Available", "string", "The minimum number of pods that must be available."),
                col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
                col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
                ageColumn()),
                (o, now) -> List.of(name(o),
                        Json.has(o, "spec", "minAvailable") ? Json.str(o, "spec", "minAvailable") : "N/A",
                        Json.has(o, "spec", "maxUnavailable") ? Json.str(o, "spec", "maxUnavailable") : "N/A",
                        Json.num(o, "status", "disruptionsAllowed"), age(o, now))));
    }

    private static List<Object> job(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        JsonNode status = Json.at(o, "status");
        long succeeded = Json.num(status, "succeeded");
        String completions;
        if (Json.has(spec, "completions")) {
            completions = succeeded + "/" + Json.num(spec, "completions");
        } else {
            long parallelism = Json.num(spec, "parallelism");
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }

        Instant start = Json.time(status, "startTime");
        Instant completion = Json.time(status, "completionTime");
        String duration = "";
        if (start != null) {
            duration = Tables.humanDuration(Duration.between(start, completion == null ? now : completion));
        }

        List<JsonNode> conditions = Json.list(status, "conditions");
        String state;
        if (jobCondition(conditions, "Complete")) {
            state = "Complete";
        } else if (jobCondition(conditions, "Failed")) {
            state = "Failed";
        } else if (Json.has(o, "metadata", "deletionTimestamp")) {
            state = "Terminating";
        } else if (jobCondition(conditions, "Suspended")) {
            state = "Suspended";
        } else if (jobCondition(conditions, "FailureTarget")) {
            state = "FailureTarget";
        } else {
            state = "Running";
        }

        String[] c = Formats.containers(Json.at(spec, "template", "spec"));
        return List.of(name(o), state, completions, duration, age(o, now), c[0], c[1],
                Formats.formatSelector(Json.at(spec, "selector")));
    }

    /** hasJobCondition: the first condition of the type decides. */
    private static boolean jobCondition(List<JsonNode> conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(Json.str(c, "type"))) {
                return "True".equals(Json.str(c, "status"));
            }
        }
        return false;
    }

    /** The controlling owner as "kind.group/name" in lower case, "<none>" without one. */
    private static String controllerOf(JsonNode o) {
        for (JsonNode ref : Json.list(o, "metadata", "ownerReferences")) {
            if (!Json.bool(ref, "controller")) {
                continue;
            }
            String apiVersion = Json.str(ref, "apiVersion");
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String kind = Json.str(ref, "kind");
            String refName = Json.str(ref, "name");
            if (kind.isEmpty() && group.isEmpty()) {
                return refName;
            }
            String groupKind = group.isEmpty() ? kind : kind + "." + group;
            return groupKind.toLowerCase(Locale.ROOT) + "/" + refName;
        }
        return NONE;
    }

    /** formatHPAMetrics: "current/target" per metric, the first two then " + N more...". */
    static String hpaMetrics(List<JsonNode> specs, List<JsonNode> statuses) {
        if (specs.isEmpty()) {
            return NONE;
        }
        final int max = 2;
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            String type = Json.str(spec, "type");
            switch (type) {
                case "External", "Object" -> {
                    String field = "External".equals(type) ? "external" : "object";
                    JsonNode target = Json.at(spec, field, "target");
                    JsonNode current = Json.at(status, field);
                    if (Json.has(target, "averageValue")) {
                        String cur = current != null && Json.has(current, "current", "averageValue")
                                ? Formats.quantity(current, "current", "averageValue") : "<unknown>";
                        list.add(cur + "/" + Formats.quantity(target, "averageValue") + " (avg)");
                    } else {
                        String cur = current != null ? Formats.quantityPtr(current, "current", "value") : "<unknown>";
                        list.add(cur + "/" + Formats.quantityPtr(target, "value"));
                    }
                }
                case "Pods" -> {
                    JsonNode current = Json.at(status, "pods");
                    String cur = current != null
                            ? Formats.quantityPtr(current, "current", "averageValue") : "<unknown>";
                    list.add(cur + "/" + Formats.quantityPtr(spec, "pods", "target", "averageValue"));
                }
                case "Resource", "ContainerResource" -> {
                    String field = "Resource".equals(type) ? "resource" : "containerResource";
                    JsonNode source = Json.at(spec, field);
                    JsonNode current = Json.at(status, field);
                    String resource = Json.str(source, "name");
                    if (Json.has(source, "target", "averageValue")) {
                        String cur = current != null
                                ? Formats.quantityPtr(current, "current", "averageValue") : "<unknown>";
                        list.add(resource + ": " + cur + "/" + Formats.quantity(source, "target", "averageValue"));
                    } else {
                        String cur = current != null && Json.has(current, "current", "averageUtilization")
                                ? Json.num(current, "current", "averageUtilization") + "%" : "<unknown>";
                        String target = Json.has(source, "target", "averageUtilization")
                                ? Json.num(source, "target", "averageUtilization") + "%" : "<auto>";
                        list.add(resource + ": " + cur + "/" + target);
                    }
                }
                default -> list.add("<unknown type>");
            }
        }
        int count = list.size();
        if (count > max) {
            return String.join(", ", list.subList(0, max)) + " + " + (count - max) + " more...";
        }
        return String.join(", ", list);
    }
}
