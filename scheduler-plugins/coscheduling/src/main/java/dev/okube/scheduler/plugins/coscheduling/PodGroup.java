package dev.okube.scheduler.plugins.coscheduling;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** kubernetes-sigs/scheduler-plugins' scheduling.x-k8s.io/v1alpha1 PodGroup, typed for the fabric8 client and informers. */
@Group("scheduling.x-k8s.io")
@Version("v1alpha1")
@Kind("PodGroup")
@Plural("podgroups")
@ShortNames({"pg", "pgs"})
public class PodGroup extends CustomResource<PodGroupSpec, PodGroupStatus> implements Namespaced {
    /** The label that puts a pod in a group: its value is the PodGroup's name, in the pod's namespace. */
    public static final String POD_GROUP_LABEL = "scheduling.x-k8s.io/pod-group";

    @Override
    protected PodGroupSpec initSpec() {
        return new PodGroupSpec();
    }

    @Override
    protected PodGroupStatus initStatus() {
        return new PodGroupStatus();
    }
}
