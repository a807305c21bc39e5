package dev.okube.auth.alwaysallow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.RuleSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlwaysAllowAuthorizerTest {
    private static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"),
            Map.of());
    private final AlwaysAllowAuthorizer authorizer = new AlwaysAllowAuthorizer();

    @Test
    void allowsResourceAndNonResourceRequestsOfAnyone() {
        assertEquals("AlwaysAllow", authorizer.name());
        assertEquals(Decision.ALLOW, authorizer.authorize(new AuthorizationRequest(ANONYMOUS, "delete", true, "",
                "v1", "secrets", "", "kube-system", "x", "")).decision());
        assertEquals(Decision.ALLOW, authorizer.authorize(new AuthorizationRequest(ANONYMOUS, "get", false, "", "",
                "", "", "", "", "/metrics")).decision());
    }

    @Test
    void enumeratesEverythingAsComplete() {
        RuleSet rules = authorizer.rules(ANONYMOUS, "default");
        assertFalse(rules.incomplete());
        assertEquals(List.of("*"), rules.resourceRules().get(0).verbs());
        assertEquals(List.of("*"), rules.resourceRules().get(0).resources());
        assertEquals(List.of("*"), rules.nonResourceRules().get(0).nonResourceURLs());
    }
}
