package dev.okube.apiserver.tables;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/** A TableConvertor from fixed columns and a cell function. */
record Convertor(List<ColumnDefinition> columns, BiFunction<JsonNode, Instant, List<Object>> printer)
        implements TableConvertor {
    Convertor {
        columns = List.copyOf(columns);
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        return printer.apply(object, now);
    }

    /** The Name column every printer starts with. */
    static ColumnDefinition nameColumn() {
        return new ColumnDefinition("Name", "string", "name", Docs.META_NAME, 0);
    }

    static ColumnDefinition ageColumn() {
        return col("Age", "string", Docs.META_CREATED);
    }

    static ColumnDefinition col(String name, String type, String description) {
        return new ColumnDefinition(name, type, "", description, 0);
    }

    static ColumnDefinition wide(String name, String type, String description) {
        return new ColumnDefinition(name, type, "", description, 1);
    }
}
