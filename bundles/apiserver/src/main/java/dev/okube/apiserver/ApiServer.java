package dev.okube.apiserver;

import dev.okube.api.authentication.Authenticator;
import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceKind;
import dev.okube.apiserver.admission.AdmissionPlugins;
import dev.okube.apiserver.config.ConfigLists;
import dev.okube.apiserver.crd.ContributedKinds;
import dev.okube.apiserver.security.AuthenticatorChain;
import dev.okube.apiserver.security.AuthorizerChain;
import dev.okube.apiserver.security.SecurityHandler;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import dev.okube.api.authorization.Authorizer;
import dev.okube.api.health.HealthCheck;
import dev.okube.apiserver.crd.CrdController;
import dev.okube.apiserver.openapi.OpenApi;
import dev.okube.apiserver.openapi.OpenApiHandler;
import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.rest.ApiHandler;
import dev.okube.apiserver.rest.ApiSelectors;
import dev.okube.apiserver.rest.Metrics;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.okube.api.storage.KeyValueStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apiserver's HTTP front: one Jetty server built from core handlers (no servlet layer), and the
 * admin kubeconfig that points at it.
 */
@Component(immediate = true, configurationPid = ApiServer.PID)
@Designate(ocd = ApiServer.Config.class)
// ClusterResources is registered by hand (below), so bnd cannot announce it: say so, or the feature
// resolver refuses every bundle whose DS component requires it (osgi.service requirements).
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"dev.okube.api.resources.ClusterResources\"",
        uses = ClusterResources.class)
public final class ApiServer {
    static final String PID = "dev.okube.apiserver";
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    @ObjectClassDefinition(name = "okube apiserver", description = "The Kubernetes API server of okube")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on; 0.0.0.0 for every interface")
        String bind_address() default "127.0.0.1";

        @AttributeDefinition(description = "HTTPS port of the Kubernetes API")
        int port() default 6443;

        @AttributeDefinition(description = "Plain-HTTP port on the bind address, without TLS; -1 serves none")
        int insecure_port() default -1;

        @AttributeDefinition(description = "PEM serving certificate chain to use instead of the generated "
                + "pki/apiserver.crt; empty generates one. Needs tls.key.file")
        String tls_cert_file() default "";

        @AttributeDefinition(description = "PEM private key of tls.cert.file")
        String tls_key_file() default "";

        @AttributeDefinition(description = "PEM file of further CAs whose client certificates are accepted, "
                + "besides the cluster CA pki/ca.crt")
        String client_ca_file() default "";

        @AttributeDefinition(description = "Host written into the admin kubeconfig; empty means the bind "
                + "address, or 127.0.0.1 when binding every interface")
        String advertise_address() default "";

        @AttributeDefinition(description = "Directory of okube's runtime state; empty means ${karaf.data}/okube")
        String data_dir() default "";

        @AttributeDefinition(description = "Most request-handling threads")
        int max_threads() default 200;

        @AttributeDefinition(description = "Authenticator names in the order they are tried; installed ones not "
                + "named here are tried after these")
        String[] authenticators() default {"x509", "tokenfile", "serviceaccount", "anonymous"};

