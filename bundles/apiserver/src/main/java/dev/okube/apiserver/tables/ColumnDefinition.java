package dev.okube.apiserver.tables;

/**
 * One column of a {@code meta.k8s.io/v1} Table, serialized as {@code columnDefinitions[]}.
 *
 * @param name        header text; kubectl upper-cases it
 * @param type        OpenAPI type of the cells: "string", "integer", "boolean", "date", "number"
 * @param format      "name" for the column holding the object name, otherwise ""
 * @param description the API documentation of the field the column shows
 * @param priority    0 for normal columns, 1 for those kubectl shows only with {@code -o wide}
 */
public record ColumnDefinition(String name, String type, String format, String description, int priority) {
}
