package dev.okube.scheduler.framework;

import java.util.Map;

import dev.okube.api.scheduler.PluginFactory;

/**
 * The plugin factories installed at one moment, by plugin name: the OSGi form of upstream's
 * registry. Immutable; the scheduler makes a new one whenever a factory service comes, goes or changes.
 */
public record PluginRegistry(Map<String, Entry> factories) {
    public static final PluginRegistry EMPTY = new PluginRegistry(Map.of());

    /** One factory with where it comes from (for the status command). */
    public record Entry(PluginFactory factory, String bundle, String version) {
    }

    public PluginRegistry {
        factories = Map.copyOf(factories);
    }

    public Entry get(String name) {
        return factories.get(name);
    }
}
