package dev.okube.apiserver.rest;

import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.ResourceStrategy.FieldProblem;
import java.util.List;

/**
 * An API error, answered as a Kubernetes {@code Status} with upstream's code, reason and message
 * (k8s.io/apimachinery/pkg/api/errors). Thrown anywhere below the handler; never for bugs.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;
    private final transient List<FieldProblem> causes;
    private final int retryAfterSeconds;

    public ApiException(int code, String reason, String message) {
        this(code, reason, message, null, null, null, List.of(), 0);
    }

    private ApiException(int code, String reason, String message, String name, String group, String kind,
            List<FieldProblem> causes, int retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String name() {
        return name;
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public List<FieldProblem> causes() {
        return causes;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * 403 Forbidden about a resource (name, group and resource go into the Status details, as
     * upstream's NewForbidden), or about a path when {@code resource} is empty.
     */
    public static ApiException forbidden(String message, String name, String group, String resource) {
        return new ApiException(403, "Forbidden", message, name.isEmpty() ? null : name, group,
                resource.isEmpty() ? null : resource, List.of(), 0);
    }

    public static ApiException notFound(ResourceDefinition def, String name) {
        return new ApiException(404, "NotFound", def.qualifiedResource() + " \"" + name + "\" not found", name,
                def.group(), def.plural(), List.of(), 0);
    }

    public static ApiException alreadyExists(ResourceDefinition def, String name) {
        return new ApiException(409, "AlreadyExists", def.qualifiedResource() + " \"" + name + "\" already exists",
                name, def.group(), def.plural(), List.of(), 0);
    }

    public static ApiException conflict(ResourceDefinition def, String name, String why) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + def.qualifiedResource()
                + " \"" + name + "\": " + why, name, def.group(), def.plural(), List.of(), 0);
    }

    public static ApiException modified(ResourceDefinition def, String name) {
        return conflict(def, name, "the object has been modified; please apply your changes to the latest version "
                + "and try again");
    }

    public static ApiException invalid(ResourceDefinition def, String name, List<FieldProblem> problems) {
        StringBuilder message = new StringBuilder(def.kind()).append(" \"").append(name).append("\" is invalid: ");
        if (problems.size() == 1) {
            message.append(problems.get(0).message());
        } else {
            message.append('[');
            for (int i = 0; i < problems.size(); i++) {
                message.append(i == 0 ? "" : ", ").append(problems.get(i).message());
            }
            message.append(']');
        }
        return new ApiException(422, "Invalid", message.toString(), name, def.group(), def.kind(), problems, 0);
    }

    /** Upstream's NewApplyConflict: 409 Conflict whose details carry only the causes. */
    public static ApiException applyConflict(String message, List<FieldProblem> causes) {
        return new ApiException(409, "Conflict", message, null, null, null, causes, 0);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException methodNotAllowed() {
        return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    public static ApiException notFoundPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource");
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message);
    }

    public static ApiException tooManyRequests() {
        return new ApiException(429, "TooManyRequests", "too many requests, please try again later", null, null, null,
                List.of(), 1);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message, null, null, null, List.of(), 1);
    }

    public static ApiException timeout(String message) {
        return new ApiException(504, "Timeout", message, null, null, null, List.of(), 1);
    }
}
