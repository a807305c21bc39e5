package dev.okube.apiserver.registry;

import dev.okube.api.admission.AdmissionRequest;
import java.util.function.Consumer;

/** The admission chain as the registry sees it: mutating plugins, then validating ones. */
public interface AdmissionChain {
    /** No plugins. */
    AdmissionChain NONE = new AdmissionChain() {
        @Override
        public void mutate(AdmissionRequest request, Consumer<String> warnings) {
        }

        @Override
        public void validate(AdmissionRequest request, Consumer<String> warnings) {
        }
    };

    /** Runs the mutating plugins in order; throws ApiException on the first denial. */
    void mutate(AdmissionRequest request, Consumer<String> warnings);

    /** Runs the validating plugins; throws ApiException on the first denial. */
    void validate(AdmissionRequest request, Consumer<String> warnings);
}
