package dev.okube.admission.webhook;

import dev.okube.admission.webhook.Dispatch.Denied;
import dev.okube.admission.webhook.WebhookClient.Answer;
import dev.okube.admission.webhook.WebhookClient.CallException;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ValidatingAdmissionWebhook: calls every matching webhook of the ValidatingWebhookConfigurations in
 * parallel and fails the request if one denies it (or fails with failurePolicy Fail). When several
 * fail, upstream answers with whichever error arrived first; okube answers with the first in
 * configuration order, which is deterministic.
 *
 * <p>Enabled by the configuration {@value #PID} (the feature okube-admission-validatingadmissionwebhook
 * creates it).
 */
@Component(service = ValidatingAdmission.class, configurationPid = ValidatingWebhooks.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ValidatingWebhooks implements ValidatingAdmission {
    static final String PID = "dev.okube.admission.webhook.validating";
    static final String NAME = "ValidatingAdmissionWebhook";
    static final ResourceType TYPE = ResourceType.of("admissionregistration.k8s.io",
            "validatingwebhookconfigurations");
    private static final Logger LOG = LoggerFactory.getLogger(ValidatingWebhooks.class);

    private final ClusterResources resources;
    private final WebhookConfigurations configurations;
    private final WebhookClient client;
    private final ExecutorService executor;

    @Activate
    public ValidatingWebhooks(@Reference ClusterResources resources) {
        this.resources = resources;
        this.client = new WebhookClient(resources);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "okube-validating-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.configurations = new WebhookConfigurations(resources, TYPE, CelEnvironment.forWebhooks());
    }

    @Deactivate
    void deactivate() {
        configurations.close();
        executor.shutdownNow();
    }

    @Override
    public String name() {
        return NAME;
    }

    private record Outcome(AdmissionResponse failure, List<String> warnings) {
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        List<Webhook> hooks = configurations.webhooks();
        if (hooks.isEmpty()) {
            return AdmissionResponse.allow();
        }
        List<Future<Outcome>> calls = new ArrayList<>();
        try {
            for (Webhook hook : hooks) {
                if (Dispatch.shouldCall(hook, request, resources)) {
                    calls.add(executor.submit(() -> callOne(hook, request)));
                }
            }
        } catch (Denied d) {
            calls.forEach(f -> f.cancel(true));
            return d.response;
        }
        List<String> warnings = new ArrayList<>();
        AdmissionResponse failure = null;
        for (Future<Outcome> call : calls) {
            Outcome outcome;
            try {
                outcome = call.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Dispatch.internal("interrupted while waiting for validating webhooks");
            } catch (ExecutionException e) {
                outcome = new Outcome(Dispatch.internal(String.valueOf(e.getCause())), List.of());
            }
            warnings.addAll(outcome.warnings());
            if (failure == null && outcome.failure() != null) {
                failure = outcome.failure();
            }
        }
        return Dispatch.withWarnings(failure == null ? AdmissionResponse.allow() : failure, warnings);
    }

    private Outcome callOne(Webhook hook, AdmissionRequest request) {
        AdmissionResponse refusal = Dispatch.dryRunRefusal(hook, request);
        if (refusal != null) {
            return new Outcome(refusal, List.of());
        }
        Answer answer;
        try {
            answer = client.call(hook, request, false);
        } catch (CallException e) {
            String message = Dispatch.callFailed(hook, e.getMessage());
            if (hook.failOpen()) {
                LOG.warn("Failed calling webhook, failing open {}: {}", hook.name(), message);
                return new Outcome(null, List.of());
            }
            LOG.warn("Failed calling webhook, failing closed {}: {}", hook.name(), message);
            return new Outcome(Dispatch.internal(message), List.of());
        }
        if (!answer.allowed()) {
            return new Outcome(Dispatch.rejection(hook, answer.status()), answer.warnings());
        }
        return new Outcome(null, answer.warnings());
    }
}
