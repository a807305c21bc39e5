package dev.okube.admission.defaulttolerationseconds;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's DefaultTolerationSeconds: every pod that does not already tolerate the
 * {@code node.kubernetes.io/not-ready} and {@code node.kubernetes.io/unreachable} NoExecute taints gets
 * a toleration for each, for a limited time (300 s by default), so its node's failure evicts it after
 * that time rather than at once.
 */
@Component(service = MutatingAdmission.class, configurationPid = DefaultTolerationSeconds.PID)
@Designate(ocd = DefaultTolerationSeconds.Config.class)
public final class DefaultTolerationSeconds implements MutatingAdmission {
    static final String PID = "dev.okube.admission.defaulttolerationseconds";
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String NO_EXECUTE = "NoExecute";

    @ObjectClassDefinition(name = "okube admission: DefaultTolerationSeconds",
            description = "Tolerations added to pods for not-ready and unreachable nodes.")
    public @interface Config {
        @AttributeDefinition(description = "tolerationSeconds of the toleration for node.kubernetes.io/not-ready:"
                + "NoExecute added to every pod that does not already have such a toleration "
                + "(upstream's --default-not-ready-toleration-seconds).")
        long notReadyTolerationSeconds() default 300;

        @AttributeDefinition(description = "tolerationSeconds of the toleration for node.kubernetes.io/unreachable:"
                + "NoExecute added to every pod that does not already have such a toleration "
                + "(upstream's --default-unreachable-toleration-seconds).")
        long unreachableTolerationSeconds() default 300;
    }

    private record Seconds(long notReady, long unreachable) {
    }

    // Replaced as a whole on reconfiguration: a request sees either the old or the new pair.
    private volatile Seconds seconds;

    @Activate
    public DefaultTolerationSeconds(Config config) {
        this(config.notReadyTolerationSeconds(), config.unreachableTolerationSeconds());
    }

    DefaultTolerationSeconds(long notReadySeconds, long unreachableSeconds) {
        this.seconds = checked(notReadySeconds, unreachableSeconds);
    }

    @Modified
    void modified(Config config) {
        this.seconds = checked(config.notReadyTolerationSeconds(), config.unreachableTolerationSeconds());
    }

    private static Seconds checked(long notReady, long unreachable) {
        if (notReady < 0 || unreachable < 0) {
            throw new IllegalArgumentException("toleration seconds must not be negative: notReady=" + notReady
                    + ", unreachable=" + unreachable);
        }
        return new Seconds(notReady, unreachable);
    }

    @Override
    public String name() {
        return "DefaultTolerationSeconds";
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        AdmissionRequest.Operation operation = request.operation();
        if (operation != AdmissionRequest.Operation.CREATE && operation != AdmissionRequest.Operation.UPDATE) {
            return AdmissionResponse.allow();
        }
        if (!"pods".equals(request.resource()) || !empty(request.group()) || !empty(request.subresource())) {
            return AdmissionResponse.allow();
        }
        ObjectNode pod = request.object();
        if (pod == null || !"Pod".equals(pod.path("kind").asString("Pod"))) {
            return AdmissionResponse.deny(400, "BadRequest", "expected *api.Pod but got "
                    + (pod == null ? "<nil>" : pod.path("kind").asString("")));
        }
        boolean toleratesNotReady = false;
        boolean toleratesUnreachable = false;
        for (JsonNode toleration : pod.path("spec").path("tolerations")) {
            String key = toleration.path("key").asString("");
            String effect = toleration.path("effect").asString("");
            boolean noExecute = effect.isEmpty() || effect.equals(NO_EXECUTE);
            if (noExecute && (key.isEmpty() || key.equals(NOT_READY))) {
                toleratesNotReady = true;
            }
            if (noExecute && (key.isEmpty() || key.equals(UNREACHABLE))) {
                toleratesUnreachable = true;
            }
        }
        if (toleratesNotReady && toleratesUnreachable) {
            return AdmissionResponse.allow();
        }
        Seconds current = seconds;
        ObjectNode spec = pod.withObjectProperty("spec");
        ArrayNode tolerations = spec.path("tolerations").isArray() ? (ArrayNode) spec.get("tolerations")
                : spec.putArray("tolerations");
        if (!toleratesNotReady) {
            add(tolerations, NOT_READY, current.notReady());
        }
        if (!toleratesUnreachable) {
            add(tolerations, UNREACHABLE, current.unreachable());
        }
        return AdmissionResponse.allow();
    }

    private static void add(ArrayNode tolerations, String key, long seconds) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", NO_EXECUTE)
                .put("tolerationSeconds", seconds);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
