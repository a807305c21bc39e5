package dev.okube.scheduler;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * The assumed copy of a pod (spec.nodeName set) without fabric8's deep builder copy, which costs more
 * than a whole scheduling cycle: a new Pod and PodSpec sharing every other field value with the informer's
 * pod, which nobody changes.
 */
final class PodCopies {
    private static final Field[] SPEC_FIELDS = fields(PodSpec.class);

    private PodCopies() {
    }

    private static Field[] fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        try {
            for (Field f : type.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
            return out.toArray(Field[]::new);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Pod withNodeName(Pod pod, String nodeName) {
        if (SPEC_FIELDS == null || pod.getSpec() == null) {
            return new PodBuilder(pod).editOrNewSpec().withNodeName(nodeName).endSpec().build();
        }
        try {
            PodSpec spec = new PodSpec();
            for (Field f : SPEC_FIELDS) {
                f.set(spec, f.get(pod.getSpec()));
            }
            spec.setNodeName(nodeName);
            Pod copy = new Pod();
            copy.setApiVersion(pod.getApiVersion());
            copy.setKind(pod.getKind());
            copy.setMetadata(pod.getMetadata());
            copy.setStatus(pod.getStatus());
            copy.setSpec(spec);
            return copy;
        } catch (IllegalAccessException e) {
            return new PodBuilder(pod).editOrNewSpec().withNodeName(nodeName).endSpec().build();
        }
    }
}
