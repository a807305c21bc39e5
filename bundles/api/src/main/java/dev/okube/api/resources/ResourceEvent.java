package dev.okube.api.resources;

import tools.jackson.databind.node.ObjectNode;

/**
 * One change of a watched resource. Objects are shared with the cache: never change them; copy
 * with {@code deepCopy()} first.
 *
 * @param type      ADDED, MODIFIED or DELETED
 * @param object    the object after the change (its last state for DELETED)
 * @param oldObject the object before the change; null for ADDED
 */
public record ResourceEvent(Type type, ObjectNode object, ObjectNode oldObject) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
