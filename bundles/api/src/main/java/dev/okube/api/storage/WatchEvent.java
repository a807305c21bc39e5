package dev.okube.api.storage;

/**
 * One change seen by a watch.
 *
 * @param type   PUT (create or update) or DELETE
 * @param kv     for PUT the key as written; for DELETE the key with an empty value and the deleting
 *               revision as {@code modRevision}
 * @param prevKv the key as it was before the change; null on creation
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    /** The revision of the change (the Kubernetes watch event's resourceVersion). */
    public long revision() {
        return kv.modRevision();
    }

    /** Whether the key was created by this change (a PUT on an absent key). */
    public boolean isCreate() {
        return type == Type.PUT && kv.version() == 1;
    }
}
