package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Toleration matching, as upstream's v1helper.TolerationsTolerateTaint and Toleration.ToleratesTaint. */
public final class Tolerations {
    private Tolerations() {
    }

    /** Whether {@code toleration} tolerates {@code taint}: same effect (or any), and key/operator/value match. */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String op = toleration.getOperator();
        if (op == null || op.isEmpty() || "Equal".equals(op)) {
            return Objects.equals(emptyIfNull(toleration.getValue()), emptyIfNull(taint.getValue()));
        }
        return "Exists".equals(op);
    }

    public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration t : tolerations) {
            if (tolerates(t, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first taint accepted by {@code filter} that no toleration tolerates, or null. */
    public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
        if (taints == null) {
            return null;
        }
        for (Taint taint : taints) {
            if (filter.test(taint) && !tolerated(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    private static String emptyIfNull(String s) {
        return s == null ? "" : s;
    }
}
