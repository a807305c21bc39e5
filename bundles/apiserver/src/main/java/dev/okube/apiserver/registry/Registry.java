package dev.okube.apiserver.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The served resources, looked up by group/version/resource, in discovery order. Definitions come
 * and go at run time (custom resources), so every read sees one consistent snapshot: writers replace
 * the whole map and readers never lock.
 */
public final class Registry {
    private volatile Map<String, ResourceDefinition> byPath;

    public Registry(Collection<ResourceDefinition> definitions) {
        Map<String, ResourceDefinition> m = new LinkedHashMap<>();
        for (ResourceDefinition d : definitions) {
            m.put(path(d), d);
        }
        byPath = m;
    }

    private static String path(ResourceDefinition d) {
        return d.group() + "/" + d.version() + "/" + d.plural();
    }

    /** Serves a definition from now on, replacing any of the same group/version/resource. */
    public synchronized void add(ResourceDefinition definition) {
        Map<String, ResourceDefinition> m = new LinkedHashMap<>(byPath);
        m.put(path(definition), definition);
        byPath = m;
    }

    /** Stops serving a definition; returns whether it was served. */
    public synchronized boolean remove(ResourceDefinition definition) {
        Map<String, ResourceDefinition> m = new LinkedHashMap<>(byPath);
        boolean removed = m.remove(path(definition), definition);
        byPath = m;
        return removed;
    }

    public Optional<ResourceDefinition> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(group + "/" + version + "/" + plural));
    }

    /** A served resource by group and plural, whatever its version (the first registered). */
    public Optional<ResourceDefinition> findResource(String group, String plural) {
        return byPath.values().stream().filter(d -> d.group().equals(group) && d.plural().equals(plural)).findFirst();
    }

    public Optional<ResourceDefinition> findKind(String group, String kind) {
        return byPath.values().stream().filter(d -> d.group().equals(group) && d.kind().equals(kind)).findFirst();
    }

    public List<ResourceDefinition> all() {
        return List.copyOf(byPath.values());
    }

    /** The served group versions, core first, each once, in registration order. */
    public List<String> groupVersions() {
        List<String> gvs = new ArrayList<>();
        for (ResourceDefinition d : byPath.values()) {
            String gv = d.group() + "/" + d.version();
            if (!gvs.contains(gv)) {
                gvs.add(gv);
            }
        }
        return gvs;
    }

    public List<ResourceDefinition> inGroupVersion(String group, String version) {
        return byPath.values().stream().filter(d -> d.group().equals(group) && d.version().equals(version)).toList();
    }
}
