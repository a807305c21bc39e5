package dev.okube.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Go-derived field table against the descriptors: complete for everything a kind can contain, and where names differ. */
class KubeSchemaTest {
    /** Messages JsonConverter writes by name, whose fields never reach the generic path. */
    private static final Set<String> SPECIAL = Set.of("k8s.io.apimachinery.pkg.apis.meta.v1.Time",
            "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1",
            "k8s.io.apimachinery.pkg.apis.meta.v1.Verbs", "k8s.io.apimachinery.pkg.runtime.RawExtension",
            "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.api.resource.QuantityValue",
            "k8s.io.apimachinery.pkg.util.intstr.IntOrString");

    private static Set<Descriptor> reachableFromKinds() {
        Set<Descriptor> seen = new HashSet<>();
        Deque<Descriptor> pending = new ArrayDeque<>();
        for (String kind : KubeSchema.get().kinds()) {
            int slash = kind.lastIndexOf('/');
            pending.add(KubeSchema.get().kind(kind.substring(0, slash), kind.substring(slash + 1)));
        }
        while (!pending.isEmpty()) {
            Descriptor d = pending.pop();
            if (!seen.add(d) || special(d)) {
                continue;
            }
            for (FieldDescriptor f : d.getFields()) {
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    pending.add(f.getMessageType());
                }
            }
        }
        seen.removeIf(d -> d.getOptions().getMapEntry() || special(d));
        return seen;
    }

    private static boolean special(Descriptor d) {
        return SPECIAL.contains(d.getFullName()) || d.getName().equals("ExtraValue")
                || d.getFullName().contains(".JSONSchemaPropsOr") || d.getFullName().endsWith("apiextensions.v1.JSON");
    }

    @Test
    void everyFieldAKindCanHoldIsDescribedByTheGoSources() {
        Set<String> undescribed = new TreeSet<>();
        for (Descriptor d : reachableFromKinds()) {
            for (FieldDescriptor f : d.getFields()) {
                if (!KubeSchema.get().field(f).known()) {
                    undescribed.add(d.getFullName() + "." + f.getName());
                }
            }
        }
        // core/v1 List is `type List metav1.List` in Go, so its tags live on another type; proto names and presence fit it.
        assertEquals(Set.of("k8s.io.api.core.v1.List.items", "k8s.io.api.core.v1.List.metadata"), undescribed);
    }

    /** Where lowerCamel proto names would be wrong: the JSON tags these fields carry in Go. */
    @Test
    void protoNamesThatAreNotTheJsonNames() {
        Set<String> differ = new TreeSet<>();
        for (Descriptor d : reachableFromKinds()) {
            for (FieldDescriptor f : d.getFields()) {
                KubeSchema.Field json = KubeSchema.get().field(f);
                if (!json.inline() && !json.json().equals(f.getName())) {
                    differ.add(d.getName() + "." + f.getName() + "=" + json.json());
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of(
                "MutatingWebhookConfiguration.Webhooks=webhooks", "ValidatingWebhookConfiguration.Webhooks=webhooks",
                "Validation.Expression=expression", "Variable.Name=name", "Variable.Expression=expression",
                "BoundObjectReference.uID=uid", "IngressClassParametersReference.aPIGroup=apiGroup",
                "JSONSchemaProps.schema=$schema", "JSONSchemaProps.ref=$ref",
                "JSONSchemaProps.xKubernetesPreserveUnknownFields=x-kubernetes-preserve-unknown-fields",
                "JSONSchemaProps.xKubernetesEmbeddedResource=x-kubernetes-embedded-resource",
                "JSONSchemaProps.xKubernetesIntOrString=x-kubernetes-int-or-string",
                "JSONSchemaProps.xKubernetesListMapKeys=x-kubernetes-list-map-keys",
                "JSONSchemaProps.xKubernetesListType=x-kubernetes-list-type",
                "JSONSchemaProps.xKubernetesMapType=x-kubernetes-map-type",
                "JSONSchemaProps.xKubernetesValidations=x-kubernetes-validations")), differ);
    }
}
