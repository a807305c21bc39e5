package dev.okube.apiserver.tables;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** upstream printPod: the Ready, Status and Restarts logic of {@code kubectl get pods}. */
final class PodPrinter {
    /** node.NodeUnreachablePodReason: set by the node lifecycle controller on pods of an unreachable node. */
    static final String NODE_LOST = "NodeLost";

    private PodPrinter() {
    }

    static List<Object> cells(JsonNode pod, Instant now) {
        JsonNode spec = Json.at(pod, "spec");
        JsonNode status = Json.at(pod, "status");
        List<JsonNode> conditions = Json.list(status, "conditions");

        long restarts = 0;
        long restartableInitRestarts = 0;
        int totalContainers = Json.size(spec, "containers");
        int readyContainers = 0;
        Instant lastRestart = null;
        Instant lastRestartableInitRestart = null;

        String phase = Json.str(status, "phase");
        String reason = phase;
        if (!Json.str(status, "reason").isEmpty()) {
            reason = Json.str(status, "reason");
        }
        for (JsonNode c : conditions) {
            if ("PodScheduled".equals(Json.str(c, "type")) && "SchedulingGated".equals(Json.str(c, "reason"))) {
                reason = "SchedulingGated";
            }
        }

        // Sidecars (init containers with restartPolicy Always) count as regular containers.
        Set<String> restartableInit = new HashSet<>();
        List<JsonNode> initSpecs = Json.list(spec, "initContainers");
        for (JsonNode c : initSpecs) {
            if ("Always".equals(Json.str(c, "restartPolicy"))) {
                restartableInit.add(Json.str(c, "name"));
                totalContainers++;
            }
        }

        boolean initializing = false;
        List<JsonNode> initStatuses = Json.list(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode c = initStatuses.get(i);
            boolean restartable = restartableInit.contains(Json.str(c, "name"));
            restarts += Json.num(c, "restartCount");
            lastRestart = later(lastRestart, Json.time(c, "lastState", "terminated", "finishedAt"));
            if (restartable) {
                restartableInitRestarts += Json.num(c, "restartCount");
                lastRestartableInitRestart =
                        later(lastRestartableInitRestart, Json.time(c, "lastState", "terminated", "finishedAt"));
            }
            JsonNode terminated = Json.at(c, "state", "terminated");
            String waitingReason = Json.str(c, "state", "waiting", "reason");
            if (terminated != null && Json.num(terminated, "exitCode") == 0) {
                continue;
            }
            if (restartable && Json.bool(c, "started")) {
                if (Json.bool(c, "ready")) {
                    readyContainers++;
                }
                continue;
            }
            if (terminated != null) {
                // Initialization failed.
                String r = Json.str(terminated, "reason");
                if (r.isEmpty()) {
                    long signal = Json.num(terminated, "signal");
                    reason = signal != 0 ? "Init:Signal:" + signal
                            : "Init:ExitCode:" + Json.num(terminated, "exitCode");
                } else {
                    reason = "Init:" + r;
                }
            } else if (!waitingReason.isEmpty() && !"PodInitializing".equals(waitingReason)) {
                reason = "Init:" + waitingReason;
            } else {
                reason = "Init:" + i + "/" + initSpecs.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || initialized(conditions)) {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Json.list(status, "containerStatuses");
            // Walk backwards so that the first container's state wins, as upstream does.
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode c = statuses.get(i);
                restarts += Json.num(c, "restartCount");
                lastRestart = later(lastRestart, Json.time(c, "lastState", "terminated", "finishedAt"));
                JsonNode terminated = Json.at(c, "state", "terminated");
                String waitingReason = Json.str(c, "state", "waiting", "reason");
                if (!waitingReason.isEmpty()) {
                    reason = waitingReason;
                } else if (terminated != null && !Json.str(terminated, "reason").isEmpty()) {
                    reason = Json.str(terminated, "reason");
                } else if (terminated != null) {
                    long signal = Json.num(terminated, "signal");
                    reason = signal != 0 ? "Signal:" + signal : "ExitCode:" + Json.num(terminated, "exitCode");
                } else if (Json.bool(c, "ready") && Json.has(c, "state", "running")) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            // A pod whose last container completed while another still runs is not "Completed".
            if ("Completed".equals(reason) && hasRunning) {
                reason = ready(conditions) ? "Running" : "NotReady";
            }
        }

        boolean deleting = Json.has(pod, "metadata", "deletionTimestamp");
        if (deleting && NODE_LOST.equals(Json.str(status, "reason"))) {
            reason = "Unknown";
        } else if (deleting && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            reason = "Terminating";
        }

        String restartsCell = Long.toString(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartsCell = restarts + " (" + Formats.since(lastRestart, now) + " ago)";
        }

        // Upstream prints the internal type, whose only IP field is podIPs; converting from v1 makes the singular
        // podIP authoritative when the list is missing or disagrees with it.
        List<JsonNode> podIPs = Json.list(status, "podIPs");
        String podIP = podIPs.isEmpty() ? "" : Json.str(podIPs.get(0), "ip");
        if (!Json.str(status, "podIP").isEmpty()) {
            podIP = Json.str(status, "podIP");
        }
        String node = Json.str(spec, "nodeName");
        String nominated = Json.str(status, "nominatedNodeName");

        String readinessGates = Formats.NONE;
        List<JsonNode> gates = Json.list(spec, "readinessGates");
        if (!gates.isEmpty()) {
            int trueConditions = 0;
            for (JsonNode gate : gates) {
                String type = Json.str(gate, "conditionType");
                for (JsonNode c : conditions) {
                    if (type.equals(Json.str(c, "type"))) {
                        if ("True".equals(Json.str(c, "status"))) {
                            trueConditions++;
                        }
                        break;
                    }
                }
            }
            readinessGates = trueConditions + "/" + gates.size();
        }

        return List.of(Formats.name(pod), readyContainers + "/" + totalContainers, reason, restartsCell,
                Formats.age(pod, now), orNone(podIP), orNone(node), orNone(nominated), readinessGates);
    }

    /** isPodInitializedConditionTrue: the first Initialized condition decides. */
    private static boolean initialized(List<JsonNode> conditions) {
        for (JsonNode c : conditions) {
            if ("Initialized".equals(Json.str(c, "type"))) {
                return "True".equals(Json.str(c, "status"));
            }
        }
        return false;
    }

    /** hasPodReadyCondition: any true Ready condition. */
    private static boolean ready(List<JsonNode> conditions) {
        for (JsonNode c : conditions) {
            if ("Ready".equals(Json.str(c, "type")) && "True".equals(Json.str(c, "status"))) {
                return true;
            }
        }
        return false;
    }

    private static Instant later(Instant current, Instant candidate) {
        if (candidate == null) {
            return current;
        }
        return current == null || current.isBefore(candidate) ? candidate : current;
    }

    private static String orNone(String s) {
        return s.isEmpty() ? Formats.NONE : s;
    }
}
