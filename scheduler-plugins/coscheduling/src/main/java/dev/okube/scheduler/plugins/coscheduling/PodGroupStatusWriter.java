package dev.okube.scheduler.plugins.coscheduling;

import java.util.function.UnaryOperator;

/** Writes a PodGroup's status subresource (read, change, compare-and-set). Failures throw. */
public interface PodGroupStatusWriter {
    void updateStatus(String namespace, String name, UnaryOperator<PodGroup> change);
}
