package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host ports in use on a node, as upstream's HostPortInfo: (ip, protocol, port) with counts. A port
 * on 0.0.0.0 conflicts with the same protocol and port on any address.
 */
public final class HostPorts {
    private static final String ANY = "0.0.0.0";

    /** One host port a container asks for. */
    public record HostPort(String ip, String protocol, int port) {
        /** Normalised: empty ip is 0.0.0.0, empty protocol is TCP. */
        public static HostPort of(String ip, String protocol, int port) {
            return new HostPort(ip == null || ip.isEmpty() ? ANY : ip,
                    protocol == null || protocol.isEmpty() ? "TCP" : protocol, port);
        }
    }

    private final Map<HostPort, Integer> ports;

    public HostPorts() {
        this.ports = new HashMap<>();
    }

    private HostPorts(Map<HostPort, Integer> ports) {
        this.ports = new HashMap<>(ports);
    }

    /** The host ports a pod's containers (and sidecar init containers) ask for. */
    public static List<HostPort> of(Pod pod) {
        List<HostPort> out = new ArrayList<>();
        if (pod.getSpec() == null) {
            return out;
        }
        collect(pod.getSpec().getContainers(), false, out);
        collect(pod.getSpec().getInitContainers(), true, out);
        return out;
    }

    private static void collect(List<Container> containers, boolean sidecarsOnly, List<HostPort> out) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            if (sidecarsOnly && !"Always".equals(c.getRestartPolicy())) {
                continue;
            }
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    out.add(HostPort.of(p.getHostIP(), p.getProtocol(), p.getHostPort()));
                }
            }
        }
    }

    public void add(HostPort p) {
        ports.merge(p, 1, Integer::sum);
    }

    public void remove(HostPort p) {
        ports.computeIfPresent(p, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Whether {@code p} conflicts with a port in use. */
    public boolean conflicts(HostPort p) {
        if (ports.isEmpty()) {
            return false;
        }
        if (ANY.equals(p.ip())) {
            for (HostPort used : ports.keySet()) {
                if (used.port() == p.port() && used.protocol().equals(p.protocol())) {
                    return true;
                }
            }
            return false;
        }
        return ports.containsKey(p) || ports.containsKey(new HostPort(ANY, p.protocol(), p.port()));
    }

    public int size() {
        return ports.size();
    }

    public HostPorts copy() {
        return new HostPorts(ports);
    }
}
