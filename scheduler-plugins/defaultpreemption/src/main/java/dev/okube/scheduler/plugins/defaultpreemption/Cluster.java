package dev.okube.scheduler.plugins.defaultpreemption;

/** The writes preemption makes, through the apiserver. Implemented over the fabric8 client; faked in tests. */
public interface Cluster {
    /** Applies a strategic-merge patch to the pod's status subresource; throws when the apiserver refuses it. */
    void patchPodStatus(String namespace, String name, String strategicMergePatch);

    /** Deletes the pod; false when it was already gone (NotFound); throws on other errors. */
    boolean deletePod(String namespace, String name);
}
