package dev.okube.admission.podsecurity;

import dev.okube.admission.podsecurity.Check.PodCheck;
import dev.okube.admission.podsecurity.Check.Versioned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which checks run for a level at a version (upstream's check registry): a table per minor
 * version from v1.0 to the newest version any check defines. Restricted is baseline plus the
 * restricted checks, minus the baseline checks a restricted check overrides at that version.
 * Checks run in the order of their ids, baseline first. "latest", and any version newer than the
 * newest table, evaluates as the newest table (or as the emulated version, when one is set).
 */
final class Evaluator {
    private final Map<Version, List<PodCheck>> baseline = new HashMap<>();
    private final Map<Version, List<PodCheck>> restricted = new HashMap<>();
    private final Version maxVersion;

    /** The checks upstream runs by default, in every version they have. */
    static List<Check> defaultChecks() {
        List<Check> all = new ArrayList<>(BaselineChecks.all());
        all.addAll(RestrictedChecks.all());
        return all;
    }

    Evaluator(List<Check> checks) {
        this(checks, null);
    }

    /**
     * @param emulationVersion when older than the newest checks, "latest" means this version (as
     *                         upstream's apiserver emulating an older Kubernetes); null for none
     */
    Evaluator(List<Check> checks, Version emulationVersion) {
        Map<String, Level> ids = new HashMap<>();
        Version newest = Version.of(0, 0);
        for (Check c : checks) {
            if (ids.put(c.id(), c.level()) != null) {
                throw new IllegalArgumentException("multiple checks registered for ID " + c.id());
            }
            Version last = c.versions().get(c.versions().size() - 1).minimum();
            if (newest.olderThan(last)) {
                newest = last;
            }
        }
        for (Check c : checks) {
            for (Versioned v : c.versions()) {
                for (String overridden : v.overrides()) {
                    if (ids.containsKey(overridden) && ids.get(overridden) != Level.BASELINE) {
                        throw new IllegalArgumentException("check " + c.id() + ": overrides " + ids.get(overridden)
                                + " check " + overridden);
                    }
                }
            }
        }
        List<String> order = new ArrayList<>();
        checks.stream().filter(c -> c.level() == Level.BASELINE).map(Check::id).sorted().forEach(order::add);
        checks.stream().filter(c -> c.level() == Level.RESTRICTED).map(Check::id).sorted().forEach(order::add);

        Version end = newest.nextMinor();
        for (Version v = Version.of(1, 0); v.olderThan(end); v = v.nextMinor()) {
            Map<String, Versioned> base = new HashMap<>();
            Map<String, Versioned> strict = new HashMap<>();
            for (Check c : checks) {
                Versioned at = at(c, v);
                if (at != null) {
                    (c.level() == Level.BASELINE ? base : strict).put(c.id(), at);
                }
            }
            Set<String> overridden = new HashSet<>();
            strict.values().forEach(s -> overridden.addAll(s.overrides()));
            Map<String, Versioned> restrictedAtV = new LinkedHashMap<>(strict);
            base.forEach((id, check) -> {
                if (!overridden.contains(id)) {
                    restrictedAtV.put(id, check);
                }
            });
            baseline.put(v, ordered(base, order));
            restricted.put(v, ordered(restrictedAtV, order));
        }
        maxVersion = emulationVersion != null && emulationVersion.olderThan(newest) ? emulationVersion : newest;
    }

    /** The newest version with a table of its own; newer versions and "latest" evaluate as this one. */
    Version maxVersion() {
        return maxVersion;
    }

    /** The implementation of a check in effect at a version, or null when the check is newer. */
    private static Versioned at(Check check, Version v) {
        Versioned found = null;
        for (Versioned candidate : check.versions()) {
            if (!v.olderThan(candidate.minimum())) {
                found = candidate;
            }
        }
        return found;
    }

    private static List<PodCheck> ordered(Map<String, Versioned> checks, List<String> order) {
        List<PodCheck> result = new ArrayList<>();
        for (String id : order) {
            Versioned v = checks.get(id);
            if (v != null) {
                result.add(v.check());
            }
        }
        return List.copyOf(result);
    }

    /** Every check's result for a pod (or pod template) at a level and version; none for privileged. */
    List<CheckResult> evaluate(LevelVersion lv, JsonNode metadata, JsonNode spec) {
        if (lv.level() == Level.PRIVILEGED) {
            return List.of();
        }
        Version v = maxVersion.olderThan(lv.version()) ? maxVersion : lv.version();
        List<PodCheck> checks = (lv.level() == Level.BASELINE ? baseline : restricted).getOrDefault(v, List.of());
        List<CheckResult> results = new ArrayList<>(checks.size());
        for (PodCheck check : checks) {
            results.add(check.check(metadata, spec));
        }
        return results;
    }

    /** The failed checks for a pod at a level and version. */
    CheckResult.Aggregate aggregate(LevelVersion lv, JsonNode metadata, JsonNode spec) {
        return CheckResult.Aggregate.of(evaluate(lv, metadata, spec));
    }
}
