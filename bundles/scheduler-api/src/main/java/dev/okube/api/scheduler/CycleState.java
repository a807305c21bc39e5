package dev.okube.api.scheduler;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data plugins keep for one pod's scheduling cycle (e.g. what PreFilter computed for Filter),
 * as upstream's CycleState. Safe for the parallel Filter and Score calls. Preemption copies the
 * state for each candidate node, so stored values implement {@link StateData#copy()}.
 */
public final class CycleState {
    /** A value stored in the cycle state. */
    public interface StateData {
        /** A copy that preemption may change without affecting this one (immutable data returns itself). */
        StateData copy();
    }

    private final Map<String, StateData> data = new ConcurrentHashMap<>();
    private final Set<String> skipFilterPlugins = ConcurrentHashMap.newKeySet();
    private final Set<String> skipScorePlugins = ConcurrentHashMap.newKeySet();

    /** Reads the value under {@code key}, or null when absent. */
    public <T extends StateData> T read(String key, Class<T> type) {
        StateData d = data.get(key);
        return d == null ? null : type.cast(d);
    }

    public void write(String key, StateData value) {
        data.put(key, value);
    }

    public void delete(String key) {
        data.remove(key);
    }

    /** Plugins whose PreFilter returned Skip: the framework does not call their Filter this cycle. */
    public Set<String> skipFilterPlugins() {
        return skipFilterPlugins;
    }

    /** Plugins whose PreScore returned Skip: the framework does not call their Score this cycle. */
    public Set<String> skipScorePlugins() {
        return skipScorePlugins;
    }

    /** A deep copy, as upstream's CycleState.Clone. */
    public CycleState copy() {
        CycleState c = new CycleState();
        data.forEach((k, v) -> c.data.put(k, v.copy()));
        c.skipFilterPlugins.addAll(skipFilterPlugins);
        c.skipScorePlugins.addAll(skipScorePlugins);
        return c;
    }
}
