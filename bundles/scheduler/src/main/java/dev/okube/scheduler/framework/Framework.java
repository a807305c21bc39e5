package dev.okube.scheduler.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import dev.okube.api.scheduler.BindPlugin;
import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.PermitPlugin;
import dev.okube.api.scheduler.PermitResult;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PostBindPlugin;
import dev.okube.api.scheduler.PostFilterPlugin;
import dev.okube.api.scheduler.PostFilterResult;
import dev.okube.api.scheduler.PreBindPlugin;
import dev.okube.api.scheduler.PreEnqueuePlugin;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueSortPlugin;
import dev.okube.api.scheduler.ReservePlugin;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import dev.okube.scheduler.framework.ProfileConfig.PluginRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * One profile's framework, as upstream's frameworkImpl (framework/runtime/framework.go): the plugin
 * instances created from the installed factories, in order at each extension point, and the code that runs
 * each phase with upstream's semantics (skip sets, error wrapping, weights, normalization, permit waits).
 * Immutable once built: when factories change the scheduler builds a new one and in-flight cycles finish
 * with this one.
 */
public final class Framework implements FrameworkHandle {
    /** A plugin at one extension point, with its factory's origin. */
    public record Slot(String name, int weight, String bundle, String version) {
    }

    /** An event registration of one plugin (hint null: always queue). */
    public record Registration(String plugin, ClusterEvent event, EnqueueExtensions.HintFunction hint) {
    }

    private final ProfileConfig config;
    private final FrameworkContext context;
    private final Map<String, Plugin> plugins = new LinkedHashMap<>();
    private final List<String> missing = new ArrayList<>();
    private final Map<ExtensionPoint, List<Slot>> slots = new EnumMap<>(ExtensionPoint.class);
    private String configError;

    private final PreEnqueuePlugin[] preEnqueue;
    private final QueueSortPlugin queueSort;
    private final PreFilterPlugin[] preFilter;
    private final FilterPlugin[] filter;
    private final PostFilterPlugin[] postFilter;
    private final PreScorePlugin[] preScore;
    private final ScorePlugin[] score;
    private final int[] scoreWeights;
    private final ReservePlugin[] reserve;
    private final PermitPlugin[] permit;
    private final PreBindPlugin[] preBind;
    private final BindPlugin[] bind;
    private final PostBindPlugin[] postBind;
    private final List<Registration> registrations = new ArrayList<>();

