package dev.okube.apiserver.registry;

import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A list or watch request's options, as metav1.ListOptions.
 *
 * @param labelSelector   labels an object must match
 * @param fieldSelector   fields (of {@link ResourceStrategy#selectableFields}) an object must match
 * @param resourceVersion "" (most recent, consistent), "0" (any), or a revision
 * @param resourceVersionMatch "", "NotOlderThan" or "Exact"
 * @param limit           at most this many items per page; 0 for all
 * @param continueToken   the token of the previous page
 * @param allowBookmarks  whether a watch may send BOOKMARK events
 * @param timeoutSeconds  the watch ends after this long; 0 for the server's default
 */
public record ListOptions(Predicate<Map<String, String>> labelSelector, Predicate<Map<String, String>> fieldSelector,
        String resourceVersion, String resourceVersionMatch, long limit, String continueToken, boolean allowBookmarks,
        long timeoutSeconds) {

    public static final ListOptions ALL = new ListOptions(l -> true, f -> true, "", "", 0, "", false, 0);

    /** Whether an object passes both selectors. */
    public boolean matches(ResourceDefinition def, JsonNode object) {
        return labelSelector.test(StoredObjects.labels(object)) && fieldSelector.test(StoredObjects.fields(def, object));
    }
}
