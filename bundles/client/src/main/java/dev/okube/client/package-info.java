/**
 * How okube's components talk to the apiserver: through its REST API with the fabric8 Kubernetes client,
 * like any other client.
 *
 * <p>The client bundle registers two services. The fabric8
 * {@link io.fabric8.kubernetes.client.KubernetesClient}, configured from ConfigAdmin PID {@code dev.okube.client}
 * (by default the admin kubeconfig the apiserver writes), is shared by every bundle of the process;
 * {@code close()} on it does nothing, the client bundle owns it. {@link dev.okube.client.Informers} is the one
 * shared informer factory of the process: one list + watch per resource type, whichever bundles observe it
 * (as kube-controller-manager's shared informers).
 */
@Export
@Version("1.0.0")
package dev.okube.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
