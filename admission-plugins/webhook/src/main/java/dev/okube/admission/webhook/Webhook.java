package dev.okube.admission.webhook;

import dev.okube.api.resources.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One webhook of a Mutating- or ValidatingWebhookConfiguration, parsed once when the configuration
 * is seen. Selectors that do not parse are kept as the error, reported when a request would use them
 * (as upstream, which fails such requests with an internal error).
 *
 * @param uid  the configuration name and the webhook's index: identifies it for reinvocation
 */
record Webhook(String uid, String configurationName, String name, JsonNode clientConfig, JsonNode rules,
        boolean failOpen, JsonNode namespaceSelectorSource, JsonNode objectSelectorSource, String sideEffects,
        int timeoutSeconds, List<String> admissionReviewVersions, boolean reinvokeIfNeeded,
        List<MatchCondition> matchConditions) {

    /** A matchConditions entry, compiled (or with its compile error). */
    record MatchCondition(String name, CelEnvironment.Expression expression) {
    }

    /** Upstream's maximum and default for timeoutSeconds. */
    static final int MAX_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_TIMEOUT_SECONDS = 10;

    static List<Webhook> of(JsonNode configuration, CelEnvironment cel) {
        String configName = configuration.path("metadata").path("name").asString("");
        List<Webhook> hooks = new ArrayList<>();
        int i = 0;
        for (JsonNode h : configuration.path("webhooks")) {
            List<String> versions = new ArrayList<>();
            for (JsonNode v : h.path("admissionReviewVersions")) {
                versions.add(v.asString(""));
            }
            int timeout = h.path("timeoutSeconds").asInt(DEFAULT_TIMEOUT_SECONDS);
            if (timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
                timeout = Math.max(1, Math.min(timeout, MAX_TIMEOUT_SECONDS));
            }
            JsonNode sideEffects = h.get("sideEffects");
            List<MatchCondition> conditions = new ArrayList<>();
            for (JsonNode c : h.path("matchConditions")) {
                conditions.add(new MatchCondition(c.path("name").asString(""),
                        cel.compile(c.path("expression").asString(""))));
            }
            hooks.add(new Webhook(configName + "/" + i, configName, h.path("name").asString(""),
                    h.path("clientConfig"), h.path("rules"),
                    h.path("failurePolicy").asString("Fail").equals("Ignore"),
                    h.get("namespaceSelector"), h.get("objectSelector"),
                    sideEffects == null || sideEffects.isNull() ? null : sideEffects.asString(""), timeout,
                    List.copyOf(versions), h.path("reinvocationPolicy").asString("Never").equals("IfNeeded"),
                    List.copyOf(conditions)));
            i++;
        }
        return hooks;
    }

    LabelSelector namespaceSelector() {
        return LabelSelector.parse(namespaceSelectorSource);
    }

    LabelSelector objectSelector() {
        return LabelSelector.parse(objectSelectorSource);
    }
}
