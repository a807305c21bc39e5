/**
 * The scheduling framework's extension points, with upstream's semantics
 * (k8s.io/kube-scheduler/framework): a plugin implements only the phases it needs.
 *
 * <p>A plugin bundle registers one {@link dev.okube.api.scheduler.PluginFactory} service per plugin
 * name. The scheduler builds each profile's framework from the factories installed when a
 * scheduling cycle starts, so a plugin that is installed, updated or removed changes the next
 * cycle. A plugin instance implements any of the phase interfaces; where a profile enables it
 * at {@code multiPoint} the scheduler calls it at every phase it implements.
 *
 * <p>Expected outcomes are {@link dev.okube.api.scheduler.Status} values; exceptions are bugs and
 * become {@link dev.okube.api.scheduler.Status.Code#ERROR}.
 */
@Export
@Version("1.0.0")
package dev.okube.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
