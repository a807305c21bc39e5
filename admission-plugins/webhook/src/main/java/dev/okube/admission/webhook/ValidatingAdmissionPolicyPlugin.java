package dev.okube.admission.webhook;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.okube.admission.webhook.CelEnvironment.Expression;
import dev.okube.admission.webhook.Policy.Binding;
import dev.okube.admission.webhook.Policy.Named;
import dev.okube.admission.webhook.Policy.Validation;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.LabelSelector;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * ValidatingAdmissionPolicy: every ValidatingAdmissionPolicy whose matchConstraints match a request
 * is evaluated once per binding that matches (and once per param object the binding selects); a
 * failed validation denies the request, warns or is audited according to the binding's
 * validationActions, with upstream's messages. Policies and bindings come from watches; their CEL is
 * compiled when they change, and a policy with an expression that does not compile is refused at
 * create and update, as upstream's API validation does.
 *
 * <p>Not there yet: the {@code authorizer} variable, auditAnnotations and the Audit action's audit
 * events (okube has no audit log; Audit is logged), status.typeChecking (no schemas to check against).
 *
 * <p>Lives in the webhook bundle to share its rule matching and CEL runtime. Enabled by the
 * configuration {@value #PID} (the feature okube-admission-validatingadmissionpolicy creates it).
 */
@Component(service = ValidatingAdmission.class, configurationPid = ValidatingAdmissionPolicyPlugin.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ValidatingAdmissionPolicyPlugin implements ValidatingAdmission {
    static final String PID = "dev.okube.admission.webhook.validatingadmissionpolicy";
    static final String NAME = "ValidatingAdmissionPolicy";
    static final String GROUP = "admissionregistration.k8s.io";
    static final ResourceType POLICIES = ResourceType.of(GROUP, "validatingadmissionpolicies");
    static final ResourceType BINDINGS = ResourceType.of(GROUP, "validatingadmissionpolicybindings");
    static final ResourceType NAMESPACES = ResourceType.core("namespaces");
    private static final Set<String> EXEMPT = Set.of("validatingwebhookconfigurations",
            "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies", "mutatingadmissionpolicybindings");
    private static final int MAX_MESSAGE_BYTES = 5 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ValidatingAdmissionPolicyPlugin.class);

    private final ClusterResources resources;
    private final CelEnvironment cel = CelEnvironment.forPolicies();
    private final Map<String, Policy> policies = new TreeMap<>();
    private final Map<String, Binding> bindings = new TreeMap<>();
    private volatile List<PolicyBindings> snapshot = List.of();
    private final AutoCloseable policyWatch;
    private final AutoCloseable bindingWatch;

    private record PolicyBindings(Policy policy, List<Binding> bindings) {
    }

    /** A failed validation (or a configuration error under failurePolicy Fail), before actions apply. */
    private record Decision(Policy policy, Binding binding, String message, String reason) {
    }

    @Activate
    public ValidatingAdmissionPolicyPlugin(@Reference ClusterResources resources) {
        this.resources = resources;
        this.policyWatch = resources.watch(POLICIES, this::onPolicy);
        this.bindingWatch = resources.watch(BINDINGS, this::onBinding);
    }

    @Deactivate
    void deactivate() {
        for (AutoCloseable watch : List.of(policyWatch, bindingWatch)) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.warn("closing a watch failed", e);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    private synchronized void onPolicy(ResourceEvent event) {
        String name = event.object().path("metadata").path("name").asString("");
        if (event.type() == ResourceEvent.Type.DELETED) {
            policies.remove(name);
        } else {
            policies.put(name, Policy.of(event.object(), cel));
        }
        rebuild();
    }

    private synchronized void onBinding(ResourceEvent event) {
        String name = event.object().path("metadata").path("name").asString("");
        if (event.type() == ResourceEvent.Type.DELETED) {
            bindings.remove(name);
        } else {
            bindings.put(name, Binding.of(event.object()));
        }
        rebuild();
    }

    private void rebuild() {
        List<PolicyBindings> all = new ArrayList<>();
        for (Policy p : policies.values()) {
            List<Binding> bound = new ArrayList<>();
            for (Binding b : bindings.values()) {
                if (b.policyName().equals(p.name())) {
                    bound.add(b);
                }
            }
            if (!bound.isEmpty()) {
                all.add(new PolicyBindings(p, List.copyOf(bound)));
            }
        }
        snapshot = List.copyOf(all);
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        if (request.group().equals(GROUP) && EXEMPT.contains(request.resource())) {
            return validatePolicyObject(request);
        }
        List<PolicyBindings> current = snapshot;
        if (current.isEmpty()) {
            return AdmissionResponse.allow();
        }
        List<Decision> denied = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Object namespaceObject = null;
        boolean namespaceLoaded = false;
        for (PolicyBindings pb : current) {
            Policy policy = pb.policy();
            try {
                if (policy.matchConstraints() == null || !Matching.matches(policy.matchConstraints(), request, resources)) {
                    continue;
                }
            } catch (Matching.ConfigurationError e) {
                configError(denied, policy, null, e.getMessage());
                continue;
            }
            for (Binding binding : pb.bindings()) {
                try {
                    if (binding.matchResources() != null
                            && !Matching.matches(binding.matchResources(), request, resources)) {
                        continue;
                    }
                } catch (Matching.ConfigurationError e) {
                    configError(denied, policy, binding, e.getMessage());
                    continue;
                }
                List<Object> params;
                try {
                    params = params(policy, binding, request);
                } catch (Matching.ConfigurationError e) {
                    configError(denied, policy, binding, e.getMessage());
                    continue;
                }
                if (params.isEmpty()) {
                    continue;
                }
                if (!namespaceLoaded) {
                    namespaceObject = namespaceObject(request);
                    namespaceLoaded = true;
                }
                for (Object param : params) {
                    for (Decision d : evaluate(policy, binding, request, param, namespaceObject)) {
                        for (String action : binding.actions()) {
                            switch (action) {
                                case "Deny" -> denied.add(d);
                                case "Warn" -> warnings.add("Validation failed for ValidatingAdmissionPolicy '"
                                        + policy.name() + "' with binding '" + binding.name() + "': " + d.message());
                                case "Audit" -> LOG.info("ValidatingAdmissionPolicy '{}' with binding '{}' audit: {}",
                                        policy.name(), binding.name(), d.message());
                                default -> LOG.warn("binding '{}' has an unknown validation action '{}'",
                                        binding.name(), action);
                            }
                        }
                    }
                }
            }
        }
        AdmissionResponse response = AdmissionResponse.allow();
        if (!denied.isEmpty()) {
            Decision d = denied.get(0);
            String message = d.binding() == null
                    ? "ValidatingAdmissionPolicy '" + d.policy().name() + "' denied request: " + d.message()
                    : "ValidatingAdmissionPolicy '" + d.policy().name() + "' with binding '" + d.binding().name()
                            + "' denied request: " + d.message();
            String reason = d.reason() == null || d.reason().isEmpty() ? "Invalid" : d.reason();
            response = AdmissionResponse.deny(code(reason), reason, message);
        }
        for (String w : warnings) {
            response = response.withWarning(w);
        }
        return response;
    }

    private static void configError(List<Decision> denied, Policy policy, Binding binding, String error) {
        if (policy.failOpen()) {
            LOG.warn("ValidatingAdmissionPolicy '{}': {} (failurePolicy Ignore)", policy.name(), error);
            return;
        }
        String message = (binding == null ? "failed to configure policy: " : "failed to configure binding: ") + error;
        denied.add(new Decision(policy, binding, message, "Invalid"));
    }

    /** upstream's reasonToCode. */
    static int code(String reason) {
        return switch (reason) {
            case "Forbidden" -> 403;
            case "Unauthorized" -> 401;
            case "RequestEntityTooLarge" -> 413;
            default -> 422;
        };
    }

    /**
     * The params a binding selects (upstream's CollectParams): [null] when the policy has no
     * paramKind; else the named object or every object matching the selector, in the paramRef's
     * namespace or, when that is empty, the request's namespace. Empty with
     * parameterNotFoundAction Allow (the default) means the binding does not apply.
     */
    private List<Object> params(Policy policy, Binding binding, AdmissionRequest request)
            throws Matching.ConfigurationError {
        List<Object> none = new ArrayList<>();
        if (!policy.hasParams()) {
            none.add(NullValue.NULL_VALUE);
            return none;
        }
        JsonNode ref = binding.paramRef();
        if (ref == null) {
            throw new Matching.ConfigurationError("paramKind is set on the policy but the binding has no paramRef");
        }
        ResourceType type = paramType(policy);
        if (!resources.serves(type)) {
            throw new Matching.ConfigurationError("failed to find resource referenced by paramKind: '"
                    + policy.paramApiVersion() + ", Kind=" + policy.paramKind() + "'");
        }
        String name = ref.path("name").asString("");
        String namespace = ref.path("namespace").asString("");
        String requestNamespace = request.namespace() == null ? "" : request.namespace();
        List<JsonNode> found = new ArrayList<>();
        if (!name.isEmpty()) {
            Optional<ObjectNode> param = Optional.empty();
            if (!namespace.isEmpty()) {
                param = resources.get(type, namespace, name);
            } else {
                if (!requestNamespace.isEmpty()) {
                    param = resources.get(type, requestNamespace, name);
                }
                if (param.isEmpty()) {
                    // a cluster-scoped param kind (okube's SPI does not tell the scope of a kind)
                    param = resources.get(type, "", name);
                }
            }
            param.ifPresent(found::add);
        } else {
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(ref.get("selector"));
            } catch (IllegalArgumentException e) {
                throw new Matching.ConfigurationError("invalid paramRef.selector: " + e.getMessage());
            }
            String where = namespace.isEmpty() ? requestNamespace : namespace;
            for (ObjectNode candidate : resources.list(type, where)) {
                if (selector.matches(LabelSelector.labelsOf(candidate))) {
                    found.add(candidate);
                }
            }
        }
        if (found.isEmpty()) {
            if (ref.path("parameterNotFoundAction").asString("Allow").equals("Deny")) {
                throw new Matching.ConfigurationError(
                        "no params found for policy binding with `Deny` parameterNotFoundAction");
            }
            return none;
        }
        List<Object> params = new ArrayList<>();
        for (JsonNode p : found) {
            ObjectNode typed = (ObjectNode) p.deepCopy();
            typed.put("apiVersion", policy.paramApiVersion());
            typed.put("kind", policy.paramKind());
            params.add(CelEnvironment.value(typed));
        }
        return params;
    }

    /**
     * The resource of a paramKind. okube's SPI maps no kind to its resource, so this uses the plural
     * rules kubectl falls back on (ConfigMap → configmaps, Policy → policies, Ingress → ingresses).
     */
    static ResourceType paramType(Policy policy) {
        String apiVersion = policy.paramApiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String kind = policy.paramKind().toLowerCase(Locale.ROOT);
        String plural;
        if (kind.endsWith("s") || kind.endsWith("x") || kind.endsWith("ch") || kind.endsWith("sh")) {
            plural = kind + "es";
        } else if (kind.endsWith("y") && kind.length() > 1 && "aeiou".indexOf(kind.charAt(kind.length() - 2)) < 0) {
            plural = kind.substring(0, kind.length() - 1) + "ies";
        } else {
            plural = kind + "s";
        }
        return ResourceType.of(group, plural);
    }

    private Object namespaceObject(AdmissionRequest request) {
        String namespace = request.namespace() == null ? "" : request.namespace();
        if (namespace.isEmpty() || (request.group().isEmpty() && request.resource().equals("namespaces"))) {
            return NullValue.NULL_VALUE;
        }
        return resources.get(NAMESPACES, "", namespace).<Object>map(CelEnvironment::value).orElse(NullValue.NULL_VALUE);
    }

    /** The failed validations of one policy, binding and param (upstream's validator.Validate). */
    private List<Decision> evaluate(Policy policy, Binding binding, AdmissionRequest request, Object param,
            Object namespaceObject) {
        Map<String, Object> input = new HashMap<>();
        input.put("object", request.object() == null ? NullValue.NULL_VALUE : CelEnvironment.value(request.object()));
        input.put("oldObject", request.oldObject() == null ? NullValue.NULL_VALUE
                : CelEnvironment.value(request.oldObject()));
        input.put("request", requestValue(request));
        input.put("params", param);
        input.put("namespaceObject", namespaceObject);
        Map<String, Object> variables = new LinkedHashMap<>();
        input.put("variables", variables);
        List<Decision> decisions = new ArrayList<>();

        for (Named condition : policy.matchConditions()) {
            Object result;
            try {
                result = run(condition.expression(), input);
            } catch (EvalError e) {
                if (!policy.failOpen()) {
                    decisions.add(new Decision(policy, binding, "failed to evaluate match condition '"
                            + condition.name() + "': " + e.getMessage(), "Invalid"));
                }
                return decisions;
            }
            if (!Boolean.TRUE.equals(result)) {
                return decisions;
            }
        }
        for (Named variable : policy.variables()) {
            // Evaluated in order, so later variables and all validations see earlier ones; one that
            // fails is left out and the expressions using it fail with a missing key.
            try {
                variables.put(variable.name(), run(variable.expression(), input));
            } catch (EvalError e) {
                LOG.debug("variable {} of policy {}: {}", variable.name(), policy.name(), e.getMessage());
            }
        }
        for (Validation v : policy.validations()) {
            Object result;
            try {
                result = run(v.expression(), input);
            } catch (EvalError e) {
                if (!policy.failOpen()) {
                    decisions.add(new Decision(policy, binding, e.getMessage(), "Invalid"));
                }
                continue;
            }
            if (Boolean.TRUE.equals(result)) {
                continue;
            }
            String message = "";
            if (v.messageExpression() != null) {
                try {
                    Object m = run(v.messageExpression(), input);
                    if (m instanceof String s) {
                        s = s.trim();
                        if (s.length() <= MAX_MESSAGE_BYTES && !s.contains("\n")) {
                            message = s;
                        }
                    }
                } catch (EvalError e) {
                    LOG.debug("messageExpression of policy {}: {}", policy.name(), e.getMessage());
                }
            }
            if (message.isEmpty()) {
                message = v.message().trim();
            }
            if (message.isEmpty()) {
                message = "failed expression: " + v.expression().source().trim();
            }
            decisions.add(new Decision(policy, binding, message, v.reason().isEmpty() ? "Invalid" : v.reason()));
        }
        return decisions;
    }

    private static final class EvalError extends Exception {
        private static final long serialVersionUID = 1L;

        EvalError(String message) {
            super(message);
        }
    }

    private static Object run(Expression e, Map<String, Object> input) throws EvalError {
        if (!e.compiled()) {
            throw new EvalError(e.error());
        }
        try {
            return e.eval(input);
        } catch (CelEvaluationException | RuntimeException ex) {
            throw new EvalError("expression '" + e.source() + "' resulted in error: " + ex.getMessage());
        }
    }

    /** The request variable, as upstream's CreateAdmissionRequest. */
    private static Map<String, Object> requestValue(AdmissionRequest request) {
        Map<String, Object> kind = Map.of("group", nz(request.group()), "version", nz(request.version()),
                "kind", nz(request.kind()));
        Map<String, Object> resource = Map.of("group", nz(request.group()), "version", nz(request.version()),
                "resource", request.resource());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", kind);
        r.put("resource", resource);
        r.put("subResource", nz(request.subresource()));
        r.put("requestKind", kind);
        r.put("requestResource", resource);
        r.put("requestSubResource", nz(request.subresource()));
        r.put("name", nz(request.name()));
        r.put("namespace", nz(request.namespace()));
        r.put("operation", request.operation().name());
        r.put("userInfo", userInfo(request.user()));
        r.put("dryRun", request.dryRun());
        return r;
    }

    private static Map<String, Object> userInfo(UserInfo user) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("username", user.name());
        u.put("uid", nz(user.uid()));
        u.put("groups", List.copyOf(user.groups()));
        Map<String, Object> extra = new LinkedHashMap<>();
        user.extra().forEach((k, v) -> extra.put(k, List.copyOf(v)));
        u.put("extra", extra);
        return u;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * upstream's API validation of a policy's CEL, which okube's registry does not do: a policy whose
     * expressions do not compile is refused with 422 and the field errors.
     */
    private AdmissionResponse validatePolicyObject(AdmissionRequest request) {
        if (!request.resource().equals("validatingadmissionpolicies") || request.object() == null
                || !(request.subresource() == null || request.subresource().isEmpty())
                || request.operation() == AdmissionRequest.Operation.DELETE) {
            return AdmissionResponse.allow();
        }
        List<String> errors = Policy.of(request.object(), cel).expressionErrors();
        if (errors.isEmpty()) {
            return AdmissionResponse.allow();
        }
        String joined = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
        return AdmissionResponse.deny(422, "Invalid", "ValidatingAdmissionPolicy.admissionregistration.k8s.io \""
                + nz(request.name()) + "\" is invalid: " + joined);
    }
}
