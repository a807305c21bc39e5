package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.resources.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Counts objects of a resource: {@code count/<resource>[.<group>]}, plus the legacy name for
 * configmaps, secrets, resourcequotas and replicationcontrollers. Charged on create only; scoped
 * quotas never match.
 */
final class ObjectCountEvaluator implements Evaluator {
    /** The names that counted objects before count/… existed. */
    static final Map<ResourceType, String> LEGACY_ALIASES = Map.of(
            ResourceType.core("configmaps"), "configmaps",
            ResourceType.core("secrets"), "secrets",
            ResourceType.core("resourcequotas"), "resourcequotas",
            ResourceType.core("replicationcontrollers"), "replicationcontrollers");

    private final ResourceType resource;
    private final List<String> names;

    ObjectCountEvaluator(ResourceType resource) {
        this.resource = resource;
        List<String> list = new ArrayList<>();
        list.add(countName(resource));
        String alias = LEGACY_ALIASES.get(resource);
        if (alias != null) {
            list.add(alias);
        }
        this.names = List.copyOf(list);
    }

    /** {@code count/pods}, {@code count/deployments.apps}. */
    static String countName(ResourceType resource) {
        return resource.group().isEmpty() ? "count/" + resource.resource()
                : "count/" + resource.resource() + "." + resource.group();
    }

    /** The resource a {@code count/…} name counts, or null when the name is not an object count. */
    static ResourceType countedResource(String name) {
        if (!name.startsWith("count/") || name.length() == "count/".length()) {
            return null;
        }
        String rest = name.substring("count/".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? ResourceType.core(rest) : ResourceType.of(rest.substring(dot + 1), rest.substring(0, dot));
    }

    @Override
    public ResourceType resource() {
        return resource;
    }

    @Override
    public boolean handles(AdmissionRequest request) {
        return request.operation() == AdmissionRequest.Operation.CREATE && request.subresource().isEmpty();
    }

    @Override
    public List<String> matchingResources(Collection<String> input) {
        return input.stream().filter(names::contains).toList();
    }

    @Override
    public Map<String, Quantity> usage(ObjectNode object, Instant now) {
        TreeMap<String, Quantity> usage = new TreeMap<>();
        for (String name : names) {
            usage.put(name, Quantity.ONE);
        }
        return usage;
    }
}
