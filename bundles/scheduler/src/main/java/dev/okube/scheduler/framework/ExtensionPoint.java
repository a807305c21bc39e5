package dev.okube.scheduler.framework;

import dev.okube.api.scheduler.BindPlugin;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.PermitPlugin;
import dev.okube.api.scheduler.PostBindPlugin;
import dev.okube.api.scheduler.PostFilterPlugin;
import dev.okube.api.scheduler.PreBindPlugin;
import dev.okube.api.scheduler.PreEnqueuePlugin;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.QueueSortPlugin;
import dev.okube.api.scheduler.ReservePlugin;
import dev.okube.api.scheduler.ScorePlugin;

/** The framework's extension points, in upstream's order, with the key a profile configuration uses for each. */
public enum ExtensionPoint {
    PRE_ENQUEUE("preEnqueue", PreEnqueuePlugin.class),
    QUEUE_SORT("queueSort", QueueSortPlugin.class),
    PRE_FILTER("preFilter", PreFilterPlugin.class),
    FILTER("filter", FilterPlugin.class),
    POST_FILTER("postFilter", PostFilterPlugin.class),
    PRE_SCORE("preScore", PreScorePlugin.class),
    SCORE("score", ScorePlugin.class),
    RESERVE("reserve", ReservePlugin.class),
    PERMIT("permit", PermitPlugin.class),
    PRE_BIND("preBind", PreBindPlugin.class),
    BIND("bind", BindPlugin.class),
    POST_BIND("postBind", PostBindPlugin.class);

    private final String key;
    private final Class<?> type;

    ExtensionPoint(String key, Class<?> type) {
        this.key = key;
        this.type = type;
    }

    /** The configuration key, e.g. "preFilter". */
    public String key() {
        return key;
    }

    /** The plugin interface of this point. */
    public Class<?> type() {
        return type;
    }

    public static ExtensionPoint ofKey(String key) {
        for (ExtensionPoint p : values()) {
            if (p.key.equalsIgnoreCase(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown extension point \"" + key + "\"");
    }
}
