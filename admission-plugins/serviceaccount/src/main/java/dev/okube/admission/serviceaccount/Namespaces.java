package dev.okube.admission.serviceaccount;

import tools.jackson.databind.JsonNode;

/** What the controllers need to know about a namespace. */
final class Namespaces {
    private Namespaces() {
    }

    static String name(JsonNode namespace) {
        return namespace.path("metadata").path("name").asString("");
    }

    /** Active: not being deleted (a namespace without a phase yet counts as active). */
    static boolean active(JsonNode namespace) {
        JsonNode deletion = namespace.path("metadata").get("deletionTimestamp");
        if (deletion != null && !deletion.isNull()) {
            return false;
        }
        String phase = namespace.path("status").path("phase").asString("");
        return phase.isEmpty() || "Active".equals(phase);
    }
}
