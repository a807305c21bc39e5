package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Test objects in the shape of upstream's st.MakePod()/st.MakeNode() wrappers. */
final class Objects {
    private static final AtomicInteger UIDS = new AtomicInteger();

    private Objects() {
    }

    static Map<String, Quantity> res(String... kv) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new Quantity(kv[i + 1]));
        }
        return m;
    }

    /** A pod builder: each req() adds a container with those requests, each init() an init container. */
    static final class P {
        private final List<Container> containers = new ArrayList<>();
        private final List<Container> init = new ArrayList<>();
        private Map<String, Quantity> overhead;
        private String nodeName;
        private String uid = "uid-" + UIDS.incrementAndGet();
        private String name = "p" + UIDS.get();

        P req(String... kv) {
            containers.add(new ContainerBuilder().withName("c" + containers.size()).withNewResources()
                    .withRequests(res(kv)).endResources().build());
            return this;
        }

        P init(String... kv) {
            init.add(new ContainerBuilder().withName("i" + init.size()).withNewResources()
                    .withRequests(res(kv)).endResources().build());
            return this;
        }

        P overhead(String... kv) {
            overhead = res(kv);
            return this;
        }

        P node(String n) {
            nodeName = n;
            return this;
        }

        P uid(String u) {
            uid = u;
            return this;
        }

        Pod obj() {
            return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(uid).endMetadata()
                    .withNewSpec().withContainers(containers).withInitContainers(init).withOverhead(overhead)
                    .withNodeName(nodeName).endSpec().build();
        }
    }

    static P pod() {
        return new P();
    }

    static Node node(String name, Map<String, Quantity> allocatable) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .withCapacity(allocatable).withAllocatable(allocatable).endStatus().build();
    }

    static NodeInfo nodeInfo(Node node, Pod... pods) {
        NodeInfo ni = new NodeInfo(node);
        for (Pod p : pods) {
            ni.addPod(PodInfo.of(p));
        }
        return ni;
    }

    static NodeInfo nodeInfo(Pod... pods) {
        NodeInfo ni = new NodeInfo();
        for (Pod p : pods) {
            ni.addPod(PodInfo.of(p));
        }
        return ni;
    }
}
