package dev.okube.admission.resourcequota;

import java.util.List;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A ResourceQuota as quota reads it: its own copy of the object, hard = status.hard (what admission
 * enforces, as upstream) and used = status.used.
 */
final class Quota {
    private final ObjectNode object;
    private final TreeMap<String, Quantity> hard;
    private final TreeMap<String, Quantity> used;
    private final boolean hasUsed;
    private final List<ScopeRequirement> scopes;

    Quota(ObjectNode object) {
        this.object = object.deepCopy();
        JsonNode status = object.path("status");
        this.hard = ResourceList.read(status.get("hard"));
        this.used = ResourceList.read(status.get("used"));
        this.hasUsed = status.path("used").isObject();
        this.scopes = ScopeRequirement.of(object);
    }

    String name() {
        return object.path("metadata").path("name").asString("");
    }

    String namespace() {
        return object.path("metadata").path("namespace").asString("");
    }

    String resourceVersion() {
        return object.path("metadata").path("resourceVersion").asString("");
    }

    TreeMap<String, Quantity> hard() {
        return hard;
    }

    TreeMap<String, Quantity> used() {
        return used;
    }

    boolean hasUsed() {
        return hasUsed;
    }

    List<ScopeRequirement> scopes() {
        return scopes;
    }

    /** The object with status.used replaced, for a status write. */
    ObjectNode withUsed(TreeMap<String, Quantity> newUsed) {
        ObjectNode copy = object.deepCopy();
        copy.withObjectProperty("status").set("used", ResourceList.write(newUsed));
        return copy;
    }

    ObjectNode object() {
        return object.deepCopy();
    }

    /** Orders resourceVersions as the apiserver assigns them (storage revisions), as upstream's etcd versioner. */
    static int compareVersions(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