    /**
     * Builds the framework of {@code config} from the factories of {@code registry}. Missing plugins and
     * plugins whose factory throws are recorded in {@link #missing()}; such a framework schedules nothing.
     */
    public Framework(ProfileConfig config, PluginRegistry registry, FrameworkContext context) {
        this.config = config;
        this.context = context;
        for (String name : config.pluginNames()) {
            PluginRegistry.Entry e = registry.get(name);
            if (e == null) {
                missing.add("plugin \"" + name + "\" of profile \"" + config.schedulerName() + "\" is not installed");
                continue;
            }
            try {
                Plugin p = e.factory().create(config.args(name), this);
                if (p == null) {
                    throw new IllegalStateException("its factory returned no plugin");
                }
                plugins.put(name, p);
            } catch (RuntimeException ex) {
                missing.add("plugin \"" + name + "\" of profile \"" + config.schedulerName() + "\" could not be created: "
                        + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            }
        }
        Map<ExtensionPoint, List<PluginRef>> expanded = new EnumMap<>(ExtensionPoint.class);
        for (ExtensionPoint p : ExtensionPoint.values()) {
            try {
                expanded.put(p, expand(p));
            } catch (IllegalArgumentException ex) {
                configError = ex.getMessage();
                expanded.put(p, List.of());
            }
        }
        for (ExtensionPoint p : ExtensionPoint.values()) {
            List<Slot> s = new ArrayList<>();
            for (PluginRef r : expanded.get(p)) {
                PluginRegistry.Entry e = registry.get(r.name());
                int weight = p == ExtensionPoint.SCORE ? (r.weight() == 0 ? 1 : r.weight()) : 0;
                s.add(new Slot(r.name(), weight, e == null ? null : e.bundle(), e == null ? null : e.version()));
            }
            slots.put(p, List.copyOf(s));
        }
        preEnqueue = instances(ExtensionPoint.PRE_ENQUEUE, PreEnqueuePlugin.class);
        QueueSortPlugin[] qs = instances(ExtensionPoint.QUEUE_SORT, QueueSortPlugin.class);
        queueSort = qs.length == 1 ? qs[0] : null;
        preFilter = instances(ExtensionPoint.PRE_FILTER, PreFilterPlugin.class);
        filter = instances(ExtensionPoint.FILTER, FilterPlugin.class);
        postFilter = instances(ExtensionPoint.POST_FILTER, PostFilterPlugin.class);
        preScore = instances(ExtensionPoint.PRE_SCORE, PreScorePlugin.class);
        score = instances(ExtensionPoint.SCORE, ScorePlugin.class);
        scoreWeights = new int[score.length];
        List<Slot> scoreSlots = slots.get(ExtensionPoint.SCORE);
        for (int i = 0; i < score.length; i++) {
            scoreWeights[i] = scoreSlots.get(i).weight();
        }
        reserve = instances(ExtensionPoint.RESERVE, ReservePlugin.class);
        permit = instances(ExtensionPoint.PERMIT, PermitPlugin.class);
        preBind = instances(ExtensionPoint.PRE_BIND, PreBindPlugin.class);
        bind = instances(ExtensionPoint.BIND, BindPlugin.class);
        postBind = instances(ExtensionPoint.POST_BIND, PostBindPlugin.class);
        if (missing.isEmpty() && configError == null) {
            if (qs.length != 1) {
                configError = "one queue sort plugin required for profile with scheduler name \"" + config.schedulerName()
                        + "\", got " + qs.length;
            } else if (bind.length == 0) {
                configError = "at least one bind plugin is needed for profile with scheduler name \""
                        + config.schedulerName() + "\"";
            }
        }
        fillRegistrations();
    }

    /** Upstream's expandMultiPointPlugins for one extension point (after the explicit list). */
    private List<PluginRef> expand(ExtensionPoint point) {
        List<PluginRef> explicit = config.enabled().getOrDefault(point, List.of());
        Map<String, PluginRef> enabledSet = new LinkedHashMap<>();
        for (PluginRef r : explicit) {
            if (enabledSet.putIfAbsent(r.name(), r) != null) {
                throw new IllegalArgumentException("plugin \"" + r.name() + "\" already registered as \"" + point.key() + "\"");
            }
        }
        Set<String> disabled = config.disabled().getOrDefault(point, Set.of());
        if (disabled.contains("*")) {
            return List.copyOf(enabledSet.values());
        }
        Map<String, PluginRef> multi = new LinkedHashMap<>();
        Set<String> mentioned = new HashSet<>();
        for (PluginRef r : config.multiPoint()) {
            mentioned.add(r.name());
            Plugin p = plugins.get(r.name());
            if (p == null || !point.type().isInstance(p) || disabled.contains(r.name()) || enabledSet.containsKey(r.name())) {
                continue;
            }
            if (multi.putIfAbsent(r.name(), r) != null) {
                throw new IllegalArgumentException("plugin \"" + r.name() + "\" already registered as \"" + point.key() + "\"");
            }
        }
        if (point == ExtensionPoint.QUEUE_SORT && !enabledSet.isEmpty()) {
            // A profile has exactly one queue sort: an explicit one replaces the multiPoint one (upstream would
            // reject the profile for having two, unless "queueSort" also disabled "*").
            return List.copyOf(enabledSet.values());
        }
        List<PluginRef> out = new ArrayList<>();
        // Part 1: explicit entries overriding a multiPoint plugin, in their explicit order.
        for (PluginRef r : new ArrayList<>(enabledSet.values())) {
            if (mentioned.contains(r.name())) {
                out.add(r);
                enabledSet.remove(r.name());
            }
        }
        // Part 2: multiPoint plugins; part 3: the remaining explicit ones.
        out.addAll(multi.values());
        out.addAll(enabledSet.values());
        return out;
    }

    private <T> T[] instances(ExtensionPoint point, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Slot s : slots.get(point)) {
            Plugin p = plugins.get(s.name());
            if (p == null) {
                continue;
            }
            if (!type.isInstance(p)) {
                if (configError == null) {
                    configError = "plugin \"" + s.name() + "\" does not extend " + point.key() + " plugin";
                }
                continue;
            }
            out.add(type.cast(p));
        }
        @SuppressWarnings("unchecked")
        T[] arr = (T[]) java.lang.reflect.Array.newInstance(type, out.size());
        return out.toArray(arr);
    }

