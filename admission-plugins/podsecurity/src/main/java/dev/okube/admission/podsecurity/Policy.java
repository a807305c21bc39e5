package dev.okube.admission.podsecurity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The level and version of each mode of a namespace (upstream's api.Policy): enforce denies,
 * audit logs, warn answers warnings.
 */
record Policy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {
    static final String PREFIX = "pod-security.kubernetes.io/";
    static final String ENFORCE = PREFIX + "enforce";
    static final String ENFORCE_VERSION = PREFIX + "enforce-version";
    static final String AUDIT = PREFIX + "audit";
    static final String AUDIT_VERSION = PREFIX + "audit-version";
    static final String WARN = PREFIX + "warn";
    static final String WARN_VERSION = PREFIX + "warn-version";

    Policy {
        Objects.requireNonNull(enforce, "enforce should not be null");
        Objects.requireNonNull(audit, "audit should not be null");
        Objects.requireNonNull(warn, "warn should not be null");
    }

    /** Whether every mode is privileged: nothing to evaluate. */
    boolean fullyPrivileged() {
        return enforce.level() == Level.PRIVILEGED && audit.level() == Level.PRIVILEGED
                && warn.level() == Level.PRIVILEGED;
    }

    boolean equivalent(Policy other) {
        return enforce.equivalent(other.enforce) && audit.equivalent(other.audit) && warn.equivalent(other.warn);
    }

    /**
     * A label that does not parse, worded as upstream's field error:
     * {@code metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "x": must be one of ...}.
     */
    record LabelError(String label, String value, String detail) {
        @Override
        public String toString() {
            return "metadata.labels[" + label + "]: Invalid value: " + GoText.quote(value) + ": " + detail;
        }
    }

    /** The policy a namespace's labels select, and the labels that did not parse. */
    record Evaluated(Policy policy, List<LabelError> errors) {
        Evaluated {
            errors = List.copyOf(errors);
        }

        boolean valid() {
            return errors.isEmpty();
        }

        /** The errors as upstream aggregates them: one as is, several deduplicated in brackets. */
        String errorText() {
            List<String> distinct = errors.stream().map(LabelError::toString).distinct().toList();
            return distinct.size() == 1 ? distinct.get(0) : "[" + String.join(", ", distinct) + "]";
        }
    }

    /**
     * The policy of a namespace with these labels, modes without a label taking the defaults, as
     * upstream's PolicyToEvaluate: an enforce label that does not parse enforces restricted (fail
     * closed), audit and warn labels that do not parse fall back to privileged (fail open), a version
     * that does not parse is latest, and warn follows an explicitly stricter enforce level (and its
     * version) unless warn has its own label.
     */
    static Evaluated toEvaluate(Map<String, String> labels, Policy defaults) {
        List<LabelError> errors = new ArrayList<>();
        LevelVersion enforce = defaults.enforce;
        LevelVersion audit = defaults.audit;
        LevelVersion warn = defaults.warn;
        if (labels.isEmpty()) {
            return new Evaluated(defaults, errors);
        }
        boolean hasEnforceLevel = false;
        String value = labels.get(ENFORCE);
        if (value != null) {
            Level level = level(ENFORCE, value, errors);
            hasEnforceLevel = level != null;
            enforce = enforce.withLevel(hasEnforceLevel ? level : Level.RESTRICTED);
        }
        value = labels.get(ENFORCE_VERSION);
        if (value != null) {
            enforce = enforce.withVersion(version(ENFORCE_VERSION, value, errors));
        }
        value = labels.get(AUDIT);
        if (value != null) {
            Level level = level(AUDIT, value, errors);
            audit = audit.withLevel(level == null ? Level.PRIVILEGED : level);
        }
        value = labels.get(AUDIT_VERSION);
        if (value != null) {
            audit = audit.withVersion(version(AUDIT_VERSION, value, errors));
        }
        boolean hasWarnLevel = labels.containsKey(WARN);
        if (hasWarnLevel) {
            Level level = level(WARN, labels.get(WARN), errors);
            warn = warn.withLevel(level == null ? Level.PRIVILEGED : level);
        }
        boolean hasWarnVersion = labels.containsKey(WARN_VERSION);
        if (hasWarnVersion) {
            warn = warn.withVersion(version(WARN_VERSION, labels.get(WARN_VERSION), errors));
        }
        if (!hasWarnLevel && hasEnforceLevel && enforce.level().compareTo(warn.level()) > 0) {
            warn = hasWarnVersion ? warn.withLevel(enforce.level()) : enforce;
        }
        return new Evaluated(new Policy(enforce, audit, warn), errors);
    }

    private static Level level(String label, String value, List<LabelError> errors) {
        try {
            return Level.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(new LabelError(label, value, e.getMessage()));
            return null;
        }
    }

    private static Version version(String label, String value, List<LabelError> errors) {
        try {
            return Version.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(new LabelError(label, value, e.getMessage()));
            return Version.LATEST;
        }
    }
}
