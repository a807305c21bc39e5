package dev.okube.admission.webhook;

import dev.okube.admission.webhook.CelEnvironment.Expression;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A ValidatingAdmissionPolicy with its expressions compiled once, when the policy is seen. */
record Policy(String name, boolean failOpen, String paramApiVersion, String paramKind, JsonNode matchConstraints,
        List<Named> matchConditions, List<Named> variables, List<Validation> validations) {

    record Named(String name, Expression expression) {
    }

    /** One validation; messageExpression is null when the validation has none. */
    record Validation(Expression expression, String message, Expression messageExpression, String reason) {
    }

    /** A ValidatingAdmissionPolicyBinding. */
    record Binding(String name, String policyName, JsonNode paramRef, JsonNode matchResources, Set<String> actions) {
        static Binding of(JsonNode object) {
            JsonNode spec = object.path("spec");
            Set<String> actions = new LinkedHashSet<>();
            for (JsonNode a : spec.path("validationActions")) {
                actions.add(a.asString(""));
            }
            JsonNode paramRef = spec.get("paramRef");
            JsonNode match = spec.get("matchResources");
            return new Binding(object.path("metadata").path("name").asString(""),
                    spec.path("policyName").asString(""), paramRef == null || paramRef.isNull() ? null : paramRef,
                    match == null || match.isNull() ? null : match, Set.copyOf(actions));
        }
    }

    boolean hasParams() {
        return paramKind != null;
    }

    static Policy of(JsonNode object, CelEnvironment cel) {
        JsonNode spec = object.path("spec");
        JsonNode paramKind = spec.get("paramKind");
        boolean params = paramKind != null && paramKind.isObject() && !paramKind.path("kind").asString("").isEmpty();
        List<Named> conditions = new ArrayList<>();
        for (JsonNode c : spec.path("matchConditions")) {
            conditions.add(new Named(c.path("name").asString(""), cel.compile(c.path("expression").asString(""))));
        }
        List<Named> variables = new ArrayList<>();
        for (JsonNode v : spec.path("variables")) {
            variables.add(new Named(v.path("name").asString(""), cel.compile(v.path("expression").asString(""))));
        }
        List<Validation> validations = new ArrayList<>();
        for (JsonNode v : spec.path("validations")) {
            String messageExpression = v.path("messageExpression").asString("");
            validations.add(new Validation(cel.compile(v.path("expression").asString("")),
                    v.path("message").asString(""),
                    messageExpression.isEmpty() ? null : cel.compile(messageExpression),
                    v.path("reason").asString("")));
        }
        JsonNode constraints = spec.get("matchConstraints");
        return new Policy(object.path("metadata").path("name").asString(""),
                spec.path("failurePolicy").asString("Fail").equals("Ignore"),
                params ? paramKind.path("apiVersion").asString("") : null,
                params ? paramKind.path("kind").asString("") : null,
                constraints == null || constraints.isNull() ? null : constraints,
                List.copyOf(conditions), List.copyOf(variables), List.copyOf(validations));
    }

    /**
     * Upstream's API validation of the policy's expressions: field errors such as
     * {@code spec.validations[0].expression: Invalid value: "x +": compilation failed: ...}.
     */
    List<String> expressionErrors() {
        List<String> errors = new ArrayList<>();
        if (matchConstraints == null) {
            errors.add("spec.matchConstraints: Required value");
        }
        for (int i = 0; i < matchConditions.size(); i++) {
            add(errors, "spec.matchConditions[" + i + "].expression", matchConditions.get(i).expression());
        }
        for (int i = 0; i < variables.size(); i++) {
            add(errors, "spec.variables[" + i + "].expression", variables.get(i).expression());
        }
        for (int i = 0; i < validations.size(); i++) {
            add(errors, "spec.validations[" + i + "].expression", validations.get(i).expression());
            if (validations.get(i).messageExpression() != null) {
                add(errors, "spec.validations[" + i + "].messageExpression", validations.get(i).messageExpression());
            }
        }
        return errors;
    }

    private static void add(List<String> errors, String field, Expression e) {
        if (!e.compiled()) {
            errors.add(field + ": Invalid value: \"" + e.source() + "\": " + e.error());
        }
    }
}