    /** Upstream's fillEventToPluginMap over the plugins that can reject pods. */
    private void fillRegistrations() {
        Set<String> seen = new HashSet<>();
        List<Plugin> rejecting = new ArrayList<>();
        Collections.addAll(rejecting, preEnqueue);
        Collections.addAll(rejecting, preFilter);
        Collections.addAll(rejecting, filter);
        Collections.addAll(rejecting, reserve);
        Collections.addAll(rejecting, permit);
        for (Plugin p : rejecting) {
            if (!seen.add(p.name())) {
                continue;
            }
            if (!(p instanceof EnqueueExtensions ext)) {
                registrations.add(new Registration(p.name(), new ClusterEvent(ClusterEvent.WILDCARD, ClusterEvent.ALL), null));
                continue;
            }
            List<EnqueueExtensions.EventWithHint> events;
            try {
                events = ext.eventsToRegister();
            } catch (RuntimeException e) {
                events = null;
            }
            if (events == null) {
                registrations.add(new Registration(p.name(), new ClusterEvent(ClusterEvent.WILDCARD, ClusterEvent.ALL), null));
                continue;
            }
            for (EnqueueExtensions.EventWithHint e : events) {
                registrations.add(new Registration(p.name(), e.event(), e.hint()));
            }
        }
    }

    // ---- what the host reads ----

    public ProfileConfig config() {
        return config;
    }

    /** Why this framework cannot schedule: missing plugins and configuration errors; empty when it can. */
    public List<String> problems() {
        List<String> out = new ArrayList<>(missing);
        if (configError != null) {
            out.add(configError);
        }
        return out;
    }

    public List<String> missing() {
        return Collections.unmodifiableList(missing);
    }

    public boolean usable() {
        return missing.isEmpty() && configError == null;
    }

    public Map<ExtensionPoint, List<Slot>> slots() {
        return Collections.unmodifiableMap(slots);
    }

    public QueueSortPlugin queueSort() {
        return queueSort;
    }

    public List<Registration> registrations() {
        return Collections.unmodifiableList(registrations);
    }

    public boolean hasFilterPlugins() {
        return filter.length > 0;
    }

    public boolean hasScorePlugins() {
        return score.length > 0;
    }

    public boolean hasPostFilterPlugins() {
        return postFilter.length > 0;
    }

    public Integer percentageOfNodesToScore() {
        return config.percentageOfNodesToScore();
    }

    // ---- phases ----

