package dev.okube.client.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the process's fabric8 {@link KubernetesClient} once its kubeconfig can be read, and registers a
 * new one whenever the kubeconfig's content changes (the apiserver rewrites it at each start, with a new
 * address if its port changed). Consumers holding the old one are deactivated and activated again with the new.
 */
@Component(immediate = true, configurationPid = KubernetesClientComponent.PID)
@Designate(ocd = KubernetesClientComponent.Config.class)
// The client is registered by hand, when the kubeconfig exists, so bnd cannot announce it: say so, or the
// feature resolver refuses every bundle whose DS component requires a KubernetesClient.
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"io.fabric8.kubernetes.client.KubernetesClient\"",
        uses = KubernetesClient.class)
public final class KubernetesClientComponent {
    static final String PID = "dev.okube.client";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesClientComponent.class);

    @ObjectClassDefinition(name = "okube client",
            description = "The fabric8 KubernetesClient that okube's components share to talk to the apiserver")
    public @interface Config {
        @AttributeDefinition(description = "Kubeconfig file (its current context is used); empty means "
                + "${karaf.data}/okube/admin.kubeconfig, which the apiserver writes when it starts. The client "
                + "is registered when the file exists and registered again when it changes")
        String kubeconfig() default "";

        @AttributeDefinition(description = "API server URL replacing the kubeconfig's server, e.g. "
                + "https://10.0.0.1:6443; empty keeps the kubeconfig's")
        String master_url() default "";

        @AttributeDefinition(description = "Timeout of one request in milliseconds; watches are not limited by it")
        int request_timeout_ms() default 10_000;

        @AttributeDefinition(description = "Timeout of opening a connection in milliseconds")
        int connection_timeout_ms() default 10_000;
    }

    private final BundleContext context;
    private final Config config;
    private final KubeconfigWatcher watcher;
    private KubernetesClient client;
    private ServiceRegistration<KubernetesClient> registration;
    private boolean deactivated;

    @Activate
    public KubernetesClientComponent(BundleContext context, Config config) throws IOException {
        this.context = context;
        this.config = config;
        this.watcher = new KubeconfigWatcher(kubeconfig(config), this::register);
    }

    @Deactivate
    void deactivate() throws IOException {
        watcher.close();
        synchronized (this) {
            deactivated = true;
            unregister();
        }
    }

    private synchronized void register(String kubeconfig) {
        if (deactivated) {
            return;
        }
        KubernetesClient next;
        try {
            next = build(kubeconfig, config);
        } catch (RuntimeException e) {
            LOG.warn("cannot make a client from {}; waiting for it to change", kubeconfig(config), e);
            return;
        }
        unregister();
        client = next;
        registration = context.registerService(KubernetesClient.class, shared(next), null);
        LOG.info("KubernetesClient for {} registered", next.getMasterUrl());
    }

    private void unregister() {
        if (registration != null) {
            // Consumers are deactivated by this, so no one uses the client any more when it is closed.
            registration.unregister();
            registration = null;
            client.close();
            client = null;
        }
    }

    static KubernetesClient build(String kubeconfig, Config config) {
        io.fabric8.kubernetes.client.Config clientConfig = io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig);
        if (!config.master_url().isBlank()) {
            clientConfig.setMasterUrl(config.master_url());
        }
        clientConfig.setRequestTimeout(config.request_timeout_ms());
        clientConfig.setConnectionTimeout(config.connection_timeout_ms());
        // okube serves watches as streaming HTTP and refuses WebSocket watches; fabric8 would otherwise try
        // a WebSocket first on every watch and informer reconnect.
        clientConfig.setOnlyHttpWatches(true);
        // Nothing here limits concurrency: Config's maxConcurrentRequests(PerHost) are read only by the OkHttp
        // client, and the JDK client pools connections without a per-host limit (one per request in flight
        // over HTTP/1.1, which is what the apiserver speaks).
        Thread thread = Thread.currentThread();
        ClassLoader tccl = thread.getContextClassLoader();
        // fabric8 loads its implementation and discovers extensions through the context class loader first;
        // make that this bundle, whatever the calling thread carries.
        thread.setContextClassLoader(KubernetesClientComponent.class.getClassLoader());
        try {
            // Given explicitly: no ServiceLoader lookup of an HttpClient.Factory.
            return new KubernetesClientBuilder().withConfig(clientConfig)
                    .withHttpClientFactory(new JdkHttpClientFactory()).build();
        } finally {
            thread.setContextClassLoader(tccl);
        }
    }

    /**
     * The client as consumers get it: every call goes to the client, except {@code close()}, which does
     * nothing. The client is shared by the whole process and closed by this component only (fabric8's
     * examples close their client with try-with-resources, which here would break every other user).
     */
    static KubernetesClient shared(KubernetesClient client) {
        return (KubernetesClient) Proxy.newProxyInstance(KubernetesClient.class.getClassLoader(),
                new Class<?>[] {KubernetesClient.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (method.getParameterCount() == 0) {
                                return null;
                            }
                            break;
                        case "equals":
                            if (method.getParameterCount() == 1) {
                                return proxy == args[0];
                            }
                            break;
                        case "hashCode":
                            if (method.getParameterCount() == 0) {
                                return System.identityHashCode(proxy);
                            }
                            break;
                        default:
                            break;
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static Path kubeconfig(Config config) {
        if (!config.kubeconfig().isBlank()) {
            return Paths.get(config.kubeconfig());
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "okube", "admin.kubeconfig");
    }
}
