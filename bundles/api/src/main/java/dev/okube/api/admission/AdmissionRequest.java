package dev.okube.api.admission;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * What is being written, as upstream's admission.Attributes.
 *
 * @param operation   CREATE, UPDATE, DELETE or CONNECT
 * @param group       the API group ("" for core)
 * @param version     the API version
 * @param kind        the kind of the object
 * @param resource    the resource (plural), e.g. "pods"
 * @param subresource the subresource ("" for the main resource), e.g. "status"
 * @param namespace   the namespace ("" for cluster-scoped resources)
 * @param name        the object's name (may be empty on CREATE with generateName)
 * @param object      the object to be stored; mutating plugins may change it in place; null on DELETE
 * @param oldObject   the stored object on UPDATE and DELETE; null on CREATE; never to be changed
 * @param user        who asks
 * @param dryRun      whether the write will not be persisted (plugins with side effects must not act)
 */
public record AdmissionRequest(Operation operation, String group, String version, String kind, String resource,
        String subresource, String namespace, String name, ObjectNode object, ObjectNode oldObject, UserInfo user,
        boolean dryRun) {

    public enum Operation { CREATE, UPDATE, DELETE, CONNECT }

    public AdmissionRequest {
        Objects.requireNonNull(operation, "operation should not be null");
        Objects.requireNonNull(resource, "resource should not be null");
        Objects.requireNonNull(user, "user should not be null");
    }
}
