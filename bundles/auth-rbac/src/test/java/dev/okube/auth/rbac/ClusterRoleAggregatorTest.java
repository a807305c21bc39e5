package dev.okube.auth.rbac;

import static dev.okube.auth.rbac.Fixtures.clusterRole;
import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.ForwardingResources;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ClusterRoleAggregatorTest {
    private final InMemoryClusterResources cluster = Fixtures.cluster();
    private ClusterRoleAggregator aggregator;

    @AfterEach
    void close() {
        if (aggregator != null) {
            aggregator.close();
        }
    }

    private static ObjectNode aggregated(String name, String selectors) {
        return json("{'metadata':{'name':'" + name + "'},'aggregationRule':{'clusterRoleSelectors':" + selectors
                + "}}");
    }

    private static ObjectNode labelled(String name, String labels, String... rules) {
        ObjectNode role = clusterRole(name, rules);
        role.withObjectProperty("metadata").set("labels", json(labels));
        return role;
    }

    private List<PolicyRule> rulesOf(String name) {
        return PolicyRule.rulesOf(cluster.get(RbacPolicy.CLUSTER_ROLES, "", name).orElseThrow());
    }

    private static PolicyRule rule(String spec) {
        return PolicyRule.parse(json(Fixtures.rule(spec)));
    }

    @Test
    void anAggregatedRoleGetsTheUnionOfTheMatchingRolesRulesAndFollowsTheirChanges() {
        aggregator = new ClusterRoleAggregator(cluster, Runnable::run);
        cluster.put(RbacPolicy.CLUSTER_ROLES, aggregated("monitoring", "[{'matchLabels':{'agg':'mon'}}]"));
        assertEquals(List.of(), rulesOf("monitoring"));

        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("b-pods", "{'agg':'mon'}", "get,list||pods"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("a-metrics", "{'agg':'mon'}", "get|url:/metrics",
                "get,list||pods"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("other", "{'agg':'no'}", "*|*|*"));
        // sorted by role name, duplicates once
        assertEquals(List.of(rule("get|url:/metrics"), rule("get,list||pods")), rulesOf("monitoring"));

        // a role changes its rules
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("b-pods", "{'agg':'mon'}", "watch||pods"));
        assertEquals(List.of(rule("get|url:/metrics"), rule("get,list||pods"), rule("watch||pods")),
                rulesOf("monitoring"));
        // a role stops matching
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("a-metrics", "{'agg':'gone'}", "get|url:/metrics"));
        assertEquals(List.of(rule("watch||pods")), rulesOf("monitoring"));
        // a role is deleted
        cluster.delete(RbacPolicy.CLUSTER_ROLES, "", "b-pods");
        assertEquals(List.of(), rulesOf("monitoring"));
    }

    @Test
    void existingRolesAreAggregatedAtStartAndAggregationsChain() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("view-extra", "{'to-view':'true'}", "get||widgets"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("edit-extra", "{'to-edit':'true'}", "create||widgets"));
        ObjectNode view = aggregated("view", "[{'matchLabels':{'to-view':'true'}}]");
        view.withObjectProperty("metadata").set("labels", json("{'to-edit':'true'}"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, view);
        cluster.put(RbacPolicy.CLUSTER_ROLES, aggregated("edit", "[{'matchLabels':{'to-edit':'true'}}]"));
        aggregator = new ClusterRoleAggregator(cluster, Runnable::run);
        assertEquals(List.of(rule("get||widgets")), rulesOf("view"));
        // edit includes view's aggregated rules once view has them
        assertEquals(List.of(rule("create||widgets"), rule("get||widgets")), rulesOf("edit"));
    }

    @Test
    void matchExpressionsAndSeveralSelectorsAndNeverItself() {
        aggregator = new ClusterRoleAggregator(cluster, Runnable::run);
        ObjectNode self = aggregated("self", "[{'matchExpressions':[{'key':'tier','operator':'In','values':['a','b']}]},"
                + "{'matchExpressions':[{'key':'extra','operator':'Exists'}]}]");
        self.withObjectProperty("metadata").set("labels", json("{'tier':'a'}"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, self);
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("ta", "{'tier':'a'}", "get||a"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("tc", "{'tier':'c'}", "get||c"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("ex", "{'extra':''}", "get||ex"));
        assertEquals(List.of(rule("get||a"), rule("get||ex")), rulesOf("self"));
    }

    @Test
    void labelSelectorOperators() {
        ObjectNode labels = json("{'a':'1','b':'2'}");
        assertTrue(LabelSelector.matches(json("{}"), labels));
        assertTrue(LabelSelector.matches(json("{'matchExpressions':[{'key':'c','operator':'DoesNotExist'}]}"), labels));
        assertTrue(LabelSelector.matches(json("{'matchExpressions':[{'key':'a','operator':'NotIn','values':['2']}]}"),
                labels));
        assertTrue(!LabelSelector.matches(json("{'matchLabels':{'a':'1','b':'3'}}"), labels));
        assertTrue(!LabelSelector.matches(json("{}").path("absent"), labels), "no selector matches nothing");
    }

    @Test
    void aConflictIsRetriedFromTheCache() {
        AtomicInteger conflicts = new AtomicInteger(1);
        ClusterResources flaky = new ForwardingResources(cluster) {
            @Override
            public ObjectNode update(ResourceType type, ObjectNode object) {
                if (conflicts.getAndDecrement() > 0) {
                    throw new ResourceException(409, "Conflict", "the object has been modified");
                }
                return super.update(type, object);
            }

            @Override
            public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
                return update(type, object);
            }
        };
        cluster.put(RbacPolicy.CLUSTER_ROLES, labelled("x", "{'agg':'1'}", "get||x"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, aggregated("agg", "[{'matchLabels':{'agg':'1'}}]"));
        aggregator = new ClusterRoleAggregator(flaky, Runnable::run);
        assertEquals(List.of(rule("get||x")), rulesOf("agg"));
        assertEquals(-1, conflicts.get(), "one conflict, then one successful update");
    }
}
