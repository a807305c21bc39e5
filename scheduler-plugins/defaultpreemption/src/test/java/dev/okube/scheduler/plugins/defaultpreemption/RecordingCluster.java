package dev.okube.scheduler.plugins.defaultpreemption;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Records preemption's writes; pods in {@code gone} answer NotFound, pods in {@code failing} fail. */
final class RecordingCluster implements Cluster {
    final List<String> patches = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    Set<String> gone = Set.of();
    Set<String> failing = Set.of();

    @Override
    public synchronized void patchPodStatus(String namespace, String name, String strategicMergePatch) {
        if (failing.contains(name)) {
            throw new IllegalStateException("pods \"" + name + "\" is forbidden");
        }
        patches.add(namespace + "/" + name + " " + strategicMergePatch);
    }

    @Override
    public synchronized boolean deletePod(String namespace, String name) {
        if (gone.contains(name)) {
            return false;
        }
        deleted.add(namespace + "/" + name);
        return true;
    }
}
