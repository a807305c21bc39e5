package dev.okube.api.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * The result of running a plugin, as upstream's framework.Status: a code, the reasons shown to users
 * (in {@code FailedScheduling} events: "0/3 nodes are available: 1 Insufficient cpu, ..."), and the
 * plugin that produced it, which the framework fills in.
 */
public final class Status {
    /** What the framework does next; the same codes as upstream. */
    public enum Code {
        /** The plugin ran and the pod may go on. */
        SUCCESS,
        /** An internal error: the pod is retried after backoff. */
        ERROR,
        /** The pod does not fit now; preemption may help; retried on a relevant cluster event. */
        UNSCHEDULABLE,
        /** The pod does not fit and preemption would not help (e.g. a node selector mismatch). */
        UNSCHEDULABLE_AND_UNRESOLVABLE,
        /** Permit only: the pod waits in the permit phase until allowed, rejected or timed out. */
        WAIT,
        /** PreFilter/PreScore: skip this plugin's Filter/Score for this cycle; Bind: let the next binder bind. */
        SKIP,
        /** The pod waits for something outside the scheduler (a pod group, a volume); no preemption. */
        PENDING
    }

    public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null, null);
    public static final Status SKIP = new Status(Code.SKIP, List.of(), null, null);
    public static final Status WAIT = new Status(Code.WAIT, List.of(), null, null);

    private final Code code;
    private final List<String> reasons;
    private final String plugin;
    private final Throwable error;

    private Status(Code code, List<String> reasons, String plugin, Throwable error) {
        this.code = Objects.requireNonNull(code, "code should not be null");
        this.reasons = reasons;
        this.plugin = plugin;
        this.error = error;
    }

    public static Status of(Code code, String... reasons) {
        return new Status(code, List.of(reasons), null, null);
    }

    public static Status unschedulable(String... reasons) {
        return of(Code.UNSCHEDULABLE, reasons);
    }

    public static Status unresolvable(String... reasons) {
        return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons);
    }

    public static Status error(String reason) {
        return of(Code.ERROR, reason);
    }

    /** Wraps an unexpected exception, as upstream's AsStatus. */
    public static Status error(Throwable t) {
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        return new Status(Code.ERROR, List.of(message), null, t);
    }

    /** This status, attributed to {@code pluginName} (the framework calls this for every non-success). */
    public Status withPlugin(String pluginName) {
        return Objects.equals(pluginName, plugin) ? this : new Status(code, reasons, pluginName, error);
    }

    public Code code() {
        return code;
    }

    public List<String> reasons() {
        return reasons;
    }

    /** The plugin that returned this status, or null before the framework attributed it. */
    public String plugin() {
        return plugin;
    }

    /** The exception behind an {@link Code#ERROR}, if any. */
    public Throwable error() {
        return error;
    }

    /** The reasons joined with ", ", as upstream's Status.Message. */
    public String message() {
        return String.join(", ", reasons);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    public boolean isWait() {
        return code == Code.WAIT;
    }

    /** Unschedulable, unresolvable or pending: an expected "no", as upstream's IsRejected. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE || code == Code.PENDING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Status s && s.code == code && s.reasons.equals(reasons) && Objects.equals(s.plugin, plugin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, reasons, plugin);
    }

    @Override
    public String toString() {
        return code + (reasons.isEmpty() ? "" : ": " + message()) + (plugin == null ? "" : " (" + plugin + ")");
    }
}
