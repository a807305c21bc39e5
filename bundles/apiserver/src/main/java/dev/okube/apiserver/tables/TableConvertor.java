package dev.okube.apiserver.tables;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Turns stored objects of one kind into Table rows, the way the upstream printers do for {@code kubectl get}. */
public interface TableConvertor {
    /** The column definitions, wide ones (priority 1) included. */
    List<ColumnDefinition> columns();

    /**
     * The row cells for one object, in column order: Strings, or Long/Integer for "integer" columns. Like upstream,
     * a few "string" columns carry a Long (counts such as Secret Data) and "boolean" columns a Boolean; the JSON on
     * the wire is then the same as upstream's. Missing fields never throw; they print as upstream prints zero values.
     */
    List<Object> cells(JsonNode object, Instant now);
}
