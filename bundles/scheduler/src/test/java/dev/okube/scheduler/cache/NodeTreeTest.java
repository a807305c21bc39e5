package dev.okube.scheduler.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.okube.scheduler.TestObjects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;

class NodeTreeTest {
    @Test
    void listsNodesInterleavedAcrossZones() {
        NodeTree t = new NodeTree();
        t.add(TestObjects.node("a1", "a"));
        t.add(TestObjects.node("a2", "a"));
        t.add(TestObjects.node("a3", "a"));
        t.add(TestObjects.node("b1", "b"));
        t.add(TestObjects.node("c1", "c"));
        t.add(TestObjects.node("c2", "c"));
        assertEquals(List.of("a1", "b1", "c1", "a2", "c2", "a3"), t.list());
        assertEquals(6, t.numNodes());
    }

    @Test
    void removingTheLastNodeOfAZoneDropsTheZone() {
        NodeTree t = new NodeTree();
        Node b1 = TestObjects.node("b1", "b");
        t.add(TestObjects.node("a1", "a"));
        t.add(b1);
        t.add(TestObjects.node("a2", "a"));
        t.remove(b1);
        assertEquals(List.of("a1", "a2"), t.list());
    }

    @Test
    void aZoneChangeMovesTheNode() {
        NodeTree t = new NodeTree();
        Node a1 = TestObjects.node("a1", "a");
        t.add(a1);
        t.add(TestObjects.node("a2", "a"));
        Node moved = new NodeBuilder(a1).editMetadata().addToLabels("topology.kubernetes.io/zone", "b").endMetadata().build();
        t.update(a1, moved);
        assertEquals(List.of("a2", "a1"), t.list());
    }

    @Test
    void zoneKeysAsUpstream() {
        assertEquals("", NodeTree.zoneKey(TestObjects.node("x", null)));
        assertEquals(":\u0000:z", NodeTree.zoneKey(TestObjects.node("x", "z")));
        Node both = new NodeBuilder(TestObjects.node("x", "z")).editMetadata()
                .addToLabels("topology.kubernetes.io/region", "r").endMetadata().build();
        assertEquals("r:\u0000:z", NodeTree.zoneKey(both));
        Node beta = new NodeBuilder(TestObjects.node("x", null)).editMetadata()
                .addToLabels("failure-domain.beta.kubernetes.io/zone", "old").endMetadata().build();
        assertEquals(":\u0000:old", NodeTree.zoneKey(beta));
    }
}
