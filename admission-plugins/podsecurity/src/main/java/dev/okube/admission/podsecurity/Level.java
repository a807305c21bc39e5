package dev.okube.admission.podsecurity;

import java.util.Locale;

/** A Pod Security Standards level, from the least strict to the strictest (upstream's api.Level). */
enum Level {
    PRIVILEGED, BASELINE, RESTRICTED;

    /** The message of a label or setting that names no level, as upstream words it. */
    static final String INVALID = "must be one of privileged, baseline, restricted";

    /** The level a label or setting names; throws with upstream's message when it names none. */
    static Level parse(String value) {
        switch (value) {
            case "privileged":
                return PRIVILEGED;
            case "baseline":
                return BASELINE;
            case "restricted":
                return RESTRICTED;
            default:
                throw new IllegalArgumentException(INVALID);
        }
    }

    /** The name used in labels and messages: "privileged", "baseline" or "restricted". */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
