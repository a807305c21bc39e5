package dev.okube.apiserver.admission;

import dev.okube.api.admission.AdmissionChainStatus;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.apiserver.config.ConfigLists;
import dev.okube.apiserver.registry.AdmissionChain;
import dev.okube.apiserver.rest.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 * The admission chain over the plugin services installed right now: mutating plugins, then
 * validating ones, each phase in the configured order (names the configuration does not list run
 * after the listed ones, in arrival order; disabled names never run). Plugins come and go with
 * their bundles: each request runs over the snapshot taken when its phase starts, so a plugin
 * installed, updated or removed takes effect for the next request and no request fails because of
 * the swap. A plugin that throws or runs over its time budget fails the request with a Status
 * naming it, or is skipped when configured fail-open; it never takes the API down. Configuration
 * changes apply at once, without restarting the apiserver.
 */
@Component(service = {AdmissionPlugins.class, AdmissionChainStatus.class}, configurationPid = AdmissionPlugins.PID)
@Designate(ocd = AdmissionPlugins.Config.class)
public final class AdmissionPlugins implements AdmissionChain, AdmissionChainStatus {
    static final String PID = "dev.okube.apiserver.admission";
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionPlugins.class);

    @ObjectClassDefinition(name = "okube admission chain", description = "Order, enabled set and time budgets of the "
            + "admission plugins")
    public @interface Config {
        @AttributeDefinition(description = "Plugin names in the order they run (upstream's order); installed plugins "
                + "not named here run after these")
        String[] order() default {"NamespaceLifecycle", "LimitRanger", "ServiceAccount", "NodeRestriction",
            "TaintNodesByCondition", "PodPreset", "PodSecurity", "Priority", "DefaultTolerationSeconds",
            "DefaultStorageClass", "StorageObjectInUseProtection", "DefaultIngressClass", "RuntimeClass",
            "MutatingAdmissionWebhook", "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota"};

        @AttributeDefinition(description = "Plugin names that never run even when installed")
        String[] disabled() default {};

        @AttributeDefinition(description = "Time budget of one plugin call, milliseconds")
        int timeout_ms() default 2000;

        @AttributeDefinition(description = "Budgets of particular plugins, as Name=milliseconds")
        String[] timeouts() default {"MutatingAdmissionWebhook=31000", "ValidatingAdmissionWebhook=31000"};

        @AttributeDefinition(description = "Plugin names whose failures (errors, time budget) are skipped instead "
                + "of failing the request")
        String[] fail_open() default {};
    }

    private enum Phase { MUTATING, VALIDATING }

    /** One installed plugin in one phase, with its statistics. */
    private record Entry(Object plugin, String name, Phase phase, String bundle, String version, Stats stats) {
    }

    private final Map<Object, Entry> installed = new HashMap<>();
    private final List<Object> arrival = new ArrayList<>();
    private final ScheduledThreadPoolExecutor watchdogs;
    private volatile Settings settings;
    private volatile List<Entry> mutating = List.of();
    private volatile List<Entry> validating = List.of();

    /** Configuration, parsed once per change. */
    private record Settings(List<String> order, Set<String> disabled, long budgetNanos, Map<String, Long> budgets,
            Set<String> failOpen) {
        static Settings of(Config config) {
            Map<String, Long> budgets = new HashMap<>();
            for (String pair : ConfigLists.of(config.timeouts())) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    try {
                        budgets.put(pair.substring(0, eq).trim(),
                                TimeUnit.MILLISECONDS.toNanos(Long.parseLong(pair.substring(eq + 1).trim())));
                    } catch (NumberFormatException e) {
                        LOG.warn("ignored admission time budget \"{}\": not Name=milliseconds", pair);
                    }
                }
            }
            return new Settings(ConfigLists.of(config.order()), Set.copyOf(ConfigLists.of(config.disabled())),
                    TimeUnit.MILLISECONDS.toNanos(Math.max(1, config.timeout_ms())), Map.copyOf(budgets),
                    Set.copyOf(ConfigLists.of(config.fail_open())));
        }

        long budget(String name) {
            return budgets.getOrDefault(name, budgetNanos);
        }
    }

    @Activate
    public AdmissionPlugins(Config config) {
        settings = Settings.of(config);
        watchdogs = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "okube-admission-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdogs.setRemoveOnCancelPolicy(true);
    }

    @Modified
    void modified(Config config) {
        settings = Settings.of(config);
        rebuild();
        LOG.info("admission chain now: mutating {}, validating {}", names(mutating), names(validating));
    }

    @Deactivate
    void deactivate() {
        watchdogs.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMutatingAdmission(MutatingAdmission plugin, ServiceReference<MutatingAdmission> ref) {
        install(plugin, plugin.name(), Phase.MUTATING, ref);
    }

    void removeMutatingAdmission(MutatingAdmission plugin) {
        uninstall(plugin);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addValidatingAdmission(ValidatingAdmission plugin, ServiceReference<ValidatingAdmission> ref) {
        install(plugin, plugin.name(), Phase.VALIDATING, ref);
    }

    void removeValidatingAdmission(ValidatingAdmission plugin) {
        uninstall(plugin);
    }

    /** Installs a plugin outside OSGi (tests). */
    public void add(MutatingAdmission plugin) {
        install(plugin, plugin.name(), Phase.MUTATING, null);
    }

    public void add(ValidatingAdmission plugin) {
        install(plugin, plugin.name(), Phase.VALIDATING, null);
    }

    public void remove(Object plugin) {
        uninstall(plugin);
    }

    private synchronized void install(Object plugin, String name, Phase phase, ServiceReference<?> ref) {
        String bundle = ref == null || ref.getBundle() == null ? "" : ref.getBundle().getSymbolicName();
        String version = ref == null || ref.getBundle() == null ? "" : ref.getBundle().getVersion().toString();
        // A service that is both mutating and validating is two entries; key them apart.
        Object key = phase == Phase.MUTATING ? plugin : new ValidatingKey(plugin);
        installed.put(key, new Entry(plugin, name, phase, bundle, version, new Stats()));
        arrival.remove(key);
        arrival.add(key);
        rebuild();
        LOG.info("admission plugin {} ({}) installed from {} {}", name, phase.name().toLowerCase(), bundle, version);
    }

    private synchronized void uninstall(Object plugin) {
        for (Object key : List.of(plugin, new ValidatingKey(plugin))) {
            Entry e = installed.remove(key);
            arrival.remove(key);
            if (e != null) {
                LOG.info("admission plugin {} ({}) removed", e.name(), e.phase().name().toLowerCase());
            }
        }
        rebuild();
    }

    /** Identity of the validating half of a plugin object. */
    private record ValidatingKey(Object plugin) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ValidatingKey k && k.plugin == plugin;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(plugin);
        }
    }

    private synchronized void rebuild() {
        Settings s = settings;
        List<Entry> m = new ArrayList<>();
        List<Entry> v = new ArrayList<>();
        List<Entry> ordered = new ArrayList<>();
        for (String name : s.order()) {
            for (Object key : arrival) {
                Entry e = installed.get(key);
                if (e.name().equals(name) && !ordered.contains(e)) {
                    ordered.add(e);
                }
            }
        }
        for (Object key : arrival) {
            Entry e = installed.get(key);
            if (!ordered.contains(e)) {
                ordered.add(e);
            }
        }
        for (Entry e : ordered) {
            if (!s.disabled().contains(e.name())) {
                (e.phase() == Phase.MUTATING ? m : v).add(e);
            }
        }
        mutating = List.copyOf(m);
        validating = List.copyOf(v);
    }

    private static List<String> names(List<Entry> entries) {
        return entries.stream().map(Entry::name).toList();
    }

    @Override
    public void mutate(AdmissionRequest request, Consumer<String> warnings) {
        for (Entry e : mutating) {
            run(e, request, warnings);
        }
    }

    @Override
    public void validate(AdmissionRequest request, Consumer<String> warnings) {
        for (Entry e : validating) {
            run(e, request, warnings);
        }
    }

    private void run(Entry e, AdmissionRequest request, Consumer<String> warnings) {
        Settings s = settings;
        long budget = s.budget(e.name());
        Thread caller = Thread.currentThread();
        // A plugin blocked past its budget is interrupted; one that ignores interrupts still fails
        // the request once it returns.
        long start = System.nanoTime();
        ScheduledFuture<?> watchdog = watchdogs.schedule(caller::interrupt, budget, TimeUnit.NANOSECONDS);
        boolean interrupted;
        AdmissionResponse response = null;
        Throwable failure = null;
        try {
            response = e.phase() == Phase.MUTATING ? ((MutatingAdmission) e.plugin()).admit(request)
                    : ((ValidatingAdmission) e.plugin()).validate(request);
        } catch (RuntimeException | LinkageError t) {
            // LinkageError: the plugin's bundle was refreshed while it ran (classes no longer loadable).
            failure = t;
        } finally {
            interrupted = !watchdog.cancel(false);
            Thread.interrupted();
        }
        long elapsed = System.nanoTime() - start;
        e.stats().record(elapsed);
        boolean overBudget = interrupted || elapsed > budget;
        if (failure != null || overBudget) {
            if (!isInstalled(e)) {
                // Its bundle went away during the call: the request goes on as if it had started a moment later.
                return;
            }
            e.stats().error();
            String why = overBudget ? "exceeded its time budget of " + TimeUnit.NANOSECONDS.toMillis(budget) + " ms"
                    : "failed: " + failure;
            if (s.failOpen().contains(e.name())) {
                LOG.warn("admission plugin {} {}; skipped (fail-open)", e.name(), why);
                return;
            }
            LOG.warn("admission plugin {} {}", e.name(), why, failure);
            throw ApiException.internal("admission plugin \"" + e.name() + "\" " + why);
        }
        if (response == null) {
            return;
        }
        response.warnings().forEach(warnings);
        if (!response.allowed()) {
            e.stats().deny();
            throw new ApiException(response.code(), response.reason(), response.message());
        }
    }

    private boolean isInstalled(Entry e) {
        return (e.phase() == Phase.MUTATING ? mutating : validating).contains(e);
    }

    @Override
    public List<Plugin> plugins() {
        List<Plugin> plugins = new ArrayList<>();
        for (List<Entry> phase : List.of(mutating, validating)) {
            for (Entry e : phase) {
                Stats st = e.stats();
                plugins.add(new Plugin(e.name(), e.phase().name().toLowerCase(), e.bundle(), e.version(), st.calls(),
                        st.denials(), st.errors(), st.meanMicros(), st.p99Micros()));
            }
        }
        return plugins;
    }

    @Override
    public List<String> missing() {
        Settings s = settings;
        List<String> missing = new ArrayList<>();
        synchronized (this) {
            for (String name : s.order()) {
                if (!s.disabled().contains(name) && installed.values().stream().noneMatch(e -> e.name().equals(name))) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }
}
