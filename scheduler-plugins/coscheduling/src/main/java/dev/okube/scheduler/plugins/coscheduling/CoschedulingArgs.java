package dev.okube.scheduler.plugins.coscheduling;

import tools.jackson.databind.JsonNode;

/**
 * scheduler-plugins' CoschedulingArgs (kubescheduler.config.k8s.io/v1) with its defaults: permit wait 60 s,
 * no group backoff, reject the whole group in PostFilter when more than 10% of minMember is missing.
 */
public record CoschedulingArgs(long permitWaitingTimeSeconds, long podGroupBackoffSeconds, int podGroupRejectPercentage) {
    public static final CoschedulingArgs DEFAULTS = new CoschedulingArgs(60, 0, 10);

    public CoschedulingArgs {
        StringBuilder errors = new StringBuilder();
        if (permitWaitingTimeSeconds < 0) {
            append(errors, "permitWaitingTimeSeconds: Invalid value: " + permitWaitingTimeSeconds + ": must be greater than 0");
        }
        if (podGroupBackoffSeconds < 0) {
            append(errors, "podGroupBackoffSeconds: Invalid value: " + podGroupBackoffSeconds + ": must be greater than 0");
        }
        if (podGroupRejectPercentage < 0 || podGroupRejectPercentage > 100) {
            append(errors, "podGroupRejectPercentage: Invalid value: " + podGroupRejectPercentage + ": must be between 0 and 100");
        }
        if (errors.length() > 0) {
            throw new IllegalArgumentException(errors.toString());
        }
    }

    private static void append(StringBuilder errors, String error) {
        errors.append(errors.length() == 0 ? "" : ", ").append(error);
    }

    /** Parses the profile's args; missing fields take the defaults. */
    public static CoschedulingArgs parse(JsonNode args) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return DEFAULTS;
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException("CoschedulingArgs: expected an object, got " + args);
        }
        return new CoschedulingArgs(integer(args, "permitWaitingTimeSeconds", DEFAULTS.permitWaitingTimeSeconds),
                integer(args, "podGroupBackoffSeconds", DEFAULTS.podGroupBackoffSeconds),
                (int) integer(args, "podGroupRejectPercentage", DEFAULTS.podGroupRejectPercentage));
    }

    private static long integer(JsonNode args, String field, long dflt) {
        JsonNode v = args.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": Invalid value: " + v + ": must be an integer");
        }
        return v.asLong();
    }
}
