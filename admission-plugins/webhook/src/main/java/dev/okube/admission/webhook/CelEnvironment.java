package dev.okube.admission.webhook;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * CEL as this bundle's plugins use it: webhook matchConditions ({@link #forWebhooks()}: the variables
 * object, oldObject and request) and ValidatingAdmissionPolicy ({@link #forPolicies()}: also params,
 * namespaceObject and variables), all dynamically typed (okube has no OpenAPI schemas to type-check
 * against), with the standard macros and the extension libraries CEL-Java has that Kubernetes also
 * enables (strings, math, sets, lists, regex, encoders). Kubernetes' own libraries (quantity, url,
 * ip, cidr, format, authorizer) are not there. Compiled programs are immutable and thread-safe.
 */
final class CelEnvironment {
    /** Upstream's per-call cap on comprehension work, as a bound on iterations here. */
    private static final int MAX_ITERATIONS = 1_000_000;

    private final Cel cel;

    /** The variables webhook matchConditions see; any other name fails to compile, as upstream. */
    static CelEnvironment forWebhooks() {
        return new CelEnvironment(false);
    }

    /** The variables ValidatingAdmissionPolicy validations and matchConditions see. */
    static CelEnvironment forPolicies() {
        return new CelEnvironment(true);
    }

    private CelEnvironment(boolean policyVariables) {
        CelOptions options = CelOptions.current()
                .enableHeterogeneousNumericComparisons(true)
                .evaluateCanonicalTypesToNativeValues(true)
                .comprehensionMaxIterations(MAX_ITERATIONS)
                .build();
        CelBuilder builder = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("object", SimpleType.DYN)
                .addVar("oldObject", SimpleType.DYN)
                .addVar("request", SimpleType.DYN);
        if (policyVariables) {
            builder.addVar("params", SimpleType.DYN)
                    .addVar("namespaceObject", SimpleType.DYN)
                    .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        cel = builder.addCompilerLibraries(CelExtensions.strings(), CelExtensions.math(options), CelExtensions.sets(options),
                        CelExtensions.lists(), CelExtensions.regex(), CelExtensions.encoders(options))
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.math(options), CelExtensions.sets(options),
                        CelExtensions.lists(), CelExtensions.regex(), CelExtensions.encoders(options))
                .build();
    }

    /** A compiled expression, or the compile error (upstream's "compilation failed: ..."). */
    record Expression(String source, CelRuntime.Program program, String error) {
        boolean compiled() {
            return program != null;
        }

        Object eval(Map<String, Object> input) throws CelEvaluationException {
            return program.eval(input);
        }
    }

    Expression compile(String source) {
        try {
            CelAbstractSyntaxTree ast = cel.compile(source).getAst();
            return new Expression(source, cel.createProgram(ast), null);
        } catch (CelValidationException e) {
            return new Expression(source, null, "compilation failed: " + e.getMessage());
        } catch (CelEvaluationException | RuntimeException e) {
            return new Expression(source, null, "compilation failed: " + e.getMessage());
        }
    }

    /** JSON as CEL values: maps, lists, int64, double, string, bool, null. */
    static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), value(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                list.add(value(item));
            }
            return list;
        }
        if (node.isIntegralNumber()) {
            // not a conditional expression: it would promote the long to double
            if (node.canConvertToLong()) {
                return Long.valueOf(node.longValue());
            }
            return Double.valueOf(node.doubleValue());
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asString();
    }
}
