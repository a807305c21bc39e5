package dev.okube.scheduler.status;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What the scheduler reports about its profiles (for the {@code kube:scheduler} shell command). */
@ProviderType
public interface SchedulerStatus {
    List<ProfileStatus> profiles();

    /** One plugin at one extension point: its weight (Score only, else 0) and the bundle providing it (null: missing). */
    record PluginSlot(String name, int weight, String bundle, String version) {
    }

    /**
     * One profile: each extension point's plugins in order (keys in upstream's order), why it cannot
     * schedule (missing plugins; empty when it can), its queue lengths, how many pods it bound and how many
     * attempts failed, and the scheduling cycle latency (mean and 99th percentile of the last 1024 cycles).
     */
    record ProfileStatus(String schedulerName, Map<String, List<PluginSlot>> extensionPoints, List<String> problems,
                         int active, int backoff, int unschedulable, long scheduled, long failed,
                         double meanCycleMillis, double p99CycleMillis) {
    }
}
