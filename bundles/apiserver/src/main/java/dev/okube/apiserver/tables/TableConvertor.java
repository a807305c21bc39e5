package dev.okube.apiserver.tables;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Turns stored objects of one kind into Table rows, the way the upstream printers do for {@code kubectl get}. */
public interface TableConvertor {
    /** The column definitions, wide ones (priority 1) included. */
    List<ColumnDefinition> columns();

    /**
     * The row cells for one object, in column order: Strings, or Long for "integer" columns. Where upstream puts a
     * Go number or bool into a cell, so does this (a Long for counts such as Secret Data even in "string" columns, a
     * Boolean for PriorityClass Global-Default or StorageClass AllowVolumeExpansion), so the JSON on the wire is the
     * same as upstream's. Missing fields never throw; they print as upstream prints zero values.
     */
    List<Object> cells(JsonNode object, Instant now);
}
