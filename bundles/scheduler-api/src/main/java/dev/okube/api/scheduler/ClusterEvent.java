package dev.okube.api.scheduler;

/**
 * A change in the cluster that may make rejected pods schedulable, as upstream's
 * framework.ClusterEvent: a resource kind and a mask of actions.
 *
 * @param resource the kind, e.g. {@link #POD}, {@link #NODE}, "PersistentVolumeClaim", "PodGroup", or {@link #WILDCARD}
 * @param actions  a mask of the {@code ADD}, {@code DELETE} and {@code UPDATE_*} bits
 */
public record ClusterEvent(String resource, int actions) {
    public static final String POD = "Pod";
    public static final String NODE = "Node";
    public static final String WILDCARD = "*";

    public static final int ADD = 1;
    public static final int DELETE = 1 << 1;
    public static final int UPDATE_NODE_ALLOCATABLE = 1 << 2;
    public static final int UPDATE_NODE_LABEL = 1 << 3;
    public static final int UPDATE_NODE_TAINT = 1 << 4;
    public static final int UPDATE_NODE_CONDITION = 1 << 5;
    public static final int UPDATE_NODE_ANNOTATION = 1 << 6;
    public static final int UPDATE_POD_LABEL = 1 << 7;
    public static final int UPDATE_POD_SCALE_DOWN = 1 << 8;
    public static final int UPDATE_POD_TOLERATION = 1 << 9;
    public static final int UPDATE_POD_SCHEDULING_GATES_ELIMINATED = 1 << 10;
    /** Any other update (of a pod, node or other kind). */
    public static final int UPDATE_OTHER = 1 << 11;
    public static final int UPDATE = UPDATE_NODE_ALLOCATABLE | UPDATE_NODE_LABEL | UPDATE_NODE_TAINT
            | UPDATE_NODE_CONDITION | UPDATE_NODE_ANNOTATION | UPDATE_POD_LABEL | UPDATE_POD_SCALE_DOWN
            | UPDATE_POD_TOLERATION | UPDATE_POD_SCHEDULING_GATES_ELIMINATED | UPDATE_OTHER;
    public static final int ALL = ADD | DELETE | UPDATE;

    /** Whether an event {@code happened} is one this registration asks for. */
    public boolean covers(ClusterEvent happened) {
        return (WILDCARD.equals(resource) || resource.equals(happened.resource)) && (actions & happened.actions) != 0;
    }
}
