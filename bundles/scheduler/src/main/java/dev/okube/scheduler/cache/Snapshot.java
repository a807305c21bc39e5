package dev.okube.scheduler.cache;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;

/**
 * The nodes a scheduling cycle works on, as upstream's cache.Snapshot: copies of the cache's NodeInfos,
 * refreshed by {@link SchedulerCache#updateSnapshot} only for the nodes whose generation moved since the last
 * refresh. Read by one cycle at a time (and its parallel filters); never changed during a cycle.
 */
public final class Snapshot implements NodeInfoLister {
    final Map<String, NodeInfo> byName = new HashMap<>();
    final Map<String, Integer> index = new HashMap<>();
    NodeInfo[] nodes = new NodeInfo[0];
    int size;
    List<NodeInfo> havePodsWithAffinity = List.of();
    List<NodeInfo> havePodsWithRequiredAntiAffinity = List.of();
    long generation;
    long treeVersion = -1;
    private final List<NodeInfo> view = new View();

    private final class View extends AbstractList<NodeInfo> implements RandomAccess {
        @Override
        public NodeInfo get(int i) {
            if (i >= size) {
                throw new IndexOutOfBoundsException(i);
            }
            return nodes[i];
        }

        @Override
        public int size() {
            return size;
        }
    }

    @Override
    public List<NodeInfo> list() {
        return view;
    }

    @Override
    public NodeInfo get(String nodeName) {
        return byName.get(nodeName);
    }

    @Override
    public List<NodeInfo> havePodsWithAffinity() {
        return havePodsWithAffinity;
    }

    @Override
    public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
        return havePodsWithRequiredAntiAffinity;
    }

    public int numNodes() {
        return size;
    }

    public long generation() {
        return generation;
    }

    void rebuildList(List<String> order) {
        NodeInfo[] arr = new NodeInfo[order.size()];
        index.clear();
        int n = 0;
        for (String name : order) {
            NodeInfo ni = byName.get(name);
            if (ni != null && ni.node() != null) {
                index.put(name, n);
                arr[n++] = ni;
            }
        }
        nodes = arr;
        size = n;
    }

    void rebuildAffinityLists() {
        List<NodeInfo> aff = new ArrayList<>();
        List<NodeInfo> anti = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            NodeInfo ni = nodes[i];
            if (!ni.podsWithAffinity().isEmpty()) {
                aff.add(ni);
            }
            if (!ni.podsWithRequiredAntiAffinity().isEmpty()) {
                anti.add(ni);
            }
        }
        havePodsWithAffinity = List.copyOf(aff);
        havePodsWithRequiredAntiAffinity = List.copyOf(anti);
    }
}
