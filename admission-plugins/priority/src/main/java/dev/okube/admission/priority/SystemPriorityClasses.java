package dev.okube.admission.priority;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the built-in PriorityClasses (system-node-critical, system-cluster-critical) when they do
 * not exist, as upstream's apiserver does in a post-start hook. It runs on a thread of its own (never on
 * the activating thread, since the create passes through the admission chain) and retries, with a
 * growing pause, until both exist or the component stops. Existing classes are left as they are.
 */
@Component(service = {}, immediate = true)
public final class SystemPriorityClasses {
    private static final Logger LOG = LoggerFactory.getLogger(SystemPriorityClasses.class);
    private static final long FIRST_RETRY_MS = 500;
    private static final long LONGEST_RETRY_MS = 30_000;

    private final ClusterResources cluster;
    private final ScheduledExecutorService executor;
    private long nextDelayMs = FIRST_RETRY_MS;

    @Activate
    public SystemPriorityClasses(@Reference ClusterResources cluster) {
        this.cluster = cluster;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okube-system-priority-classes");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::run);
    }

    @Deactivate
    public void deactivate() {
        executor.shutdownNow();
    }

    private void run() {
        if (!ensure()) {
            executor.schedule(this::run, nextDelayMs, TimeUnit.MILLISECONDS);
            nextDelayMs = Math.min(LONGEST_RETRY_MS, nextDelayMs * 2);
        }
    }

    /** Creates the missing classes; true when both exist. */
    boolean ensure() {
        boolean done = true;
        for (SystemPriorityClass pc : SystemPriorityClass.all()) {
            try {
                if (cluster.get(Priority.PRIORITY_CLASSES, "", pc.className()).isEmpty()) {
                    cluster.create(Priority.PRIORITY_CLASSES, pc.object());
                    LOG.info("created PriorityClass {} with value {}", pc.className(), pc.value());
                }
            } catch (ResourceException e) {
                if (e.code() != 409) {
                    LOG.warn("could not create PriorityClass {} (will retry): {} {}", pc.className(), e.code(),
                            e.getMessage());
                    done = false;
                }
            } catch (RuntimeException e) {
                LOG.warn("could not create PriorityClass {} (will retry)", pc.className(), e);
                done = false;
            }
        }
        return done;
    }
}
