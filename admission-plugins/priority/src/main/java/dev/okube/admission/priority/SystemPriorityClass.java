package dev.okube.admission.priority;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The PriorityClasses upstream's apiserver creates at start, with their fixed values. */
enum SystemPriorityClass {
    NODE_CRITICAL("system-node-critical", 2_000_001_000,
            "Used for system critical pods that must not be moved from their current node."),
    CLUSTER_CRITICAL("system-cluster-critical", 2_000_000_000,
            "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");

    /** Names with this prefix are reserved for these classes. */
    static final String PREFIX = "system-";
    /** The highest value a PriorityClass other than these may have. */
    static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String className;
    private final long value;
    private final String description;

    SystemPriorityClass(String className, long value, String description) {
        this.className = className;
        this.value = value;
        this.description = description;
    }

    String className() {
        return className;
    }

    long value() {
        return value;
    }

    static Optional<SystemPriorityClass> named(String name) {
        for (SystemPriorityClass c : values()) {
            if (c.className.equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    static List<SystemPriorityClass> all() {
        return List.of(values());
    }

    /** The object to create. */
    ObjectNode object() {
        ObjectNode pc = JSON.createObjectNode();
        pc.put("apiVersion", "scheduling.k8s.io/v1");
        pc.put("kind", "PriorityClass");
        pc.putObject("metadata").put("name", className);
        pc.put("value", value);
        pc.put("globalDefault", false);
        pc.put("description", description);
        return pc;
    }
}
