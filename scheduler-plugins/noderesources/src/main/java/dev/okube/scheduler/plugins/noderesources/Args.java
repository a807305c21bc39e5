package dev.okube.scheduler.plugins.noderesources;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Strict reading of kubescheduler.config.k8s.io/v1 plugin args: unknown fields are errors, as upstream's strict decoding. */
final class Args {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Args() {
    }

    /** The args object; null or missing is an empty object. */
    static JsonNode object(JsonNode args, String kind) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return null;
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException(kind + ": args must be an object");
        }
        return args;
    }

    static void onlyFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.propertyNames().iterator(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f) && !"apiVersion".equals(f) && !"kind".equals(f)) {
                throw new IllegalArgumentException(path + ": unknown field \"" + f + "\"");
            }
        }
    }

    static List<String> strings(JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(path + ": must be a list of strings");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!v.isString()) {
                throw new IllegalArgumentException(path + "[" + i + "]: must be a string");
            }
            out.add(v.asString());
        }
        return out;
    }

    static String string(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new IllegalArgumentException(path + ": must be a string");
        }
        return node.asString();
    }

    static long integer(JsonNode node, String path, long absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(path + ": must be an integer");
        }
        return node.intValue();
    }

    /** Upstream's ValidateLabelName (a qualified name: optional DNS-subdomain prefix and a 63-character name). */
    static void qualifiedName(String value, String path) {
        String name = value;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            name = value.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw new IllegalArgumentException(path + ": Invalid value: \"" + value
                        + "\": prefix part must be a lowercase DNS subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(path + ": Invalid value: \"" + value
                    + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
                    + " with an alphanumeric character (at most 63 characters)");
        }
    }

    /** The resources list of a scoring strategy or BalancedAllocation args; weight 0 or absent is 1, as upstream's defaulting. */
    static List<ResourceSpec> resources(JsonNode node, String path) {
        if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
            return ResourceSpec.DEFAULTS;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(path + ": must be a list");
        }
        List<ResourceSpec> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode r = node.get(i);
            String p = path + "[" + i + "]";
            if (!r.isObject()) {
                throw new IllegalArgumentException(p + ": must be an object");
            }
            onlyFields(r, p, Set.of("name", "weight"));
            String name = string(r.get("name"), p + ".name");
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException(p + ".name: Required value");
            }
            long weight = integer(r.get("weight"), p + ".weight", 0);
            out.add(new ResourceSpec(name, weight == 0 ? 1 : weight));
        }
        return List.copyOf(out);
    }
}
