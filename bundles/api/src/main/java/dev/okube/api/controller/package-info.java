/**
 * Building blocks for controllers that run inside okube's bundles (next to the apiserver, over
 * {@link dev.okube.api.resources.ClusterResources}): {@link dev.okube.api.controller.WorkQueue} is
 * the one rate-limited work queue they share, so each bundle does not carry its own copy.
 */
@Export
@Version("1.0.0")
package dev.okube.api.controller;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
