/**
 * The storage extension point: a key-value store with etcd's semantics.
 *
 * <p>Only the apiserver consumes {@link dev.okube.api.storage.KeyValueStore}; a backend bundle
 * registers exactly one implementation as an OSGi service. Which backend runs is a matter of which
 * Karaf feature is installed, not of code.
 */
@Export
@Version("1.0.0")
package dev.okube.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
