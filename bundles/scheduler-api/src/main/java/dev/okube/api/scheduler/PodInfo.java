package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler computes from it once (resource requests, compiled affinity terms),
 * as upstream's framework.PodInfo. Immutable; the pod must not be changed.
 */
public final class PodInfo {
    /** The CPU a container without a cpu request counts with when spreading load (upstream's DefaultMilliCPURequest). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** The memory a container without a memory request counts with (upstream's DefaultMemoryRequest, 200 MiB). */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    private final Pod pod;
    private final Resource requests;
    private final Resource nonZeroRequests;
    private final List<AffinityTerm> requiredAffinityTerms;
    private final List<AffinityTerm> requiredAntiAffinityTerms;
    private final List<AffinityTerm.Weighted> preferredAffinityTerms;
    private final List<AffinityTerm.Weighted> preferredAntiAffinityTerms;

    private PodInfo(Pod pod) {
        this.pod = pod;
        this.requests = computeRequests(pod, false);
        this.nonZeroRequests = computeRequests(pod, true);
        String ns = pod.getMetadata().getNamespace();
        Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        var podAffinity = affinity == null ? null : affinity.getPodAffinity();
        var podAntiAffinity = affinity == null ? null : affinity.getPodAntiAffinity();
        this.requiredAffinityTerms = terms(ns, podAffinity == null ? null
                : podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.requiredAntiAffinityTerms = terms(ns, podAntiAffinity == null ? null
                : podAntiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.preferredAffinityTerms = weighted(ns, podAffinity == null ? null
                : podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        this.preferredAntiAffinityTerms = weighted(ns, podAntiAffinity == null ? null
                : podAntiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
    }

    public static PodInfo of(Pod pod) {
        return new PodInfo(pod);
    }

    public Pod pod() {
        return pod;
    }

    public String uid() {
        return pod.getMetadata().getUid();
    }

    public String namespace() {
        return pod.getMetadata().getNamespace();
    }

    public String name() {
        return pod.getMetadata().getName();
    }

    /** "namespace/name". */
    public String key() {
        return namespace() + "/" + name();
    }

    /** The pod's effective requests (upstream's PodRequests: containers, init containers, sidecars, overhead). */
    public Resource requests() {
        return requests;
    }

    /** As {@link #requests()}, counting containers without cpu/memory requests with the defaults. */
    public Resource nonZeroRequests() {
        return nonZeroRequests;
    }

    public List<AffinityTerm> requiredAffinityTerms() {
        return requiredAffinityTerms;
    }

    public List<AffinityTerm> requiredAntiAffinityTerms() {
        return requiredAntiAffinityTerms;
    }

    public List<AffinityTerm.Weighted> preferredAffinityTerms() {
        return preferredAffinityTerms;
    }

    public List<AffinityTerm.Weighted> preferredAntiAffinityTerms() {
        return preferredAntiAffinityTerms;
    }

    /** Whether the pod has any pod affinity or anti-affinity term. */
    public boolean hasAffinity() {
        return !requiredAffinityTerms.isEmpty() || !requiredAntiAffinityTerms.isEmpty()
                || !preferredAffinityTerms.isEmpty() || !preferredAntiAffinityTerms.isEmpty();
    }

    private static List<AffinityTerm> terms(String ns, List<PodAffinityTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (PodAffinityTerm t : terms) {
            out.add(AffinityTerm.of(ns, t));
        }
        return List.copyOf(out);
    }

    private static List<AffinityTerm.Weighted> weighted(String ns, List<WeightedPodAffinityTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
        for (WeightedPodAffinityTerm t : terms) {
            out.add(new AffinityTerm.Weighted(AffinityTerm.of(ns, t.getPodAffinityTerm()),
                    t.getWeight() == null ? 0 : t.getWeight()));
        }
        return List.copyOf(out);
    }

    /** Upstream's resourcehelper.PodRequests (with NonMissingContainerRequests when {@code nonZero}). */
    static Resource computeRequests(Pod pod, boolean nonZero) {
        Resource reqs = new Resource();
        if (pod.getSpec() == null) {
            return reqs;
        }
        if (pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                reqs.add(containerRequests(c, nonZero));
            }
        }
        Resource restartable = new Resource();
        Resource init = new Resource();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                Resource containerReqs = containerRequests(c, nonZero);
                if ("Always".equals(c.getRestartPolicy())) {
                    // A sidecar runs beside the main containers and every later init container.
                    reqs.add(containerReqs);
                    restartable.add(containerReqs);
                    containerReqs = restartable.copy();
                } else {
                    containerReqs = containerReqs.copy().add(restartable);
                }
                init.max(containerReqs);
            }
        }
        reqs.max(init);
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        if (overhead != null) {
            reqs.add(Resource.of(overhead));
        }
        return reqs;
    }

    private static Resource containerRequests(Container c, boolean nonZero) {
        Map<String, Quantity> requests = c.getResources() == null ? null : c.getResources().getRequests();
        Resource r = Resource.of(requests);
        if (nonZero) {
            if (requests == null || !requests.containsKey(Resource.CPU)) {
                r.set(Resource.CPU, DEFAULT_MILLI_CPU_REQUEST);
            }
            if (requests == null || !requests.containsKey(Resource.MEMORY)) {
                r.set(Resource.MEMORY, DEFAULT_MEMORY_REQUEST);
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return "PodInfo{" + key() + "}";
    }
}
