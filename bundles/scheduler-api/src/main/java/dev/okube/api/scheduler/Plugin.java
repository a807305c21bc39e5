package dev.okube.api.scheduler;

import org.osgi.annotation.versioning.ConsumerType;

/** The root of every scheduling plugin: only a name. A plugin implements the phase interfaces it needs. */
@ConsumerType
public interface Plugin {
    /** The plugin's name, as profiles name it (upstream's names for the default plugins, e.g. "NodeResourcesFit"). */
    String name();
}
