/**
 * The cluster's objects as in-process plugins of the apiserver (authorizers, admission plugins)
 * see them, like upstream's loopback informers: {@link dev.okube.api.resources.ClusterResources}
 * reads from the apiserver's watch caches and writes through the apiserver's own registry
 * (admission included), so only the apiserver touches storage. Bundles may also contribute a kind
 * of their own with {@link dev.okube.api.resources.ResourceKind}.
 *
 * <p>Helpers plugins share instead of copying: {@link dev.okube.api.resources.LabelSelector} (a
 * metav1.LabelSelector against an object's labels), {@link dev.okube.api.resources.PodReferences}
 * (the secrets, config maps and claims a pod names) and {@link dev.okube.api.resources.Quantity}
 * (resource quantities as upstream parses, compares and prints them).
 */
@Export
@Version("1.0.0")
package dev.okube.api.resources;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
