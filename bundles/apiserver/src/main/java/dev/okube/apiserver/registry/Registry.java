package dev.okube.apiserver.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The served resources, looked up by group/version/resource, in discovery order. */
public final class Registry {
    private final Map<String, ResourceDefinition> byPath = new LinkedHashMap<>();

    public Registry(Collection<ResourceDefinition> definitions) {
        for (ResourceDefinition d : definitions) {
            byPath.put(d.group() + "/" + d.version() + "/" + d.plural(), d);
        }
    }

    public Optional<ResourceDefinition> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(group + "/" + version + "/" + plural));
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
