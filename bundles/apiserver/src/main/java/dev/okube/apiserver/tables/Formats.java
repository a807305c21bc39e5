package dev.okube.apiserver.tables;

import dev.okube.apiserver.defaults.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** The formatting helpers upstream's printers share: ages, labels, selectors, containers, access modes. */
final class Formats {
    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";
    static final String UNSET = "<unset>";

    private Formats() {
    }

    /** translateTimestampSince: the human age of a timestamp, "<unknown>" when unset. */
    static String since(Instant t, Instant now) {
        return t == null ? UNKNOWN : Tables.humanDuration(Duration.between(t, now));
    }

    static String age(JsonNode obj, Instant now) {
        return since(Json.time(obj, "metadata", "creationTimestamp"), now);
    }

    static String name(JsonNode obj) {
        return Json.str(obj, "metadata", "name");
    }

    /** labels.FormatLabels: "k=v,..." sorted by key, "<none>" when empty. */
    static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return NONE;
        }
        StringJoiner j = new StringJoiner(",");
        new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /**
     * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, "" for a nil or empty selector,
     * null when the selector is invalid (the callers print "<error>" or "<invalid>").
     */
    static String selector(JsonNode selector) {
        if (selector == null) {
            return "";
        }
        List<String[]> reqs = new ArrayList<>(); // {key, rendered}
        Json.map(selector, "matchLabels").forEach((k, v) -> reqs.add(new String[] {k, k + "=" + v}));
        for (JsonNode expr : Json.list(selector, "matchExpressions")) {
            String key = Json.str(expr, "key");
            TreeSet<String> values = new TreeSet<>();
            Json.list(expr, "values").forEach(v -> values.add(Json.str(v)));
            String op = Json.str(expr, "operator");
            String rendered;
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        return null;
                    }
                    rendered = key + ("In".equals(op) ? " in (" : " notin (") + String.join(",", values) + ")";
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        return null;
                    }
                    rendered = ("Exists".equals(op) ? "" : "!") + key;
                }
                default -> {
                    return null;
                }
            }
            reqs.add(new String[] {key, rendered});
        }
        // Go sorts requirements by key only (sort.Sort, not stable); ties keep insertion order here.
        reqs.sort(Comparator.comparing(r -> r[0]));
        StringJoiner j = new StringJoiner(",");
        reqs.forEach(r -> j.add(r[1]));
        return j.toString();
    }

    /** metav1.FormatLabelSelector: "<none>" for nil or empty, "<error>" for invalid selectors. */
    static String formatSelector(JsonNode selector) {
        String s = selector(selector);
        if (s == null) {
            return "<error>";
        }
        return s.isEmpty() ? NONE : s;
    }

    /** layoutContainerCells: names and images of the containers, comma-joined. */
    static String[] containers(JsonNode podSpec) {
        StringJoiner names = new StringJoiner(",");
        StringJoiner images = new StringJoiner(",");
        for (JsonNode c : Json.list(podSpec, "containers")) {
            names.add(Json.str(c, "name"));
            images.add(Json.str(c, "image"));
        }
        return new String[] {names.toString(), images.toString()};
    }

    /** helper.GetAccessModesAsString: abbreviations in a fixed order, duplicates removed. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        if (modes != null) {
            modes.forEach(m -> present.add(Json.str(m)));
        }
        List<String> out = new ArrayList<>();
        String[][] order = {
            {"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"}, {"ReadWriteOncePod", "RWOP"}};
        for (String[] o : order) {
            if (present.contains(o[0])) {
                out.add(o[1]);
            }
        }
        return String.join(",", out);
    }

    /** resource.Quantity String() of a value field: canonical, and "0" for an absent (zero) Quantity. */
    static String quantity(JsonNode node, String... path) {
        String s = Json.str(node, path);
        return s.isEmpty() ? "0" : Quantity.canonical(s);
    }

    /** (*resource.Quantity).String() of an optional field: nil prints "<nil>". */
    static String quantityPtr(JsonNode node, String... path) {
        return Json.has(node, path) ? quantity(node, path) : "<nil>";
    }

    /** printBoolPtr: "True", "False", or "<unset>" when absent. */
    static String boolPtr(JsonNode node, String... path) {
        JsonNode n = Json.at(node, path);
        if (n == null) {
            return UNSET;
        }
        return Json.bool(n) ? "True" : "False";
    }

    /** listWithMoreString: the first entries then " + N more...", "<unset>" when there is nothing. */
    static String listWithMore(List<String> list, int count, int max) {
        String ret = String.join(",", list);
        if (count > max) {
            return ret + " + " + (count - max) + " more...";
        }
        return ret.isEmpty() ? UNSET : ret;
    }

    /** net.JoinHostPort: IPv6 hosts are bracketed. */
    static String hostPort(String host, long port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
