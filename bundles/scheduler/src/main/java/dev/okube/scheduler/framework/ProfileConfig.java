package dev.okube.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One scheduling profile as upstream's KubeSchedulerProfile (kubescheduler.config.k8s.io/v1), after v1
 * defaulting: the configured multiPoint set is merged into the default plugins (as upstream's mergePluginSet),
 * per extension point lists and disables, plugin args, and percentageOfNodesToScore.
 *
 * @param schedulerName            the name pods choose with spec.schedulerName
 * @param multiPoint               the merged multiPoint plugins, in order
 * @param enabled                  the plugins enabled at one extension point only, in order
 * @param disabled                 per extension point, the names disabled there ("*" for all multiPoint plugins)
 * @param pluginConfig             plugin name → args
 * @param percentageOfNodesToScore null for the scheduler's global setting
 */
public record ProfileConfig(String schedulerName, List<PluginRef> multiPoint, Map<ExtensionPoint, List<PluginRef>> enabled,
                            Map<ExtensionPoint, Set<String>> disabled, Map<String, JsonNode> pluginConfig,
                            Integer percentageOfNodesToScore) {

    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Upstream's v1 default plugins (pkg/scheduler/apis/config/v1/default_plugins.go) without the volume
     * limit plugins (EBSLimits, GCEPDLimits, NodeVolumeLimits, AzureDiskLimits: no cloud disks and no CSINode
     * here) and without DynamicResources (behind a feature gate that is off by default).
     */
    public static final List<PluginRef> DEFAULT_PLUGINS = List.of(
            new PluginRef("SchedulingGates", 0),
            new PluginRef("PrioritySort", 0),
            new PluginRef("NodeUnschedulable", 0),
            new PluginRef("NodeName", 0),
            new PluginRef("TaintToleration", 3),
            new PluginRef("NodeAffinity", 2),
            new PluginRef("NodePorts", 0),
            new PluginRef("NodeResourcesFit", 1),
            new PluginRef("VolumeRestrictions", 0),
            new PluginRef("VolumeBinding", 0),
            new PluginRef("VolumeZone", 0),
            new PluginRef("PodTopologySpread", 2),
            new PluginRef("InterPodAffinity", 2),
            new PluginRef("DefaultPreemption", 0),
            new PluginRef("NodeResourcesBalancedAllocation", 1),
            new PluginRef("ImageLocality", 1),
            new PluginRef("DefaultBinder", 0));

    /** A plugin named in a profile, with its weight (0 when not given; scores then weigh 1). */
    public record PluginRef(String name, int weight) {
        public PluginRef {
            Objects.requireNonNull(name, "name should not be null");
        }

        /** Parses "Name" or "Name:weight". */
        public static PluginRef parse(String s) {
            String t = s.trim();
            int colon = t.indexOf(':');
            if (colon < 0) {
                return new PluginRef(t, 0);
            }
            String name = t.substring(0, colon).trim();
            try {
                int w = Integer.parseInt(t.substring(colon + 1).trim());
                if (w < 0) {
                    throw new IllegalArgumentException("weight of plugin \"" + name + "\" must not be negative");
                }
                return new PluginRef(name, w);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad weight in \"" + s + "\"");
            }
        }

        @Override
        public String toString() {
            return weight == 0 ? name : name + ":" + weight;
        }
    }

    /** upstream's default profile: default-scheduler with the default plugins. */
    public static ProfileConfig defaultProfile() {
        return parse(Map.of());
    }

    /**
     * Parses a profile from its ConfigAdmin properties: {@code schedulerName}, {@code multiPoint},
     * one key per extension point ({@code score} takes {@code Name:weight}), {@code disabled} (names, "*",
     * or "point/Name"), {@code pluginConfig} (a JSON object name → args) and {@code percentageOfNodesToScore}.
     * Lists are comma-separated strings or String arrays/collections.
     *
     * @throws IllegalArgumentException when a value is malformed
     */
    public static ProfileConfig parse(Map<String, ?> props) {
        String schedulerName = str(props.get("schedulerName"));
        if (schedulerName == null || schedulerName.isBlank()) {
            schedulerName = DEFAULT_SCHEDULER_NAME;
        }
        Set<String> multiPointDisabled = new LinkedHashSet<>();
        Map<ExtensionPoint, Set<String>> disabled = new EnumMap<>(ExtensionPoint.class);
        for (String d : list(props.get("disabled"))) {
            int slash = d.indexOf('/');
            if (slash < 0) {
                multiPointDisabled.add(d);
            } else {
                ExtensionPoint p = ExtensionPoint.ofKey(d.substring(0, slash).trim());
                disabled.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(d.substring(slash + 1).trim());
            }
        }
        List<PluginRef> custom = new ArrayList<>();
        for (String s : list(props.get("multiPoint"))) {
            custom.add(PluginRef.parse(s));
        }
        List<PluginRef> multiPoint = merge(DEFAULT_PLUGINS, custom, multiPointDisabled);
        Map<ExtensionPoint, List<PluginRef>> enabled = new EnumMap<>(ExtensionPoint.class);
        for (ExtensionPoint p : ExtensionPoint.values()) {
            List<PluginRef> refs = new ArrayList<>();
            for (String s : list(props.get(p.key()))) {
                refs.add(PluginRef.parse(s));
            }
            if (!refs.isEmpty()) {
                enabled.put(p, List.copyOf(refs));
            }
        }
        Map<String, JsonNode> pluginConfig = new HashMap<>();
        String pc = str(props.get("pluginConfig"));
        if (pc != null && !pc.isBlank()) {
            JsonNode tree;
            try {
                tree = JSON.readTree(pc);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("pluginConfig is not JSON: " + e.getMessage());
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException("pluginConfig must be a JSON object of plugin name to args");
            }
            for (var e : tree.properties()) {
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException("pluginConfig of \"" + e.getKey() + "\" must be a JSON object");
                }
                pluginConfig.put(e.getKey(), e.getValue());
            }
        }
        Integer percentage = null;
        String pct = str(props.get("percentageOfNodesToScore"));
        if (pct != null && !pct.isBlank()) {
            try {
                percentage = Integer.valueOf(pct.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("percentageOfNodesToScore is not a number: " + pct);
            }
            if (percentage < 0 || percentage > 100) {
                throw new IllegalArgumentException("percentageOfNodesToScore must be in [0, 100], not " + percentage);
            }
        }
        Map<ExtensionPoint, Set<String>> frozen = new EnumMap<>(ExtensionPoint.class);
        disabled.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(v)));
        return new ProfileConfig(schedulerName, multiPoint, Collections.unmodifiableMap(enabled),
                Collections.unmodifiableMap(frozen), Map.copyOf(pluginConfig), percentage);
    }

    /** Upstream's mergePluginSet: defaults (minus disabled, "*" for all), re-configured in place, then the rest. */
    static List<PluginRef> merge(List<PluginRef> defaults, List<PluginRef> custom, Set<String> disabled) {
        Map<String, Integer> customIndex = new HashMap<>();
        for (int i = 0; i < custom.size(); i++) {
            customIndex.put(custom.get(i).name(), i);
        }
        Set<Integer> replaced = new HashSet<>();
        List<PluginRef> out = new ArrayList<>();
        if (!disabled.contains("*")) {
            for (PluginRef d : defaults) {
                if (disabled.contains(d.name())) {
                    continue;
                }
                Integer idx = customIndex.get(d.name());
                if (idx != null) {
                    out.add(custom.get(idx));
                    replaced.add(idx);
                } else {
                    out.add(d);
                }
            }
        }
        for (int i = 0; i < custom.size(); i++) {
            if (!replaced.contains(i)) {
                out.add(custom.get(i));
            }
        }
        return List.copyOf(out);
    }

    /** Every plugin name the profile mentions as enabled (multiPoint and per point), in first-mention order. */
    public Set<String> pluginNames() {
        Set<String> names = new LinkedHashSet<>();
        multiPoint.forEach(r -> names.add(r.name()));
        enabled.values().forEach(l -> l.forEach(r -> names.add(r.name())));
        return names;
    }

    /** The args of {@code plugin}: its pluginConfig entry or an empty object. */
    public JsonNode args(String plugin) {
        JsonNode n = pluginConfig.get(plugin);
        return n == null ? JsonNodeFactory.instance.objectNode() : n;
    }

    private static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof String[] a) {
            return String.join(",", a);
        }
        return o.toString();
    }

    static List<String> list(Object o) {
        if (o == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (o instanceof String[] a) {
            for (String s : a) {
                out.addAll(list(s));
            }
            return out;
        }
        if (o instanceof Iterable<?> it) {
            for (Object x : it) {
                out.addAll(list(x));
            }
            return out;
        }
        for (String s : o.toString().split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
