package dev.okube.admission.webhook;

import dev.okube.admission.webhook.Dispatch.Denied;
import dev.okube.admission.webhook.WebhookClient.Answer;
import dev.okube.admission.webhook.WebhookClient.CallException;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MutatingAdmissionWebhook: calls the webhooks of every MutatingWebhookConfiguration that match the
 * request, one after the other in order (configurations by name), applying each JSONPatch to the
 * object before calling the next.
 *
 * <p>Reinvocation: upstream reruns the whole mutating chain once when a plugin changed the object and
 * then calls again the webhooks with {@code reinvocationPolicy: IfNeeded} that ran before the change.
 * The okube SPI has no chain-level reinvocation, so this plugin does it among webhooks: when a webhook
 * changes the object, the IfNeeded webhooks called before it are called once more, in order, after
 * the first round. Changes made by other in-process plugins after this one are not seen.
 *
 * <p>Enabled by the configuration {@value #PID} (the feature okube-admission-mutatingadmissionwebhook
 * creates it), so that the one bundle can serve either plugin alone.
 */
@Component(service = MutatingAdmission.class, configurationPid = MutatingWebhooks.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class MutatingWebhooks implements MutatingAdmission {
    static final String PID = "dev.okube.admission.webhook.mutating";
    static final String NAME = "MutatingAdmissionWebhook";
    static final ResourceType TYPE = ResourceType.of("admissionregistration.k8s.io", "mutatingwebhookconfigurations");
    private static final Logger LOG = LoggerFactory.getLogger(MutatingWebhooks.class);

    private final ClusterResources resources;
    private final WebhookConfigurations configurations;
    private final WebhookClient client;

    @Activate
    public MutatingWebhooks(@Reference ClusterResources resources) {
        this.resources = resources;
        this.client = new WebhookClient(resources);
        this.configurations = new WebhookConfigurations(resources, TYPE, CelEnvironment.forWebhooks());
    }

    @Deactivate
    void deactivate() {
        configurations.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        List<Webhook> hooks = configurations.webhooks();
        if (hooks.isEmpty()) {
            return AdmissionResponse.allow();
        }
        List<String> warnings = new ArrayList<>();
        Set<String> invokedReinvocable = new HashSet<>();
        Set<String> reinvoke = new HashSet<>();
        try {
            for (Webhook hook : hooks) {
                if (!Dispatch.shouldCall(hook, request, resources)) {
                    continue;
                }
                boolean changed = callOne(hook, request, warnings);
                if (changed) {
                    reinvoke.addAll(invokedReinvocable);
                }
                if (hook.reinvokeIfNeeded()) {
                    invokedReinvocable.add(hook.uid());
                }
            }
            if (!reinvoke.isEmpty()) {
                for (Webhook hook : hooks) {
                    if (reinvoke.contains(hook.uid()) && Dispatch.shouldCall(hook, request, resources)) {
                        callOne(hook, request, warnings);
                    }
                }
            }
        } catch (Denied d) {
            return Dispatch.withWarnings(d.response, warnings);
        }
        return Dispatch.withWarnings(AdmissionResponse.allow(), warnings);
    }

    /** Calls one webhook and applies its patch; true when the object changed. */
    private boolean callOne(Webhook hook, AdmissionRequest request, List<String> warnings) throws Denied {
        AdmissionResponse refusal = Dispatch.dryRunRefusal(hook, request);
        if (refusal != null) {
            throw new Denied(refusal);
        }
        Answer answer;
        try {
            answer = client.call(hook, request, true);
        } catch (CallException e) {
            String message = Dispatch.callFailed(hook, e.getMessage());
            if (hook.failOpen()) {
                LOG.warn("Failed calling webhook, failing open {}: {}", hook.name(), message);
                return false;
            }
            LOG.warn("Failed calling webhook, failing closed {}: {}", hook.name(), message);
            throw new Denied(Dispatch.internal(message));
        }
        warnings.addAll(answer.warnings());
        if (!answer.allowed()) {
            throw new Denied(Dispatch.rejection(hook, answer.status()));
        }
        if (answer.patch() == null || answer.patch().isEmpty()) {
            return false;
        }
        ObjectNode object = request.object();
        if (object == null) {
            throw new Denied(Dispatch.internal("admission webhook \"" + hook.name()
                    + "\" attempted to modify the object, which is not supported for this operation"));
        }
        JsonNode patched;
        try {
            patched = JsonPatch.decode(answer.patch()).apply(object);
        } catch (JsonPatch.PatchException e) {
            throw new Denied(Dispatch.internal(e.getMessage()));
        }
        if (!(patched instanceof ObjectNode patchedObject)) {
            throw new Denied(Dispatch.internal("admission webhook \"" + hook.name()
                    + "\" patched the object into something that is not an object"));
        }
        if (patchedObject.equals(object)) {
            return false;
        }
        object.removeAll();
        object.setAll(patchedObject);
        return true;
    }
}
