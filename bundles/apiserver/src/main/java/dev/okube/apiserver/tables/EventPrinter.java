package dev.okube.apiserver.tables;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * upstream printEvent, for core/v1 Events and events.k8s.io/v1 Events alike: upstream stores both as the same
 * internal type, so the events.k8s.io field names (regarding, note, deprecated*) map onto the core ones.
 */
final class EventPrinter {
    private EventPrinter() {
    }

    /** @param v1 whether the object is an events.k8s.io/v1 Event rather than a core/v1 one */
    static List<Object> cells(JsonNode e, Instant now, boolean v1) {
        JsonNode involved = Json.at(e, v1 ? "regarding" : "involvedObject");
        JsonNode source = Json.at(e, v1 ? "deprecatedSource" : "source");
        Instant first = Json.time(e, v1 ? "deprecatedFirstTimestamp" : "firstTimestamp");
        Instant last = Json.time(e, v1 ? "deprecatedLastTimestamp" : "lastTimestamp");
        long count = Json.num(e, v1 ? "deprecatedCount" : "count");
        String message = Json.str(e, v1 ? "note" : "message");

        String firstSeen = first != null ? Formats.since(first, now) : Formats.since(Json.time(e, "eventTime"), now);
        String lastSeen = last != null ? Formats.since(last, now) : firstSeen;
        if (Json.has(e, "series")) {
            lastSeen = Formats.since(Json.time(e, "series", "lastObservedTime"), now);
            count = Json.num(e, "series", "count");
        } else if (count == 0) {
            // Singleton events of the new API carry no count.
            count = 1;
        }

        String kind = Json.str(involved, "kind").toLowerCase(Locale.ROOT);
        String involvedName = Json.str(involved, "name");
        String target = involvedName.isEmpty() ? kind : kind + "/" + involvedName;

        String component = firstNonEmpty(Json.str(source, "component"), Json.str(e, "reportingController"));
        String instance = firstNonEmpty(Json.str(source, "host"), Json.str(e, "reportingInstance"));
        String sourceCell = instance.isEmpty() ? component : component + ", " + instance;

        return List.of(lastSeen, Json.str(e, "type"), Json.str(e, "reason"), target,
                Json.str(involved, "fieldPath"), sourceCell, message.strip(), firstSeen, count, Formats.name(e));
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
