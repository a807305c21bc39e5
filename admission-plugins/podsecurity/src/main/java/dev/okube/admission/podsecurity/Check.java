package dev.okube.admission.podsecurity;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One Pod Security Standards control at one level, with its implementation per policy version
 * (upstream's policy.Check): each {@link Versioned} applies from its minimum version until the next.
 *
 * @param id       the check's id; checks run in the order of their ids, baseline ones first
 * @param level    BASELINE or RESTRICTED
 * @param versions the implementations, by strictly increasing minimum version
 */
record Check(String id, Level level, List<Versioned> versions) {
    Check {
        Objects.requireNonNull(id, "id should not be null");
        if (level == Level.PRIVILEGED) {
            throw new IllegalArgumentException("check " + id + ": invalid level privileged");
        }
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("check " + id + ": empty");
        }
        Version previous = null;
        for (Versioned v : versions) {
            if (v.minimum().latest()) {
                throw new IllegalArgumentException("check " + id + ": version cannot be 'latest'");
            }
            if (previous != null && !previous.olderThan(v.minimum())) {
                throw new IllegalArgumentException("check " + id + ": versions must be strictly increasing");
            }
            if (!v.overrides().isEmpty() && level != Level.RESTRICTED) {
                throw new IllegalArgumentException("check " + id + ": only restricted checks may set overrides");
            }
            previous = v.minimum();
        }
    }

    /** A pod check: the pod's (or template's) metadata and spec, as JSON; never changes them. */
    @FunctionalInterface
    interface PodCheck {
        CheckResult check(JsonNode metadata, JsonNode spec);
    }

    /**
     * A check's implementation from a version on.
     *
     * @param overrides ids of baseline checks this restricted check replaces at the restricted level
     */
    record Versioned(Version minimum, PodCheck check, List<String> overrides) {
        Versioned {
            Objects.requireNonNull(minimum, "minimum should not be null");
            Objects.requireNonNull(check, "check should not be null");
            overrides = List.copyOf(overrides);
        }

        Versioned(Version minimum, PodCheck check) {
            this(minimum, check, List.of());
        }
    }
}
