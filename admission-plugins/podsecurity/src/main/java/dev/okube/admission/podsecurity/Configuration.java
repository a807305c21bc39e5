package dev.okube.admission.podsecurity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The plugin's settings, as upstream's PodSecurityConfiguration: the policy of namespaces without
 * labels, and who and what is exempt.
 *
 * @param defaults       the level and version of each mode where a namespace has no label
 * @param usernames      users whose pods (and pod templates) are never evaluated
 * @param namespaces     namespaces whose pods are never evaluated
 * @param runtimeClasses runtime classes whose pods are never evaluated
 * @param emulation      when set, "latest" means this version, as for an apiserver emulating an older release
 */
record Configuration(Policy defaults, Set<String> usernames, Set<String> namespaces, Set<String> runtimeClasses,
        Version emulation) {
    /** Upstream's defaults: everything privileged at latest, nothing exempt. */
    static final Configuration DEFAULT = new Configuration(new Policy(LevelVersion.PRIVILEGED_LATEST,
            LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST), Set.of(), Set.of(), Set.of(), null);

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    Configuration {
        Objects.requireNonNull(defaults, "defaults should not be null");
        usernames = Set.copyOf(usernames);
        namespaces = Set.copyOf(namespaces);
        runtimeClasses = Set.copyOf(runtimeClasses);
    }

    /**
     * Parses and validates the settings as upstream validates its configuration file; throws
     * IllegalArgumentException listing every invalid field.
     */
    static Configuration parse(String enforce, String enforceVersion, String audit, String auditVersion, String warn,
            String warnVersion, String[] usernames, String[] namespaces, String[] runtimeClasses, String emulation) {
        List<String> errors = new ArrayList<>();
        Level enforceLevel = level("defaults.enforce", enforce, errors);
        Version enforceV = version("defaults.enforce-version", enforceVersion, errors);
        Level warnLevel = level("defaults.warn", warn, errors);
        Version warnV = version("defaults.warn-version", warnVersion, errors);
        Level auditLevel = level("defaults.audit", audit, errors);
        Version auditV = version("defaults.audit-version", auditVersion, errors);
        Set<String> ns = names("exemptions.namespaces", namespaces, errors, value -> value.length() > 63
                ? "must be no more than 63 characters"
                : DNS1123_LABEL.matcher(value).matches() ? null
                : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                        + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
                        + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
        Set<String> rcs = names("exemptions.runtimeClasses", runtimeClasses, errors, value -> value.length() > 253
                ? "must be no more than 253 characters"
                : DNS1123_SUBDOMAIN.matcher(value).matches() ? null
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                        + "must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        Set<String> users = names("exemptions.usernames", usernames, errors, value -> null);
        Version emulated = null;
        if (emulation != null && !emulation.isBlank()) {
            emulated = version("emulation-version", emulation.trim(), errors);
            if (emulated != null && emulated.latest()) {
                emulated = null;
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("PodSecurity invalid: " + String.join(", ", errors));
        }
        return new Configuration(new Policy(new LevelVersion(enforceLevel, enforceV),
                new LevelVersion(auditLevel, auditV), new LevelVersion(warnLevel, warnV)), users, ns, rcs, emulated);
    }

    private static Level level(String field, String value, List<String> errors) {
        try {
            return Level.parse(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            errors.add(field + ": Invalid value: " + GoText.quote(String.valueOf(value)) + ": " + e.getMessage());
            return null;
        }
    }

    private static Version version(String field, String value, List<String> errors) {
        try {
            return Version.parse(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            errors.add(field + ": Invalid value: " + GoText.quote(String.valueOf(value)) + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Validated names. An entry may list several names separated by commas (a Karaf .cfg file gives
     * one string); blanks around names and empty entries are ignored.
     */
    private static Set<String> names(String field, String[] values, List<String> errors,
            java.util.function.Function<String, String> problem) {
        List<String> all = new ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String piece : (value == null ? "" : value).split(",")) {
                if (!piece.isBlank()) {
                    all.add(piece.trim());
                }
            }
        }
        Set<String> valid = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            String value = all.get(i);
            String error = problem.apply(value);
            if (error != null) {
                errors.add(field + "[" + i + "]: Invalid value: " + GoText.quote(value) + ": " + error);
            } else if (!valid.add(value)) {
                errors.add(field + "[" + i + "]: Duplicate value: " + GoText.quote(value));
            }
        }
        return valid;
    }

    boolean exemptUser(String name) {
        return !name.isEmpty() && usernames.contains(name);
    }

    boolean exemptNamespace(String name) {
        return !name.isEmpty() && namespaces.contains(name);
    }

    boolean exemptRuntimeClass(String name) {
        return !name.isEmpty() && runtimeClasses.contains(name);
    }
}
