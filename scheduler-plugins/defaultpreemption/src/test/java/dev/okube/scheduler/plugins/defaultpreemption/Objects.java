package dev.okube.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test objects shaped like upstream's st.MakePod()/MakeNode()/MakePDB() wrappers. */
final class Objects {
    static final int NEG_PRIORITY = -100;
    static final int LOW_PRIORITY = 0;
    static final int MID_PRIORITY = 100;
    static final int HIGH_PRIORITY = 1000;
    static final int VERY_HIGH_PRIORITY = 10000;

    static final String[] SMALL_RES = {"cpu", "100m", "memory", "100"};
    static final String[] MEDIUM_RES = {"cpu", "200m", "memory", "200"};
    static final String[] LARGE_RES = {"cpu", "300m", "memory", "300"};
    static final String[] VERY_LARGE_RES = {"cpu", "500m", "memory", "500"};

    private Objects() {
    }

    static Map<String, Quantity> res(String... kv) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new Quantity(kv[i + 1]));
        }
        return m;
    }

    static final class P {
        private final PodBuilder b;

        P(String name) {
            b = new PodBuilder().withNewMetadata().withName(name).withUid(name).withNamespace("default").endMetadata()
                    .withNewSpec().withSchedulerName("default-scheduler").endSpec().withNewStatus().endStatus();
        }

        P priority(int p) {
            b.editSpec().withPriority(p).endSpec();
            return this;
        }

        P node(String n) {
            b.editSpec().withNodeName(n).endSpec();
            return this;
        }

        P req(String... kv) {
            b.editSpec().addToContainers(new ContainerBuilder().withName("c").withNewResources().withRequests(res(kv))
                    .endResources().build()).endSpec();
            return this;
        }

        P label(String k, String v) {
            b.editMetadata().addToLabels(k, v).endMetadata();
            return this;
        }

        P startTime(String t) {
            b.editStatus().withStartTime(t).endStatus();
            return this;
        }

        P nominated(String n) {
            b.editStatus().withNominatedNodeName(n).endStatus();
            return this;
        }

        P preemptionPolicy(String p) {
            b.editSpec().withPreemptionPolicy(p).endSpec();
            return this;
        }

        P terminating() {
            b.editMetadata().withDeletionTimestamp("2026-11-26T19:00:00Z").endMetadata();
            return this;
        }

        P condition(String type, String status, String reason) {
            b.editStatus().addToConditions(new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
                    .build()).endStatus();
            return this;
        }

        Pod obj() {
            return b.build();
        }
    }

    static P pod(String name) {
        return new P(name);
    }

    /** A node with this capacity as allocatable; 32 pods unless given, as upstream's st.MakeNode().Capacity. */
    static Node node(String name, String... capacity) {
        Map<String, Quantity> r = res(capacity);
        r.putIfAbsent("pods", new Quantity("32"));
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withCapacity(r)
                .withAllocatable(r).endStatus().build();
    }

    static Node labelled(Node n, String k, String v) {
        n.getMetadata().setLabels(Map.of(k, v));
        return n;
    }

    static PodDisruptionBudget pdb(String name, String labelKey, String labelValue, int disruptionsAllowed,
                                   String... disruptedPods) {
        Map<String, String> disrupted = new LinkedHashMap<>();
        for (String p : disruptedPods) {
            disrupted.put(p, "2026-11-26T19:00:00Z");
        }
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString("100%")).withNewSelector()
                .withMatchLabels(Map.of(labelKey, labelValue)).endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(disruptionsAllowed).withDisruptedPods(disrupted).endStatus()
                .build();
    }

    static <T> List<T> list(T... items) {
        return List.of(items);
    }
}
