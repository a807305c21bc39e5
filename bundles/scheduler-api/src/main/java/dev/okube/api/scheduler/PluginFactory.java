package dev.okube.api.scheduler;

import org.osgi.annotation.versioning.ConsumerType;
import tools.jackson.databind.JsonNode;

/**
 * Creates a plugin for one profile's framework: the OSGi form of upstream's registry entry
 * (name → factory). Register one service per plugin name; the scheduler creates an instance per
 * profile that enables it, and drops the instances when the service goes away.
 */
@ConsumerType
public interface PluginFactory {
    /** The plugin's name; the same as {@link Plugin#name()} of what {@link #create} returns. */
    String name();

    /**
     * A new plugin instance.
     *
     * @param args   the profile's pluginConfig args for this plugin (an empty object when none); bad args throw
     *               {@link IllegalArgumentException} with a message for the user
     * @param handle the profile's framework, for snapshots, waiting pods, and running other plugins
     */
    Plugin create(JsonNode args, FrameworkHandle handle);
}
