package dev.okube.apiserver.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-kind behaviour of the generic registry, as upstream's RESTCreateStrategy /
 * RESTUpdateStrategy / TableConvertor / GetAttrs. Implementations are stateless.
 */
public interface ResourceStrategy {

    /** Upstream defaulting of the decoded object, before admission. */
    void applyDefaults(ObjectNode object);

    /** Clears what a client may not set on create (status for most kinds), as PrepareForCreate. */
    void prepareForCreate(ObjectNode object);

    /**
     * Keeps what a main-resource update may not change (status), as PrepareForUpdate; for a
     * status update keeps the spec and metadata instead.
     */
    void prepareForUpdate(ObjectNode object, ObjectNode old, boolean statusUpdate);

    /** Whether metadata.generation starts at 1 and increases with every change of the spec. */
    boolean tracksGeneration();

    /** Validation problems of a create (metadata and kind rules); empty when valid. */
    List<FieldProblem> validateCreate(ObjectNode object);

    /** Validation problems of an update against the stored object. */
    List<FieldProblem> validateUpdate(ObjectNode object, ObjectNode old);

    /** Seconds of graceful deletion when the client gives none; 0 deletes at once (finalizers aside). */
    default long defaultGracePeriodSeconds(ObjectNode object) {
        return 0;
    }

    /**
     * Where the scale subresource reads and writes replicas, as a custom resource declares them; null
     * for the built-in workloads' fixed spec.replicas, status.replicas and spec.selector.
     */
    default ScalePaths scalePaths() {
        return null;
    }

    /** Dotted field paths (".spec.replicas"); labelSelector may be null. */
    record ScalePaths(String specReplicas, String statusReplicas, String labelSelector) {
    }

    /** Table columns for {@code kubectl get}. */
    List<Column> columns();

    /** The cells of one row, in {@link #columns()} order. */
    List<Object> cells(JsonNode object, Instant now);

    /** The fields a field selector may name, with their values for this object. */
    Map<String, String> selectableFields(JsonNode object);

    /** A Table column as meta.k8s.io/v1 TableColumnDefinition. */
    record Column(String name, String type, String format, String description, int priority) {
    }

    /**
     * One validation problem: upstream's field.Error. {@code body} is the text without the field
     * ("Invalid value: ..."), as a Status cause carries it.
     */
    record FieldProblem(String reason, String field, String body) {
        /** "field: body", as the Status message lists it. */
        public String message() {
            return field + ": " + body;
        }
    }
}
