package dev.okube.apiserver;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.apiserver.registry.AdmissionChain;
import dev.okube.apiserver.rest.ApiException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The admission chain over the plugins registered right now (a whiteboard: plugins come and go
 * with their bundles). Each request sees the list as it is when the request starts its step. A
 * plugin that throws fails the request with a Status naming it; it never takes the API down.
 */
final class AdmissionPlugins implements AdmissionChain {
    private final List<MutatingAdmission> mutating = new CopyOnWriteArrayList<>();
    private final List<ValidatingAdmission> validating = new CopyOnWriteArrayList<>();

    void add(MutatingAdmission plugin) {
        mutating.add(plugin);
    }

    void remove(MutatingAdmission plugin) {
        mutating.remove(plugin);
    }

    void add(ValidatingAdmission plugin) {
        validating.add(plugin);
    }

    void remove(ValidatingAdmission plugin) {
        validating.remove(plugin);
    }

    @Override
    public void mutate(AdmissionRequest request) {
        for (MutatingAdmission plugin : mutating) {
            check(plugin.name(), request, plugin::admit);
        }
    }

    @Override
    public void validate(AdmissionRequest request) {
        for (ValidatingAdmission plugin : validating) {
            check(plugin.name(), request, plugin::validate);
        }
    }

    private static void check(String name, AdmissionRequest request, Function<AdmissionRequest, AdmissionResponse> call) {
        AdmissionResponse response;
        try {
            response = call.apply(request);
        } catch (RuntimeException e) {
            throw ApiException.internal("admission plugin \"" + name + "\" failed: " + e);
        }
        if (response != null && !response.allowed()) {
            throw new ApiException(response.code(), response.reason(), response.message());
        }
    }
}
