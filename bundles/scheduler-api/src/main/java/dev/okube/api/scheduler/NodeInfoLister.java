package dev.okube.api.scheduler;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The snapshot a cycle schedules against, as upstream's SharedLister.NodeInfos(). */
@ProviderType
public interface NodeInfoLister {
    /** Every node, in the snapshot's (zone-interleaved) order. */
    List<NodeInfo> list();

    /** The node, or null. */
    NodeInfo get(String nodeName);

    /** Nodes with at least one pod that has pod affinity or anti-affinity terms. */
    List<NodeInfo> havePodsWithAffinity();

    /** Nodes with at least one pod that has required pod anti-affinity terms. */
    List<NodeInfo> havePodsWithRequiredAntiAffinity();
}
