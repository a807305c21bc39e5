package dev.okube.scheduler.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;

/**
 * Node names by zone, listed interleaved across zones (one node of each zone in turn), as upstream's
 * nodeTree, so that the first nodes the scheduler evaluates are spread over zones. Not thread-safe.
 */
public final class NodeTree {
    private final Map<String, List<String>> tree = new HashMap<>();
    private final List<String> zones = new ArrayList<>();
    private int numNodes;

    /** Upstream's utilnode.GetZoneKey: region and zone labels (GA or beta), "" when neither is set. */
    public static String zoneKey(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels == null) {
            return "";
        }
        String zone = labels.get("topology.kubernetes.io/zone");
        if (zone == null) {
            zone = labels.get("failure-domain.beta.kubernetes.io/zone");
        }
        String region = labels.get("topology.kubernetes.io/region");
        if (region == null) {
            region = labels.get("failure-domain.beta.kubernetes.io/region");
        }
        if (zone == null && region == null) {
            return "";
        }
        return (region == null ? "" : region) + ":\u0000:" + (zone == null ? "" : zone);
    }

    public void add(Node node) {
        String zone = zoneKey(node);
        String name = node.getMetadata().getName();
        List<String> names = tree.get(zone);
        if (names == null) {
            names = new ArrayList<>();
            tree.put(zone, names);
            zones.add(zone);
        } else if (names.contains(name)) {
            return;
        }
        names.add(name);
        numNodes++;
    }

    public boolean remove(Node node) {
        String zone = zoneKey(node);
        List<String> names = tree.get(zone);
        if (names == null || !names.remove(node.getMetadata().getName())) {
            return false;
        }
        numNodes--;
        if (names.isEmpty()) {
            tree.remove(zone);
            zones.remove(zone);
        }
        return true;
    }

    /** Moves the node when its zone changed; true when it did. */
    public boolean update(Node oldNode, Node newNode) {
        String oldZone = oldNode == null ? null : zoneKey(oldNode);
        String newZone = zoneKey(newNode);
        if (newZone.equals(oldZone)) {
            return false;
        }
        if (oldNode != null) {
            remove(oldNode);
        }
        add(newNode);
        return true;
    }

    public int numNodes() {
        return numNodes;
    }

    /** Every node name, one zone after another in turn. */
    public List<String> list() {
        List<String> out = new ArrayList<>(numNodes);
        if (zones.isEmpty()) {
            return out;
        }
        int[] next = new int[zones.size()];
        int exhausted = 0;
        while (out.size() < numNodes && exhausted < zones.size()) {
            exhausted = 0;
            for (int z = 0; z < zones.size(); z++) {
                List<String> names = tree.get(zones.get(z));
                if (next[z] >= names.size()) {
                    exhausted++;
                    continue;
                }
                out.add(names.get(next[z]++));
            }
        }
        return out;
    }
}
