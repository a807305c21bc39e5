package dev.okube.admission.podsecurity;

import java.util.Objects;

/** A level at a version, printed as upstream prints it in messages: "restricted:latest", "baseline:v1.24". */
record LevelVersion(Level level, Version version) {
    static final LevelVersion PRIVILEGED_LATEST = new LevelVersion(Level.PRIVILEGED, Version.LATEST);

    LevelVersion {
        Objects.requireNonNull(level, "level should not be null");
        Objects.requireNonNull(version, "version should not be null");
    }

    LevelVersion withLevel(Level newLevel) {
        return new LevelVersion(newLevel, version);
    }

    LevelVersion withVersion(Version newVersion) {
        return new LevelVersion(level, newVersion);
    }

    /** Both privileged (whatever the versions), or the same level and version. */
    boolean equivalent(LevelVersion other) {
        return (level == Level.PRIVILEGED && other.level == Level.PRIVILEGED) || equals(other);
    }

    @Override
    public String toString() {
        return level + ":" + version;
    }
}
