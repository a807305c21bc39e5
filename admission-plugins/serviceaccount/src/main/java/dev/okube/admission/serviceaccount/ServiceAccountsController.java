package dev.okube.admission.serviceaccount;

import dev.okube.api.controller.WorkQueue;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's serviceaccounts controller: every active namespace has a {@code default}
 * ServiceAccount, created when the namespace appears and again when someone deletes it. Watches
 * namespaces and service accounts; handlers only enqueue namespace names; one worker syncs.
 */
@Component(name = ServiceAccountsController.PID, configurationPid = ServiceAccountsController.PID, service = {})
@Designate(ocd = ServiceAccountsController.Config.class)
public final class ServiceAccountsController {
    static final String PID = "dev.okube.controller.serviceaccounts";
    static final ResourceType NAMESPACES = ResourceType.core("namespaces");
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountsController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ObjectClassDefinition(name = "okube serviceaccounts controller",
            description = "Creates the service accounts every namespace has.")
    public @interface Config {
        @AttributeDefinition(description = "Service accounts every active namespace gets.")
        String[] serviceAccounts() default {"default"};
    }

    private final ClusterResources resources;
    private final List<String> names;
    private final WorkQueue queue;
    private final AutoCloseable namespaceWatch;
    private final AutoCloseable serviceAccountWatch;

    @Activate
    public ServiceAccountsController(@Reference ClusterResources resources, Config config) {
        this(resources, list(config.serviceAccounts()));
    }

    ServiceAccountsController(ClusterResources resources, List<String> names) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
        this.names = List.copyOf(names);
        this.queue = new WorkQueue("serviceaccounts-controller", this::sync);
        this.namespaceWatch = resources.watch(NAMESPACES, this::namespaceChanged);
        this.serviceAccountWatch = resources.watch(ServiceAccountAdmission.SERVICE_ACCOUNTS, this::accountChanged);
    }

    /** A list setting: from a .cfg file it arrives as one comma-separated string, typed it is an array. */
    static List<String> list(String[] values) {
        List<String> list = new java.util.ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    list.add(item.trim());
                }
            }
        }
        return list;
    }

    private void namespaceChanged(ResourceEvent event) {
        if (event.type() == ResourceEvent.Type.DELETED || !Namespaces.active(event.object())) {
            return;
        }
        queue.add(Namespaces.name(event.object()));
    }

    private void accountChanged(ResourceEvent event) {
        if (event.type() == ResourceEvent.Type.DELETED
                && names.contains(event.object().path("metadata").path("name").asString(""))) {
            queue.add(event.object().path("metadata").path("namespace").asString(""));
        }
    }

    /** Creates the missing service accounts of one namespace; throws to be retried. */
    void sync(String namespace) {
        Optional<ObjectNode> ns = resources.get(NAMESPACES, "", namespace);
        if (ns.isEmpty() || !Namespaces.active(ns.get())) {
            return;
        }
        for (String name : names) {
            if (resources.get(ServiceAccountAdmission.SERVICE_ACCOUNTS, namespace, name).isPresent()) {
                continue;
            }
            ObjectNode account = JSON.createObjectNode();
            account.put("apiVersion", "v1");
            account.put("kind", "ServiceAccount");
            account.putObject("metadata").put("name", name).put("namespace", namespace);
            try {
                resources.create(ServiceAccountAdmission.SERVICE_ACCOUNTS, account);
                LOG.debug("created service account {}/{}", namespace, name);
            } catch (ResourceException e) {
                // Already there (the cache lagged), or the namespace went away or is terminating: nothing to do.
                if (e.code() != 409 && e.code() != 404 && e.code() != 403) {
                    throw e;
                }
            }
        }
    }

    boolean idle() {
        return queue.idle();
    }

    @Deactivate
    void stop() {
        close(namespaceWatch);
        close(serviceAccountWatch);
        queue.close();
    }

    static void close(AutoCloseable watch) {
        try {
            watch.close();
        } catch (Exception e) {
            LOG.debug("closing a watch failed", e);
        }
    }
}
