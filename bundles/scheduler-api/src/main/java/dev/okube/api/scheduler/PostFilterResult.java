package dev.okube.api.scheduler;

/** What a PostFilter plugin returns: its status and, on success, the node nominated for the pod. */
public record PostFilterResult(Status status, String nominatedNodeName) {
    public static PostFilterResult of(Status status) {
        return new PostFilterResult(status, null);
    }

    public static PostFilterResult nominated(String nodeName) {
        return new PostFilterResult(Status.SUCCESS, nodeName);
    }
}