        @AttributeDefinition(description = "Authorizer names in the order they are asked (system:masters is always "
                + "allowed first); installed ones not named here are asked after these")
        String[] authorizers() default {"Node", "RBAC"};
    }

    private final HealthEndpoints health = new HealthEndpoints();
    private final AuthenticatorChain authenticators = new AuthenticatorChain();
    private final AuthorizerChain authorizers = new AuthorizerChain();
    private final List<ResourceKind> pendingKinds = new ArrayList<>();
    private ContributedKinds contributedKinds;
    private ServiceRegistration<ClusterResources> clusterResources;
    private volatile ServiceAccountTokenIssuer tokenIssuer;
    private final Metrics metrics = new Metrics();
    private final ScheduledExecutorService timers;
    private final GenericRegistry registry;
    private final Server server;
    private final CrdController crdController;

    /**
     * Only the apiserver touches storage. The store is a static, mandatory reference: whichever
     * storage feature is installed provides it, and swapping the feature restarts the apiserver
     * on the new backend.
     */
    @Activate
    public ApiServer(Config config, @Reference KeyValueStore store, @Reference AdmissionPlugins admission,
            BundleContext context) throws Exception {
        authenticators.order(ConfigLists.of(config.authenticators()));
        authorizers.order(ConfigLists.of(config.authorizers()));
        Registry resources = new Registry(BuiltinResources.definitions());
        registry = new GenericRegistry(store, admission, Clock.systemUTC());
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okube-apiserver-timers");
            t.setDaemon(true);
            return t;
        });
        // Upstream names its storage check "etcd" whichever backend serves the state; the
        // apiserver owns it because it owns the store reference.
        health.add(new StorageHealthCheck(store));
        SystemNamespaces.ensure(resources, registry);
        QueuedThreadPool threads = new QueuedThreadPool(config.max_threads(), 4);
        threads.setName("okube-apiserver");
        server = new Server(threads);
        Connectors connectors = Connectors.create(server, config, dataDir(config));

        OpenApi openApi = OpenApi.load();
        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(new ServletPathSpec("/version"), new VersionHandler());
        routes.addMapping(new ServletPathSpec("/metrics"), new MetricsHandler(metrics));
        routes.addMapping(new ServletPathSpec("/openapi/*"), new OpenApiHandler(openApi));
        ApiHandler api = new ApiHandler(resources, registry, new ApiSelectors(), metrics, timers, Clock.systemUTC(),
                authenticators, authorizers, openApi, () -> tokenIssuer);
        routes.addMapping(new ServletPathSpec("/api/*"), api);
        routes.addMapping(new ServletPathSpec("/apis/*"), api);
        for (HealthEndpoints.Endpoint endpoint : HealthEndpoints.Endpoint.values()) {
            routes.addMapping(new ServletPathSpec("/" + endpoint.path() + "/*"), new HealthHandler(health, endpoint));
        }
        server.setHandler(new ContextHandler(new SecurityHandler(new Handler.Sequence(routes, new NotFoundHandler()),
                authenticators, authorizers), "/"));
        // Stored CRDs arrive as ADDED events once watching starts, so a restart serves their resources again.
        crdController = new CrdController(resources, registry, openApi, Clock.systemUTC());
        crdController.start();
        synchronized (pendingKinds) {
            contributedKinds = new ContributedKinds(resources, registry, openApi);
            pendingKinds.forEach(contributedKinds::add);
            pendingKinds.clear();
        }
        server.start();
        if (context != null) {
            // Plugins of this Karaf (authorizers, admission plugins) read and write through it.
            clusterResources = context.registerService(ClusterResources.class,
                    new LocalClusterResources(resources, registry), null);
        }

        String url = "https://" + advertisedHost(config) + ":" + connectors.securePort();
        Path kubeconfig = dataDir(config).resolve("admin.kubeconfig");
        try {
            Kubeconfig.writeAdmin(kubeconfig, url, connectors.pki());
        } catch (IOException e) {
            server.stop();
            throw new UncheckedIOException("cannot write " + kubeconfig, e);
        }
        LOG.info("okube apiserver serving on {} with the {} store; admin kubeconfig at {}", url, store.name(), kubeconfig);
    }

    @Deactivate
    void stop() throws Exception {
        // Fail /readyz first, so load balancers stop sending before the port closes (as upstream).
        health.shuttingDown();
        if (clusterResources != null) {
            clusterResources.unregister();
        }
        server.stop();
        crdController.close();
        registry.close();
        timers.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHealthCheck(HealthCheck check) {
        health.add(check);
    }

    void removeHealthCheck(HealthCheck check) {
        health.remove(check);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthorizer(Authorizer authorizer) {
        authorizers.add(authorizer);
    }

    void removeAuthorizer(Authorizer authorizer) {
        authorizers.remove(authorizer);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthenticator(Authenticator authenticator) {
        authenticators.add(authenticator);
    }

    void removeAuthenticator(Authenticator authenticator) {
        authenticators.remove(authenticator);
    }

    /** Signs tokens for serviceaccounts/token while a service-account bundle provides it (503 without). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTokenIssuer(ServiceAccountTokenIssuer issuer) {
        tokenIssuer = issuer;
    }

    void unsetTokenIssuer(ServiceAccountTokenIssuer issuer) {
        if (tokenIssuer == issuer) {
            tokenIssuer = null;
        }
    }

    /** Kinds contributed by bundles are served while their service is registered. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addResourceKind(ResourceKind kind) {
        synchronized (pendingKinds) {
            if (contributedKinds == null) {
                pendingKinds.add(kind);
                return;
            }
        }
        contributedKinds.add(kind);
    }

    void removeResourceKind(ResourceKind kind) {
        synchronized (pendingKinds) {
            if (contributedKinds == null) {
                pendingKinds.remove(kind);
                return;
            }
        }
        contributedKinds.remove(kind);
    }

    static Path dataDir(Config config) {
        if (!config.data_dir().isBlank()) {
            return Paths.get(config.data_dir());
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "okube");
    }

    private static String advertisedHost(Config config) {
        if (!config.advertise_address().isBlank()) {
            return config.advertise_address();
        }
        String bind = config.bind_address();
        return bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }
}
