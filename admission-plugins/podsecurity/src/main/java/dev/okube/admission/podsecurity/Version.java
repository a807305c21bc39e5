package dev.okube.admission.podsecurity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A policy version: "latest" or "v1.X" (upstream's api.Version). Checks are defined from a
 * minimum version on; "latest" is newer than every numbered version.
 */
record Version(int major, int minor, boolean latest) {
    static final Version LATEST = new Version(0, 0, true);
    static final String INVALID = "must be \"latest\" or \"v1.x\"";
    private static final Pattern V1 = Pattern.compile("v1\\.(0|[1-9][0-9]*)");

    static Version of(int major, int minor) {
        return new Version(major, minor, false);
    }

    /** The version a label or setting names; throws with upstream's message when it names none. */
    static Version parse(String value) {
        if ("latest".equals(value)) {
            return LATEST;
        }
        Matcher m = V1.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(INVALID);
        }
        try {
            return of(1, Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
            // More digits than an int holds: no policy version is that new, and upstream refuses it too.
            throw new IllegalArgumentException(INVALID);
        }
    }

    /** Whether this version is older than {@code other}; "latest" is never older. */
    boolean olderThan(Version other) {
        if (latest) {
            return false;
        }
        if (other.latest) {
            return true;
        }
        return major != other.major ? major < other.major : minor < other.minor;
    }

    Version nextMinor() {
        return latest ? this : of(major, minor + 1);
    }

    @Override
    public String toString() {
        return latest ? "latest" : "v" + major + "." + minor;
    }
}
