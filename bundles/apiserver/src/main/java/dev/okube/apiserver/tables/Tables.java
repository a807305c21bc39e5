package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Convertor.col;
import static dev.okube.apiserver.tables.Convertor.nameColumn;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side printing: the {@code meta.k8s.io/v1} Table columns and cells of upstream's
 * {@code pkg/printers/internalversion} for every built-in kind, and the default two-column table for the rest.
 */
public final class Tables {
    /** rest.NewDefaultTableConvertor: what upstream serves for kinds without a printer (Role, LimitRange, CRDs...). */
    static final TableConvertor DEFAULT = new Convertor(
            List.of(nameColumn(), col("Created At", "date", Docs.META_CREATED)),
            (o, now) -> {
                var created = Json.time(o, "metadata", "creationTimestamp");
                // Go formats the zero time too, so an unset timestamp still yields a date.
                return List.of(Formats.name(o), DateTimeFormatter.ISO_INSTANT.format(
                        (created == null ? Json.GO_ZERO_TIME : created).truncatedTo(ChronoUnit.SECONDS)));
            });

    private static final Duration GO_MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);
    private static final Map<String, TableConvertor> BY_KIND = new HashMap<>();

    static {
        CoreTables.register(BY_KIND);
        WorkloadTables.register(BY_KIND);
        ClusterTables.register(BY_KIND);
        PlatformTables.register(BY_KIND);
    }

    private Tables() {
    }

    /** The convertor for a kind; for unknown kinds the default (Name, Created At) as upstream's default table. */
    public static TableConvertor forKind(String group, String kind) {
        Objects.requireNonNull(kind, "kind should not be null");
        String g = group == null || "core".equals(group) ? "" : group;
        return BY_KIND.getOrDefault(key(g, kind), DEFAULT);
    }

    /** The "group/Kind" keys with a registered convertor. */
    static Set<String> registeredKinds() {
        return Set.copyOf(BY_KIND.keySet());
    }

    static String key(String group, String kind) {
        return group + "/" + kind;
    }

    /**
     * upstream duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration): about two significant figures,
     * e.g. "45s", "5m9s", "3h", "2d5h", "3y2d"; "0s" for up to 2s in the future (clock skew), "<invalid>" beyond.
     */
    public static String humanDuration(Duration d) {
        if (d.compareTo(GO_MAX_DURATION) > 0) {
            d = GO_MAX_DURATION; // time.Since saturates at the largest time.Duration (about 292 years)
        }
        // Go truncates toward zero (int(d.Seconds())); Duration.getSeconds() floors.
        long seconds = d.getSeconds() < 0 && d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = seconds / 3600;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
