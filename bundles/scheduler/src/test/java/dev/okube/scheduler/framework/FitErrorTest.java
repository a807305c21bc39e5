package dev.okube.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.okube.api.scheduler.Status;

class FitErrorTest {
    @Test
    void histogramOfFilterReasonsSortedWithThePostFilterMessage() {
        FitError e = new FitError(3);
        e.set("n1", Status.unschedulable("Insufficient cpu").withPlugin("NodeResourcesFit"));
        e.set("n2", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")
                .withPlugin("TaintToleration"));
        e.set("n3", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")
                .withPlugin("TaintToleration"));
        e.setPostFilterMsg("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "
                + "3 Preemption is not helpful for scheduling.", e.message());
        assertEquals(Set.of("NodeResourcesFit", "TaintToleration"), e.unschedulablePlugins());
    }

    @Test
    void aNodeWithSeveralReasonsCountsEach() {
        FitError e = new FitError(2);
        e.set("n1", Status.unschedulable("Insufficient cpu", "Insufficient memory").withPlugin("NodeResourcesFit"));
        e.set("n2", Status.unschedulable("Insufficient memory").withPlugin("NodeResourcesFit"));
        assertEquals("0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.", e.message());
    }

    @Test
    void preFilterMessageReplacesTheHistogram() {
        FitError e = new FitError(5);
        Status s = Status.unresolvable("node(s) didn't match pod topology spread constraints (missing required label)")
                .withPlugin("PodTopologySpread");
        e.setAbsentNodesStatus(s);
        e.setPreFilterMsg(s.message());
        e.addPluginStatus(s);
        assertEquals("0/5 nodes are available: node(s) didn't match pod topology spread constraints (missing required label).",
                e.message());
    }

    @Test
    void nodesOutsideAPreFilterResultCountWithTheAbsentStatus() {
        FitError e = new FitError(4);
        e.setAbsentNodesStatus(Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]"));
        e.set("n1", Status.unschedulable("Insufficient cpu").withPlugin("NodeResourcesFit"));
        assertEquals("0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity].",
                e.message());
        assertEquals(4, e.allStatuses(List.of("n1", "n2", "n3", "n4")).size());
    }
}
