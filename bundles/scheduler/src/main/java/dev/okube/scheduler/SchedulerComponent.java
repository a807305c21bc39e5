package dev.okube.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceReference;
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

import dev.okube.api.health.HealthCheck;
import dev.okube.api.scheduler.PluginFactory;
import dev.okube.client.Informers;
import dev.okube.scheduler.framework.PluginRegistry;
import dev.okube.scheduler.framework.ProfileConfig;
import dev.okube.scheduler.status.SchedulerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The kube-scheduler component: hosts the {@link Scheduler} and feeds it the whiteboard of
 * {@link PluginFactory} services and the profiles of {@link ProfileDefinition}. A factory that comes, goes
 * or changes rebuilds the frameworks of the profiles naming it, from the next scheduling cycle on.
 */
@Component(service = {SchedulerStatus.class, HealthCheck.class}, immediate = true, configurationPid = SchedulerComponent.PID)
@Designate(ocd = SchedulerComponent.Config.class)
public final class SchedulerComponent implements SchedulerStatus, HealthCheck {
    public static final String PID = "dev.okube.scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    @ObjectClassDefinition(name = "okube scheduler", description = "kube-scheduler settings (upstream's KubeSchedulerConfiguration)")
    public @interface Config {
        @AttributeDefinition(description = "Workers for parallel Filter and Score (upstream's parallelism)")
        int parallelism() default 16;

        @AttributeDefinition(description = "Backoff of a pod after its first failed attempt, in seconds")
        int podInitialBackoffSeconds() default 1;

        @AttributeDefinition(description = "Longest backoff of a pod, in seconds")
        int podMaxBackoffSeconds() default 10;

        @AttributeDefinition(description = "Percentage of nodes to score; 0 for the adaptive default (50 - nodes/125, at least 5)")
        int percentageOfNodesToScore() default 0;

        @AttributeDefinition(description = "Binding cycles running at once")
        int bindConcurrency() default 32;

        @AttributeDefinition(description = "Seconds an assumed pod whose binding finished may wait to show as bound; 0: never expire")
        int assumedPodTtlSeconds() default 30;
    }

    private final Scheduler scheduler;
    private final Fabric8Cluster cluster;
    private final Map<ServiceReference<PluginFactory>, PluginFactory> factories = new ConcurrentHashMap<>();
    private final Map<ProfileDefinition, Boolean> profiles = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> started;

    @Activate
    public SchedulerComponent(Config config, @Reference KubernetesClient client, @Reference Informers informers) {
        this.cluster = new Fabric8Cluster(client, informers);
        this.scheduler = new Scheduler(cluster, new Scheduler.Settings(config.parallelism(),
                Duration.ofSeconds(config.podInitialBackoffSeconds()), Duration.ofSeconds(config.podMaxBackoffSeconds()),
                config.percentageOfNodesToScore(), config.bindConcurrency(),
                Duration.ofSeconds(config.assumedPodTtlSeconds())), Clock.systemUTC());
        // SCR binds the dynamic references (factories, profiles) right after construction; start once they
        // are in, so the first cycles do not report plugins that are only a moment away as missing.
        this.started = CompletableFuture.runAsync(scheduler::start, CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
        LOG.info("Scheduler activated");
    }

    @Reference(service = PluginFactory.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFactory(ServiceReference<PluginFactory> ref, PluginFactory factory) {
        factories.put(ref, factory);
        refreshRegistry();
    }

    void updatedFactory(ServiceReference<PluginFactory> ref, PluginFactory factory) {
        factories.put(ref, factory);
        refreshRegistry();
    }

    void removeFactory(ServiceReference<PluginFactory> ref, PluginFactory factory) {
        factories.remove(ref);
        refreshRegistry();
    }

    @Reference(service = ProfileDefinition.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProfile(ProfileDefinition profile) {
        profiles.put(profile, Boolean.TRUE);
        refreshProfiles();
    }

    void removeProfile(ProfileDefinition profile) {
        profiles.remove(profile);
        refreshProfiles();
    }

    private synchronized void refreshRegistry() {
        if (scheduler == null) {
            return;
        }
        // By name; where two factories share one, the higher service ranking (then the older service) wins.
        List<Map.Entry<ServiceReference<PluginFactory>, PluginFactory>> entries = new ArrayList<>(factories.entrySet());
        entries.sort(Map.Entry.comparingByKey(Comparator.reverseOrder()));
        Map<String, PluginRegistry.Entry> byName = new java.util.HashMap<>();
        for (var e : entries) {
            String name;
            try {
                name = e.getValue().name();
            } catch (RuntimeException ex) {
                LOG.warn("A plugin factory failed to say its name", ex);
                continue;
            }
            var bundle = e.getKey().getBundle();
            byName.putIfAbsent(name, new PluginRegistry.Entry(e.getValue(),
                    bundle == null ? null : bundle.getSymbolicName(),
                    bundle == null ? null : bundle.getVersion().toString()));
        }
        scheduler.setRegistry(new PluginRegistry(byName));
    }

    private synchronized void refreshProfiles() {
        if (scheduler == null) {
            return;
        }
        List<ProfileConfig> configs = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ProfileDefinition p : profiles.keySet()) {
            if (names.add(p.config().schedulerName())) {
                configs.add(p.config());
            } else {
                LOG.warn("Two scheduler profiles are named {}; one is ignored", p.config().schedulerName());
            }
        }
        configs.sort(Comparator.comparing(ProfileConfig::schedulerName));
        scheduler.setProfiles(configs);
    }

    @Deactivate
    void deactivate() {
        started.cancel(false);
        scheduler.close();
        cluster.close();
        LOG.info("Scheduler deactivated");
    }

    @Override
    public String name() {
        return "scheduler";
    }

    /** Ready once the scheduling loop runs (served by the apiserver as /readyz/scheduler; no port 10259 yet). */
    @Override
    public CompletableFuture<Void> check() {
        if (scheduler.running()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(new IllegalStateException("the scheduling loop is not running"));
    }

    @Override
    public List<ProfileStatus> profiles() {
        return scheduler.profiles();
    }
}
