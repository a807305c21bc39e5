package dev.okube.scheduler.plugins.defaultbinder;

import dev.okube.api.scheduler.BindPlugin;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Binds a pod as upstream's DefaultBinder (client-go's {@code Pods(ns).Bind}): one POST of a v1 Binding
 * to {@code /api/v1/namespaces/{ns}/pods/{name}/binding}, carrying the pod's uid so a pod deleted and
 * re-created under the same name is not bound by mistake.
 *
 * <p>fabric8 8.0.0 has no DSL for the pod's binding subresource (its {@code bindings()} posts to the
 * namespace's {@code bindings} collection instead), so the binder uses the client's {@code raw} request,
 * which shares the client's configuration, authentication and serialization and sends no extra GET.
 */
public final class DefaultBinder implements BindPlugin {
    public static final String NAME = "DefaultBinder";

    private final KubernetesClient client;

    public DefaultBinder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status bind(CycleState state, Pod pod, String nodeName) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Binding binding = binding(pod, nodeName);
        try {
            client.raw(path(namespace, name), "POST", binding);
            return Status.SUCCESS;
        } catch (KubernetesClientException e) {
            return Status.error(e);
        } catch (RuntimeException e) {
            return Status.error(e);
        }
    }

    static Binding binding(Pod pod, String nodeName) {
        Binding binding = new Binding();
        binding.setApiVersion("v1");
        binding.setKind("Binding");
        binding.setMetadata(new ObjectMetaBuilder()
                .withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .build());
        binding.setTarget(new ObjectReferenceBuilder().withKind("Node").withName(nodeName).build());
        return binding;
    }

    static String path(String namespace, String name) {
        return "/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(name) + "/binding";
    }

    private static String encode(String segment) {
        // Namespaces and pod names are DNS labels/subdomains; encoding only guards against surprises.
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