    /** PreEnqueue: the first non-success (attributed), or Success. */
    public Status runPreEnqueuePlugins(Pod pod) {
        for (PreEnqueuePlugin p : preEnqueue) {
            Status s;
            try {
                s = p.preEnqueue(pod);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s != null && !s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /** The outcome of PreFilter: a merged node restriction (null: all nodes), and which plugins restricted. */
    public record PreFilterOutcome(Status status, Set<String> nodeNames, List<String> pluginsWithNodes) {
    }

    public PreFilterOutcome runPreFilterPlugins(CycleState state, Pod pod, List<NodeInfo> nodes) {
        Set<String> result = null;
        List<String> pluginsWithNodes = new ArrayList<>(0);
        for (PreFilterPlugin p : preFilter) {
            PreFilterResult r;
            try {
                r = p.preFilter(state, pod, nodes);
            } catch (RuntimeException e) {
                r = PreFilterResult.of(Status.error(e));
            }
            Status s = r == null ? Status.SUCCESS : r.status();
            if (s.isSkip()) {
                state.skipFilterPlugins().add(p.name());
                continue;
            }
            if (!s.isSuccess()) {
                if (s.isRejected()) {
                    return new PreFilterOutcome(s.withPlugin(p.name()), null, pluginsWithNodes);
                }
                return new PreFilterOutcome(wrap("running PreFilter plugin", p.name(), s), null, pluginsWithNodes);
            }
            if (r != null && !r.allNodes()) {
                pluginsWithNodes.add(p.name());
                if (result == null) {
                    result = new HashSet<>(r.nodeNames());
                } else {
                    result.retainAll(r.nodeNames());
                }
                if (result.isEmpty()) {
                    String msg = pluginsWithNodes.size() == 1
                            ? "node(s) didn't satisfy plugin " + pluginsWithNodes.get(0)
                            : "node(s) didn't satisfy plugin(s) " + goList(pluginsWithNodes) + " simultaneously";
                    return new PreFilterOutcome(Status.unresolvable(msg), result, pluginsWithNodes);
                }
            }
        }
        return new PreFilterOutcome(Status.SUCCESS, result, pluginsWithNodes);
    }

    /** Go's %v of a string slice: "[A B]". */
    public static String goList(Collection<String> l) {
        return "[" + String.join(" ", l) + "]";
    }

    private static Status wrap(String what, String plugin, Status s) {
        return Status.of(Status.Code.ERROR, what + " \"" + plugin + "\": " + s.message()).withPlugin(plugin);
    }

    /** Filter: the first non-success, attributed; errors wrapped as upstream. */
    public Status runFilterPlugins(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Set<String> skip = state.skipFilterPlugins();
        boolean checkSkip = !skip.isEmpty();
        for (FilterPlugin p : filter) {
            if (checkSkip && skip.contains(p.name())) {
                continue;
            }
            Status s;
            try {
                s = p.filter(state, pod, nodeInfo);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s != null && !s.isSuccess()) {
                if (!s.isRejected()) {
                    return Status.of(Status.Code.ERROR, "running \"" + p.name() + "\" filter plugin: " + s.message())
                            .withPlugin(p.name());
                }
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
        List<PodInfo> nominated = context.nominatedPodsForNode(nodeInfo.name());
        if (nominated.isEmpty()) {
            return runFilterPlugins(state, pod, nodeInfo);
        }
        // Pass 1: with the nominated pods of equal or higher priority on the node; pass 2: without them.
        int priority = priority(pod);
        String uid = pod.getMetadata().getUid();
        NodeInfo withNominated = null;
        CycleState stateWithNominated = null;
        for (PodInfo pi : nominated) {
            if (priority(pi.pod()) >= priority && !pi.uid().equals(uid)) {
                if (withNominated == null) {
                    withNominated = nodeInfo.copy();
                    stateWithNominated = state.copy();
                }
                withNominated.addPod(pi);
                Status s = runPreFilterExtensionAddPod(stateWithNominated, pod, pi, withNominated);
                if (!s.isSuccess()) {
                    return s;
                }
            }
        }
        if (withNominated == null) {
            return runFilterPlugins(state, pod, nodeInfo);
        }
        Status s = runFilterPlugins(stateWithNominated, pod, withNominated);
        if (!s.isSuccess()) {
            return s;
        }
        return runFilterPlugins(state, pod, nodeInfo);
    }

    public static int priority(Pod pod) {
        Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return p == null ? 0 : p;
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return runPreFilterExtensions(state, "AddPod", ext -> ext.addPod(state, podToSchedule, podToAdd, nodeInfo));
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        return runPreFilterExtensions(state, "RemovePod", ext -> ext.removePod(state, podToSchedule, podToRemove, nodeInfo));
    }

    /** Runs one PreFilter extension call on every PreFilter plugin not skipped this cycle; the first failure is an Error. */
    private Status runPreFilterExtensions(CycleState state, String call,
            java.util.function.Function<PreFilterPlugin.PreFilterExtensions, Status> run) {
        for (PreFilterPlugin p : preFilter) {
            if (state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            PreFilterPlugin.PreFilterExtensions ext = p.preFilterExtensions();
            if (ext == null) {
                continue;
            }
            Status s;
            try {
                s = run.apply(ext);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s != null && !s.isSuccess()) {
                return Status.of(Status.Code.ERROR, "running " + call + " on PreFilter plugin \"" + p.name() + "\": " + s.message())
                        .withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /** PostFilter, as upstream: the first success or unresolvable ends it; rejections' reasons are joined. */
    public PostFilterResult runPostFilterPlugins(CycleState state, Pod pod, Map<String, Status> statuses) {
        List<String> reasons = new ArrayList<>();
        String rejector = null;
        PostFilterResult result = null;
        for (PostFilterPlugin p : postFilter) {
            PostFilterResult r;
            try {
                r = p.postFilter(state, pod, statuses);
            } catch (RuntimeException e) {
                r = PostFilterResult.of(Status.error(e));
            }
            Status s = r == null || r.status() == null ? Status.SUCCESS : r.status();
            if (s.isSuccess()) {
                return r == null ? PostFilterResult.of(Status.SUCCESS) : r;
            }
            if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return new PostFilterResult(s.withPlugin(p.name()), r.nominatedNodeName());
            }
            if (!s.isRejected()) {
                return new PostFilterResult(s.withPlugin(p.name()), null);
            }
            if (r.nominatedNodeName() != null) {
                result = r;
            }
            reasons.addAll(s.reasons());
            if (rejector == null) {
                rejector = p.name();
            }
        }
        Status s = Status.unschedulable(reasons.toArray(String[]::new)).withPlugin(rejector);
        return new PostFilterResult(s, result == null ? null : result.nominatedNodeName());
    }

    public Status runPreScorePlugins(CycleState state, Pod pod, List<NodeInfo> nodes) {
        for (PreScorePlugin p : preScore) {
            Status s;
            try {
                s = p.preScore(state, pod, nodes);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s == null || s.isSuccess()) {
                continue;
            }
            if (s.isSkip()) {
                state.skipScorePlugins().add(p.name());
                continue;
            }
            return wrap("running PreScore plugin", p.name(), s);
        }
        return Status.SUCCESS;
    }

    /**
     * Score, NormalizeScore and weights, as upstream's RunScorePlugins: scores per node in parallel, then
     * normalization per plugin, range checks, and the weighted sum into {@code totals}.
     *
     * @return Success, or the error that ended scoring
     */
    public Status runScorePlugins(CycleState state, Pod pod, List<NodeInfo> nodes, long[] totals) {
        int n = nodes.size();
        Set<String> skip = state.skipScorePlugins();
        List<Integer> active = new ArrayList<>(score.length);
        for (int i = 0; i < score.length; i++) {
            if (!skip.contains(score[i].name())) {
                active.add(i);
            }
        }
        int k = active.size();
        if (k == 0) {
            return Status.SUCCESS;
        }
        long[][] scores = new long[k][n];
        Status[] errors = new Status[1];
        Parallelizer.Stop stop = new Parallelizer.Stop();
        context.parallelizer().until(n, i -> {
            NodeInfo ni = nodes.get(i);
            for (int j = 0; j < k; j++) {
                ScorePlugin p = score[active.get(j)];
                try {
                    scores[j][i] = p.score(state, pod, ni);
                } catch (RuntimeException e) {
                    errors[0] = Status.of(Status.Code.ERROR, "running Score plugin \"" + p.name() + "\": "
                            + (e.getMessage() == null ? e.toString() : e.getMessage())).withPlugin(p.name());
                    stop.stop();
                    return;
                }
            }
        }, stop);
        if (errors[0] != null) {
            return errors[0];
        }
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = nodes.get(i).name();
        }
        for (int j = 0; j < k; j++) {
            ScorePlugin p = score[active.get(j)];
            ScorePlugin.ScoreExtensions ext = p.scoreExtensions();
            if (ext != null) {
                Status s;
                try {
                    s = ext.normalizeScore(state, pod, new NodeScores(names, scores[j]));
                } catch (RuntimeException e) {
                    s = Status.error(e);
                }
                if (s != null && !s.isSuccess()) {
                    return Status.of(Status.Code.ERROR, "running Normalize on Score plugin \"" + p.name() + "\": "
                            + s.message()).withPlugin(p.name());
                }
            }
            int w = scoreWeights[active.get(j)];
            long[] sj = scores[j];
            for (int i = 0; i < n; i++) {
                long v = sj[i];
                if (v > ScorePlugin.MAX_NODE_SCORE || v < ScorePlugin.MIN_NODE_SCORE) {
                    return Status.of(Status.Code.ERROR, "plugin \"" + p.name() + "\" returns an invalid score " + v
                            + ", it should in the range of [" + ScorePlugin.MIN_NODE_SCORE + ", "
                            + ScorePlugin.MAX_NODE_SCORE + "] after normalizing").withPlugin(p.name());
                }
                totals[i] += v * w;
            }
        }
        return Status.SUCCESS;
    }

    public Status runReservePluginsReserve(CycleState state, Pod pod, String nodeName) {
        for (ReservePlugin p : reserve) {
            Status s;
            try {
                s = p.reserve(state, pod, nodeName);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s != null && !s.isSuccess()) {
                if (s.isRejected()) {
                    return s.withPlugin(p.name());
                }
                return wrap("running Reserve plugin", p.name(), s);
            }
        }
        return Status.SUCCESS;
    }

    /** Unreserve in reverse order; every plugin is called whatever the others do. */
    public void runReservePluginsUnreserve(CycleState state, Pod pod, String nodeName) {
        for (int i = reserve.length - 1; i >= 0; i--) {
            try {
                reserve[i].unreserve(state, pod, nodeName);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Framework.class)
                        .warn("Unreserve of plugin {} failed for pod {}", reserve[i].name(), pod.getMetadata().getName(), e);
            }
        }
    }

    /** Permit: a rejection or error ends it; waits are collected into a waiting pod and Wait is returned. */
    public Status runPermitPlugins(CycleState state, Pod pod, String nodeName) {
        Map<String, Duration> waits = null;
        for (PermitPlugin p : permit) {
            PermitResult r;
            try {
                r = p.permit(state, pod, nodeName);
            } catch (RuntimeException e) {
                r = PermitResult.of(Status.error(e));
            }
            Status s = r == null || r.status() == null ? Status.SUCCESS : r.status();
            if (s.isSuccess()) {
                continue;
            }
            if (s.isRejected()) {
                return s.withPlugin(p.name());
            }
            if (s.isWait()) {
                Duration t = r.timeout() == null ? WaitingPods.MAX_TIMEOUT : r.timeout();
                if (t.compareTo(WaitingPods.MAX_TIMEOUT) > 0) {
                    t = WaitingPods.MAX_TIMEOUT;
                }
                if (waits == null) {
                    waits = new LinkedHashMap<>();
                }
                waits.put(p.name(), t);
                continue;
            }
            return wrap("running Permit plugin", p.name(), s);
        }
        if (waits != null) {
            context.waitingPods().add(pod, nodeName, waits);
            return Status.of(Status.Code.WAIT,
                    "one or more plugins asked to wait and no plugin rejected pod \"" + pod.getMetadata().getName() + "\"");
        }
        return Status.SUCCESS;
    }

    /** Blocks until the pod's permit wait ends (Success when it is not waiting). */
    public Status waitOnPermit(Pod pod) {
        String uid = pod.getMetadata().getUid();
        WaitingPods.Entry e = context.waitingPods().entry(uid);
        if (e == null) {
            return Status.SUCCESS;
        }
        try {
            Status s = e.result().join();
            if (s.isSuccess() || s.isRejected()) {
                return s;
            }
            return Status.of(Status.Code.ERROR, "error while waiting on permit for pod: " + s.message()).withPlugin(s.plugin());
        } finally {
            context.waitingPods().remove(uid);
        }
    }

    public Status runPreBindPlugins(CycleState state, Pod pod, String nodeName) {
        for (PreBindPlugin p : preBind) {
            Status s;
            try {
                s = p.preBind(state, pod, nodeName);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s != null && !s.isSuccess()) {
                if (s.isRejected()) {
                    return s.withPlugin(p.name());
                }
                return wrap("running PreBind plugin", p.name(), s);
            }
        }
        return Status.SUCCESS;
    }

    public Status runBindPlugins(CycleState state, Pod pod, String nodeName) {
        Status last = Status.SKIP;
        for (BindPlugin p : bind) {
            Status s;
            try {
                s = p.bind(state, pod, nodeName);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s == null) {
                s = Status.SUCCESS;
            }
            if (s.isSkip()) {
                last = s;
                continue;
            }
            if (!s.isSuccess()) {
                if (s.isRejected()) {
                    return s.withPlugin(p.name());
                }
                return wrap("running Bind plugin", p.name(), s);
            }
            return s;
        }
        return last;
    }

    public void runPostBindPlugins(CycleState state, Pod pod, String nodeName) {
        for (PostBindPlugin p : postBind) {
            try {
                p.postBind(state, pod, nodeName);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Framework.class)
                        .warn("PostBind of plugin {} failed for pod {}", p.name(), pod.getMetadata().getName(), e);
            }
        }
    }

    // ---- FrameworkHandle ----

    @Override
    public String schedulerName() {
        return config.schedulerName();
    }

    @Override
    public NodeInfoLister snapshot() {
        return context.snapshot();
    }

    @Override
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        return context.lister(type);
    }

    @Override
    public void parallelize(int pieces, IntConsumer work) {
        context.parallelizer().until(pieces, work);
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        return context.nominatedPodsForNode(nodeName);
    }

    @Override
    public WaitingPod waitingPod(String uid) {
        return context.waitingPods().get(uid);
    }

    @Override
    public void forEachWaitingPod(Consumer<WaitingPod> action) {
        context.waitingPods().forEach(action);
    }

    @Override
    public void activate(Collection<Pod> pods) {
        context.activate(pods);
    }

    /** The plugin names enabled at {@code point}, in order. */
    public List<String> names(ExtensionPoint point) {
        List<String> out = new ArrayList<>();
        for (Slot s : slots.get(point)) {
            out.add(s.name());
        }
        return out;
    }

    /** Names of every created plugin. */
    public Set<String> pluginNames() {
        return new LinkedHashSet<>(plugins.keySet());
    }

    @Override
    public String toString() {
        return "Framework{" + config.schedulerName() + ", plugins=" + plugins.keySet() + ", problems=" + problems() + "}";
    }
}
