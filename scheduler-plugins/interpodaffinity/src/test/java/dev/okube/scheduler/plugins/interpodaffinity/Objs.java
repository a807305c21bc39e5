package dev.okube.scheduler.plugins.interpodaffinity;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Terse builders for test pods and nodes, in the spirit of upstream's st.MakePod()/st.MakeNode(). */
final class Objs {
    private Objs() {
    }

    static LabelSelector sel(String key, String op, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(op).withValues(values)
                .endMatchExpression().build();
    }

    static LabelSelector in(String key, String... values) {
        return sel(key, "In", values);
    }

    static PodAffinityTerm term(String topologyKey, LabelSelector selector) {
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector).build();
    }

    static PodAffinityTerm term(String topologyKey, LabelSelector selector, List<String> namespaces, LabelSelector nsSelector) {
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector)
                .withNamespaces(namespaces).withNamespaceSelector(nsSelector).build();
    }

    static Namespace namespace(String name, String... labels) {
        Map<String, String> l = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(l).endMetadata().build();
    }

    static final class P {
        final PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("uid-p")
                .endMetadata().withNewSpec().endSpec();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<PodAffinityTerm> affinity = new ArrayList<>();
        private final List<PodAffinityTerm> anti = new ArrayList<>();
        private final List<WeightedPodAffinityTerm> prefAffinity = new ArrayList<>();
        private final List<WeightedPodAffinityTerm> prefAnti = new ArrayList<>();

        P name(String n) {
            b.editMetadata().withName(n).withUid("uid-" + n).endMetadata();
            return this;
        }

        P ns(String ns) {
            b.editMetadata().withNamespace(ns).endMetadata();
            return this;
        }

        P label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        P node(String n) {
            b.editSpec().withNodeName(n).endSpec();
            return this;
        }

        P affinity(PodAffinityTerm... t) {
            affinity.addAll(List.of(t));
            return this;
        }

        P anti(PodAffinityTerm... t) {
            anti.addAll(List.of(t));
            return this;
        }

        P preferAffinity(int weight, PodAffinityTerm t) {
            prefAffinity.add(new WeightedPodAffinityTerm(t, weight));
            return this;
        }

        P preferAnti(int weight, PodAffinityTerm t) {
            prefAnti.add(new WeightedPodAffinityTerm(t, weight));
            return this;
        }

        Pod obj() {
            if (!labels.isEmpty()) {
                b.editMetadata().withLabels(labels).endMetadata();
            }
            if (!affinity.isEmpty() || !anti.isEmpty() || !prefAffinity.isEmpty() || !prefAnti.isEmpty()) {
                AffinityBuilder a = new AffinityBuilder();
                if (!affinity.isEmpty() || !prefAffinity.isEmpty()) {
                    a.withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(affinity)
                            .withPreferredDuringSchedulingIgnoredDuringExecution(prefAffinity).endPodAffinity();
                }
                if (!anti.isEmpty() || !prefAnti.isEmpty()) {
                    a.withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(anti)
                            .withPreferredDuringSchedulingIgnoredDuringExecution(prefAnti).endPodAntiAffinity();
                }
                b.editSpec().withAffinity(a.build()).endSpec();
            }
            return b.build();
        }
    }

    static P pod(String name) {
        return new P().name(name);
    }

    static Node node(String name, String... labels) {
        Map<String, String> l = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(l).endMetadata().withNewSpec().endSpec().build();
    }
}
