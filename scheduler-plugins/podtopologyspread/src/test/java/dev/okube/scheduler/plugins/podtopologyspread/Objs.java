package dev.okube.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Terse builders for test pods and nodes, in the spirit of upstream's st.MakePod()/st.MakeNode(). */
final class Objs {
    private Objs() {
    }

    static LabelSelector exists(String key) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator("Exists").endMatchExpression()
                .build();
    }

    static LabelSelector matchLabels(String k, String v) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(k, v)).build();
    }

    static final class P {
        final PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("uid-p")
                .endMetadata().withNewSpec().endSpec();
        private final Map<String, String> labels = new LinkedHashMap<>();

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

        P terminating() {
            b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata();
            return this;
        }

        P nodeSelector(String k, String v) {
            b.editSpec().addToNodeSelector(k, v).endSpec();
            return this;
        }

        P toleration(String key, String effect) {
            b.editSpec().addNewToleration().withKey(key).withOperator("Exists").withEffect(effect).endToleration().endSpec();
            return this;
        }

        P owner(String apiVersion, String kind, String name) {
            b.editMetadata().addNewOwnerReference().withApiVersion(apiVersion).withKind(kind).withName(name)
                    .withUid("uid-" + name).withController(true).endOwnerReference().endMetadata();
            return this;
        }

        P spread(int maxSkew, String key, String action, LabelSelector selector) {
            return spread(new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(key)
                    .withWhenUnsatisfiable(action).withLabelSelector(selector));
        }

        P spread(TopologySpreadConstraintBuilder c) {
            b.editSpec().addToTopologySpreadConstraints(c.build()).endSpec();
            return this;
        }

        Pod obj() {
            if (!labels.isEmpty()) {
                b.editMetadata().withLabels(labels).endMetadata();
            }
            return b.build();
        }
    }

    static P pod(String name) {
        return new P().name(name);
    }

    static Node node(String name, String... labels) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
        Map<String, String> l = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return b.editMetadata().withLabels(l).endMetadata().build();
    }

    static Node tainted(Node n, String key, String effect) {
        return new NodeBuilder(n).editSpec().withTaints(List.of(new TaintBuilder().withKey(key).withEffect(effect).build()))
                .endSpec().build();
    }
}
