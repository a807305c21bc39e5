package dev.okube.admission.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one CEL environment serves webhooks and policies, each with only its own variables. */
class CelEnvironmentTest {
    @Test
    void webhookMatchConditionsSeeOnlyObjectOldObjectAndRequest() {
        CelEnvironment webhooks = CelEnvironment.forWebhooks();
        assertTrue(webhooks.compile("object != null && oldObject == null && request.operation == 'CREATE'").compiled());
        for (String policyOnly : new String[] {"params != null", "namespaceObject != null", "variables.x == 1"}) {
            CelEnvironment.Expression e = webhooks.compile(policyOnly);
            assertFalse(e.compiled(), policyOnly);
            assertTrue(e.error().startsWith("compilation failed: "), e.error());
        }
    }

    @Test
    void policiesAlsoSeeParamsNamespaceObjectAndVariables() {
        CelEnvironment policies = CelEnvironment.forPolicies();
        assertTrue(policies.compile("object != null && oldObject == null && request.operation == 'CREATE'").compiled());
        assertTrue(policies.compile("params != null && namespaceObject != null && variables.x == 1").compiled());
    }
}
