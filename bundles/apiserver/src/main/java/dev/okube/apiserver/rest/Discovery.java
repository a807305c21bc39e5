package dev.okube.apiserver.rest;

import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Discovery documents built from the registry: legacy ({@code APIVersions}, {@code APIGroupList},
 * {@code APIGroup}, {@code APIResourceList}) and aggregated ({@code APIGroupDiscoveryList}, v2 and
 * v2beta1, only when the Accept header asks for it).
 */
final class Discovery {
    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=%s;as=APIGroupDiscoveryList";
    private static final Map<String, List<String>> SUBRESOURCE_VERBS = Map.of(
            "status", List.of("get", "patch", "update"),
            "scale", List.of("get", "patch", "update"),
            "binding", List.of("create"),
            "eviction", List.of("create"),
            "token", List.of("create"),
            "finalize", List.of("update"));

    private final Registry registry;

    Discovery(Registry registry) {
        this.registry = registry;
    }

    /** The aggregated discovery version the Accept header asks for first ("v2", "v2beta1"), or null. */
    static String aggregatedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String type : accept.split(",")) {
            if (type.contains("as=APIGroupDiscoveryList") && type.contains("g=apidiscovery.k8s.io")) {
                if (type.contains("v=v2beta1")) {
                    return "v2beta1";
                } else if (type.contains("v=v2")) {
                    return "v2";
                }
            }
        }
        return null;
    }

    ObjectNode apiVersions(String serverAddress) {
        ObjectNode o = Json.object();
        o.put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return o;
    }

    ObjectNode groupList() {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupList");
        o.put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        for (Map.Entry<String, List<String>> g : groups().entrySet()) {
            if (!g.getKey().isEmpty()) {
                groups.add(group(g.getKey(), g.getValue()));
            }
        }
        return o;
    }

    ObjectNode group(String name) {
        List<String> versions = groups().get(name);
        if (versions == null || name.isEmpty()) {
            throw ApiException.notFoundPath();
        }
        ObjectNode o = group(name, versions);
        o.put("kind", "APIGroup");
        o.put("apiVersion", "v1");
        return o;
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode g = Json.object();
        g.put("name", name);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            ObjectNode gv = vs.addObject();
            gv.put("groupVersion", name + "/" + v);
            gv.put("version", v);
        }
        ObjectNode preferred = g.putObject("preferredVersion");
        preferred.put("groupVersion", name + "/" + versions.get(0));
        preferred.put("version", versions.get(0));
        return g;
    }

    private Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String gv : registry.groupVersions()) {
            int slash = gv.indexOf('/');
            groups.computeIfAbsent(gv.substring(0, slash), k -> new ArrayList<>()).add(gv.substring(slash + 1));
        }
        return groups;
    }

    ObjectNode resourceList(String group, String version) {
        List<ResourceDefinition> defs = registry.inGroupVersion(group, version);
        if (defs.isEmpty()) {
            throw ApiException.notFoundPath();
        }
        ObjectNode o = Json.object();
        o.put("kind", "APIResourceList");
        o.put("apiVersion", "v1");
        o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = o.putArray("resources");
        for (ResourceDefinition d : defs) {
            ObjectNode r = resources.addObject();
            r.put("name", d.plural());
            r.put("singularName", d.singular());
            r.put("namespaced", d.namespaced());
            r.put("kind", d.kind());
            strings(r.putArray("verbs"), d.verbs());
            if (!d.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), d.shortNames());
            }
            if (!d.categories().isEmpty()) {
                strings(r.putArray("categories"), d.categories());
            }
            for (String sub : sorted(d)) {
                ObjectNode s = resources.addObject();
                s.put("name", d.plural() + "/" + sub);
                s.put("singularName", "");
                s.put("namespaced", d.namespaced());
                subresourceKind(d, sub, s);
                strings(s.putArray("verbs"), SUBRESOURCE_VERBS.getOrDefault(sub, List.of("get")));
            }
        }
        return o;
    }

    private static void subresourceKind(ResourceDefinition d, String sub, ObjectNode s) {
        switch (sub) {
            case "scale" -> {
                s.put("group", "autoscaling");
                s.put("version", "v1");
                s.put("kind", "Scale");
            }
            case "binding" -> s.put("kind", "Binding");
            case "token" -> {
                s.put("group", "authentication.k8s.io");
                s.put("version", "v1");
                s.put("kind", "TokenRequest");
            }
            case "eviction" -> {
                s.put("group", "policy");
                s.put("version", "v1");
                s.put("kind", "Eviction");
            }
            default -> s.put("kind", d.kind());
        }
    }

    ObjectNode aggregated(boolean core, String version) {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupDiscoveryList");
        o.put("apiVersion", "apidiscovery.k8s.io/" + version);
        o.putObject("metadata");
        ArrayNode items = o.putArray("items");
        for (Map.Entry<String, List<String>> g : groups().entrySet()) {
            if (g.getKey().isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", g.getKey());
            ArrayNode versions = item.putArray("versions");
            for (String v : g.getValue()) {
                ObjectNode ver = versions.addObject();
                ver.put("version", v);
                ArrayNode resources = ver.putArray("resources");
                for (ResourceDefinition d : registry.inGroupVersion(g.getKey(), v)) {
                    ObjectNode r = resources.addObject();
                    r.put("resource", d.plural());
                    ObjectNode kind = r.putObject("responseKind");
                    kind.put("group", d.group());
                    kind.put("version", d.version());
                    kind.put("kind", d.kind());
                    r.put("scope", d.namespaced() ? "Namespaced" : "Cluster");
                    r.put("singularResource", d.singular());
                    strings(r.putArray("verbs"), d.verbs());
                    if (!d.shortNames().isEmpty()) {
                        strings(r.putArray("shortNames"), d.shortNames());
                    }
                    if (!d.categories().isEmpty()) {
                        strings(r.putArray("categories"), d.categories());
                    }
                    List<String> subs = sorted(d);
                    if (!subs.isEmpty()) {
                        ArrayNode subresources = r.putArray("subresources");
                        for (String sub : subs) {
                            ObjectNode s = subresources.addObject();
                            s.put("subresource", sub);
                            ObjectNode sk = s.putObject("responseKind");
                            ObjectNode tmp = Json.object();
                            subresourceKind(d, sub, tmp);
                            sk.put("group", tmp.has("group") ? tmp.get("group").stringValue() : d.group());
                            sk.put("version", tmp.has("version") ? tmp.get("version").stringValue() : d.version());
                            sk.put("kind", tmp.get("kind").stringValue());
                            strings(s.putArray("verbs"), SUBRESOURCE_VERBS.getOrDefault(sub, List.of("get")));
                        }
                    }
                }
                ver.put("freshness", "Current");
            }
        }
        return o;
    }

    private static List<String> sorted(ResourceDefinition d) {
        return d.subresources().stream().sorted().toList();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
