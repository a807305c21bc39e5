package dev.okube.auth.rbac;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRuleTest {
    private static PolicyRule rule(String spec) {
        return PolicyRule.parse(json(Fixtures.rule(spec)));
    }

    private static List<PolicyRule> uncovered(List<String> owner, String... wanted) {
        return PolicyRule.uncovered(owner.stream().map(PolicyRuleTest::rule).toList(),
                List.of(wanted).stream().map(PolicyRuleTest::rule).toList());
    }

    @Test
    void coveringFollowsUpstreamsRuleCovers() {
        assertTrue(uncovered(List.of("*|*|*"), "get,delete|apps|deployments|d1", "escalate||roles").isEmpty());
        assertTrue(uncovered(List.of("get,list||pods"), "get||pods").isEmpty());
        assertEquals(List.of(rule("list||secrets")), uncovered(List.of("get,list||pods", "get||secrets"),
                "get,list||pods,secrets"));
        // a "*" verb is only covered by "*"
        assertEquals(List.of(rule("*||pods")), uncovered(List.of("get,list,watch||pods"), "*||pods"));
        // "*/scale" covers every scale subresource, not the resources
        assertTrue(uncovered(List.of("update|apps|*/scale"), "update|apps|deployments/scale,statefulsets/scale")
                .isEmpty());
        assertEquals(List.of(rule("update|apps|deployments")), uncovered(List.of("update|apps|*/scale"),
                "update|apps|deployments"));
        // names: a named rule covers only those names; a rule without names needs an owner without names
        assertTrue(uncovered(List.of("get||configmaps"), "get||configmaps|a,b").isEmpty());
        assertEquals(List.of(rule("get||configmaps|b")), uncovered(List.of("get||configmaps|a"), "get||configmaps|a,b"));
        assertEquals(List.of(rule("get||configmaps")), uncovered(List.of("get||configmaps|a"), "get||configmaps"));
        // non-resource URLs: exact or by a trailing star
        assertTrue(uncovered(List.of("get|url:/apis/*,/healthz"), "get|url:/apis/apps,/healthz").isEmpty());
        assertEquals(List.of(rule("get|url:/metrics")), uncovered(List.of("get|url:/apis/*"), "get|url:/metrics"));
        assertTrue(uncovered(List.of("*|url:*"), "get,post|url:/anything").isEmpty());
    }

    @Test
    void compactStringIsUpstreams() {
        assertEquals("{APIGroups:[\"\" \"apps\"], Resources:[\"pods\"], ResourceNames:[\"a\"], Verbs:[\"get\"]}",
                rule("get|,apps|pods|a").compactString());
        assertEquals("{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\" \"head\"]}",
                rule("get,head|url:/healthz").compactString());
        assertEquals(List.of(rule("get,list||pods"), rule("get|url:/a"), rule("head|url:/a")),
                PolicyRule.compact(List.of(rule("get||pods"), rule("get|url:/a"), rule("list||pods"),
                        rule("head|url:/a"))));
    }

    @Test
    void jsonRoundTripKeepsTheRule() {
        for (String spec : List.of("get,list|apps,|deployments,deployments/scale|a,b", "get|url:/x,/y*")) {
            PolicyRule r = rule(spec);
            assertEquals(r, PolicyRule.parse(r.toJson()));
        }
        assertEquals(json("{'verbs':['get'],'nonResourceURLs':['/x']}"), rule("get|url:/x").toJson());
    }
}
