package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.resources.ResourceType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Services: count, node ports and load balancers, as upstream's service evaluator. */
final class ServiceEvaluator implements Evaluator {
    static final ResourceType SERVICES = ResourceType.core("services");
    private static final List<String> NAMES = List.of("count/services", "services", "services.nodeports",
            "services.loadbalancers");

    @Override
    public ResourceType resource() {
        return SERVICES;
    }

    @Override
    public boolean handles(AdmissionRequest request) {
        // Updates too: a service's type can change.
        return request.subresource().isEmpty() && (request.operation() == AdmissionRequest.Operation.CREATE
                || request.operation() == AdmissionRequest.Operation.UPDATE);
    }

    @Override
    public List<String> matchingResources(Collection<String> input) {
        return input.stream().filter(NAMES::contains).toList();
    }

    @Override
    public Map<String, Quantity> usage(ObjectNode service, Instant now) {
        TreeMap<String, Quantity> usage = new TreeMap<>();
        usage.put("count/services", Quantity.ONE);
        usage.put("services", Quantity.ONE);
        usage.put("services.loadbalancers", Quantity.ZERO);
        usage.put("services.nodeports", Quantity.ZERO);
        JsonNode spec = service.path("spec");
        int ports = spec.path("ports").size();
        switch (spec.path("type").asString("")) {
            case "NodePort" -> usage.put("services.nodeports", Quantity.of(ports));
            case "LoadBalancer" -> {
                // Without node port allocation only ports that ask for one count (the intent, not the allocation).
                if (spec.path("allocateLoadBalancerNodePorts").isBoolean()
                        && !spec.path("allocateLoadBalancerNodePorts").asBoolean()) {
                    long withNodePort = 0;
                    for (JsonNode port : spec.path("ports")) {
                        if (port.path("nodePort").asInt(0) != 0) {
                            withNodePort++;
                        }
                    }
                    usage.put("services.nodeports", Quantity.of(withNodePort));
                } else {
                    usage.put("services.nodeports", Quantity.of(ports));
                }
                usage.put("services.loadbalancers", Quantity.ONE);
            }
            default -> {
            }
        }
        return usage;
    }

    /** The type that matters to quota: NodePort, LoadBalancer, or "" for the rest. */
    static String quotaType(ObjectNode service) {
        String type = service.path("spec").path("type").asString("");
        return type.equals("NodePort") || type.equals("LoadBalancer") ? type : "";
    }
}
