package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.Resource;
import java.util.List;

/**
 * The resources a scorer looks at, resolved once to fast lookups, as upstream's resourceAllocationScorer:
 * for each resource the node's allocatable and what would be requested with the pod on it.
 *
 * <p>{@code useRequested} false (NodeResourcesFit) counts cpu and memory with the non-zero defaults for
 * containers without requests; true (BalancedAllocation) counts the actual requests.
 */
final class ResourceAllocation {
    private static final int CPU = 0;
    private static final int MEMORY = 1;
    private static final int EPHEMERAL_STORAGE = 2;
    private static final int PODS = 3;
    private static final int SCALAR = 4;

    final String[] names;
    final long[] weights;
    private final int[] kinds;
    private final boolean useRequested;

    ResourceAllocation(List<ResourceSpec> resources, boolean useRequested) {
        int n = resources.size();
        this.names = new String[n];
        this.weights = new long[n];
        this.kinds = new int[n];
        this.useRequested = useRequested;
        for (int i = 0; i < n; i++) {
            names[i] = resources.get(i).name();
            weights[i] = resources.get(i).weight();
            kinds[i] = switch (names[i]) {
                case Resource.CPU -> CPU;
                case Resource.MEMORY -> MEMORY;
                case Resource.EPHEMERAL_STORAGE -> EPHEMERAL_STORAGE;
                case Resource.PODS -> PODS;
                default -> SCALAR;
            };
        }
    }

    int size() {
        return names.length;
    }

    /** The pod's request of each resource, in order (upstream's calculatePodResourceRequestList). */
    long[] podRequests(PodInfo pod) {
        Resource r = useRequested ? pod.requests() : pod.nonZeroRequests();
        long[] out = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = kinds[i] == PODS ? 0 : r.get(names[i]);
        }
        return out;
    }

    /**
     * The node's allocatable of resource {@code i}; 0 means "do not score this resource" (an extended resource
     * the pod does not request or the node does not have, or the pod count).
     */
    long allocatable(int i, NodeInfo node, long podRequest) {
        Resource alloc = node.allocatable();
        return switch (kinds[i]) {
            case CPU -> alloc.milliCpu();
            case MEMORY -> alloc.memory();
            case EPHEMERAL_STORAGE -> alloc.ephemeralStorage();
            case PODS -> 0;
            default -> {
                if (podRequest == 0) {
                    yield 0;
                }
                Long v = alloc.scalarResources().get(names[i]);
                yield v == null ? 0 : v;
            }
        };
    }

    /** What resource {@code i} on the node would be requested with the pod on it. */
    long requested(int i, NodeInfo node, long podRequest) {
        return switch (kinds[i]) {
            case CPU -> (useRequested ? node.requested() : node.nonZeroRequested()).milliCpu() + podRequest;
            case MEMORY -> (useRequested ? node.requested() : node.nonZeroRequested()).memory() + podRequest;
            case EPHEMERAL_STORAGE -> node.requested().ephemeralStorage() + podRequest;
            case PODS -> 0;
            default -> {
                Long v = node.requested().scalarResources().get(names[i]);
                yield (v == null ? 0 : v) + podRequest;
            }
        };
    }
}
