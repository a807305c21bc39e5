package dev.okube.admission.serviceaccount;

import dev.okube.api.controller.WorkQueue;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's root-ca-cert-publisher: every active namespace has a ConfigMap {@code kube-root-ca.crt}
 * whose {@code ca.crt} is the cluster CA, so the projected token volume of pods can carry it.
 * Recreated when deleted, put back when changed. The CA is read from the PKI directory the TLS
 * setup writes; while the file does not exist nothing is published, and the file is checked again
 * now and then so a CA written (or rotated) later is published to every namespace.
 */
@Component(name = RootCaPublisher.PID, configurationPid = RootCaPublisher.PID, service = {})
@Designate(ocd = RootCaPublisher.Config.class)
public final class RootCaPublisher {
    static final String PID = "dev.okube.controller.rootcacertpublisher";
    static final String CONFIG_MAP = "kube-root-ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";
    static final ResourceType CONFIG_MAPS = ResourceType.core("configmaps");
    private static final Logger LOG = LoggerFactory.getLogger(RootCaPublisher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ObjectClassDefinition(name = "okube root CA publisher",
            description = "Publishes the cluster CA as ConfigMap kube-root-ca.crt in every namespace.")
    public @interface Config {
        @AttributeDefinition(description = "The cluster CA certificate (PEM). ${karaf.data} stands for the "
                + "karaf.data system property.")
        String caFile() default "${karaf.data}/okube/pki/ca.crt";

        @AttributeDefinition(description = "How often (s) the CA file is checked for a change.")
        long recheckSeconds() default 10;
    }

    private final ClusterResources resources;
    private final Path caFile;
    private final WorkQueue queue;
    private final ScheduledExecutorService recheck;
    private final AutoCloseable namespaceWatch;
    private final AutoCloseable configMapWatch;
    private volatile String ca;

    @Activate
    public RootCaPublisher(@Reference ClusterResources resources, Config config) {
        this(resources, Path.of(config.caFile().replace("${karaf.data}", System.getProperty("karaf.data", "data"))),
                config.recheckSeconds());
    }

    RootCaPublisher(ClusterResources resources, Path caFile, long recheckSeconds) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
        this.caFile = Objects.requireNonNull(caFile, "caFile should not be null");
        this.ca = readCa();
        this.queue = new WorkQueue("root-ca-cert-publisher", this::sync);
        this.namespaceWatch = resources.watch(ServiceAccountsController.NAMESPACES, this::namespaceChanged);
        this.configMapWatch = resources.watch(CONFIG_MAPS, this::configMapChanged);
        this.recheck = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okube-root-ca-recheck");
            t.setDaemon(true);
            return t;
        });
        if (recheckSeconds > 0) {
            recheck.scheduleWithFixedDelay(this::recheckCa, recheckSeconds, recheckSeconds, TimeUnit.SECONDS);
        }
        if (ca == null) {
            LOG.info("no cluster CA at {} yet: kube-root-ca.crt is published once it appears", caFile);
        }
    }

    private void namespaceChanged(ResourceEvent event) {
        if (event.type() != ResourceEvent.Type.DELETED && Namespaces.active(event.object())) {
            queue.add(Namespaces.name(event.object()));
        }
    }

    private void configMapChanged(ResourceEvent event) {
        if (event.type() != ResourceEvent.Type.ADDED
                && CONFIG_MAP.equals(event.object().path("metadata").path("name").asString(""))) {
            queue.add(event.object().path("metadata").path("namespace").asString(""));
        }
    }

    /** Reads the CA file again; when it changed, every namespace is synced anew. */
    void recheckCa() {
        String current = readCa();
        if (current != null && !current.equals(ca)) {
            ca = current;
            for (ObjectNode ns : resources.list(ServiceAccountsController.NAMESPACES, "")) {
                if (Namespaces.active(ns)) {
                    queue.add(Namespaces.name(ns));
                }
            }
        }
    }

    private String readCa() {
        try {
            return Files.readString(caFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("cannot read the cluster CA {}: {}", caFile, e.toString());
            return null;
        }
    }

    /** Makes one namespace's kube-root-ca.crt match the CA; throws to be retried. */
    void sync(String namespace) {
        String bundle = ca;
        if (bundle == null) {
            return;
        }
        Optional<ObjectNode> ns = resources.get(ServiceAccountsController.NAMESPACES, "", namespace);
        if (ns.isEmpty() || !Namespaces.active(ns.get())) {
            return;
        }
        Optional<ObjectNode> existing = resources.get(CONFIG_MAPS, namespace, CONFIG_MAP);
        if (existing.isEmpty()) {
            ObjectNode cm = JSON.createObjectNode();
            cm.put("apiVersion", "v1");
            cm.put("kind", "ConfigMap");
            ObjectNode meta = cm.putObject("metadata");
            meta.put("name", CONFIG_MAP).put("namespace", namespace);
            meta.putObject("annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            cm.putObject("data").put("ca.crt", bundle);
            try {
                resources.create(CONFIG_MAPS, cm);
            } catch (ResourceException e) {
                // The namespace is gone or terminating: do not retry. A conflict means the cache lagged: retry.
                if (e.code() != 404 && e.code() != 403) {
                    throw e;
                }
            }
            return;
        }
        ObjectNode cm = existing.get();
        JsonNode data = cm.path("data");
        boolean dataMatches = data.isObject() && data.size() == 1 && bundle.equals(data.path("ca.crt").asString(null));
        boolean described = !cm.path("metadata").path("annotations").path(DESCRIPTION_ANNOTATION).asString("").isEmpty();
        if (dataMatches && described) {
            return;
        }
        ObjectNode copy = cm.deepCopy();
        copy.putObject("data").put("ca.crt", bundle);
        copy.withObjectProperty("metadata").withObjectProperty("annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        try {
            resources.update(CONFIG_MAPS, copy);
        } catch (ResourceException e) {
            if (e.code() != 404) {
                throw e; // a conflict is retried against the newer version
            }
        }
    }

    boolean idle() {
        return queue.idle();
    }

    @Deactivate
    void stop() {
        recheck.shutdownNow();
        ServiceAccountsController.close(namespaceWatch);
        ServiceAccountsController.close(configMapWatch);
        queue.close();
    }
}
