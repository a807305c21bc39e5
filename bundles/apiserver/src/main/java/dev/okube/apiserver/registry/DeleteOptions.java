package dev.okube.apiserver.registry;

/**
 * metav1.DeleteOptions as the registry uses them.
 *
 * @param gracePeriodSeconds   null for the kind's default
 * @param propagationPolicy    "Orphan", "Background", "Foreground", or null for the kind's default
 * @param preconditionUid      the uid the object must have, or null
 * @param preconditionResourceVersion the resourceVersion the object must have, or null
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
        String preconditionResourceVersion) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null);
}
