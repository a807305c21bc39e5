package dev.okube.apiserver.selection;

import dev.okube.apiserver.validation.GoText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * Which fields a kind can be selected by, and their values for one stored object, as Kubernetes 1.32
 * registers them: the per-kind field label conversion funcs decide what a selector may name (and the
 * error text otherwise), the registries' GetAttrs/ToSelectableFields decide the values.
 *
 * <p>Kinds without a conversion func (Deployments, ReplicaSets, ConfigMaps, custom resources...)
 * accept only {@code metadata.name} and {@code metadata.namespace}, even where the registry computes
 * more fields: upstream rejects {@code status.replicas} on apps/v1 ReplicaSets the same way.
 */
public final class FieldSets {
    private FieldSets() {
    }

    private static final String NAME = "metadata.name";
    private static final String NAMESPACE = "metadata.namespace";

    /** How a kind's conversion func words its refusal. */
    private interface Refusal {
        String message(String label);
    }

    private static final Refusal CORE = label -> "field label not supported: " + label;
    private static final Refusal DEFAULT = label -> GoText.quote(label)
            + " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";

    /** A kind with its own conversion func: accepted labels, aliases, refusal text and value extractor. */
    private record Spec(Set<String> labels, Map<String, String> aliases, Refusal refusal,
                        BiConsumer<JsonNode, Map<String, String>> extractor) {
    }

    private static final Map<String, Spec> SPECS = new HashMap<>();

    private static void register(String group, String kind, List<String> labels, Map<String, String> aliases,
                                 Refusal refusal, BiConsumer<JsonNode, Map<String, String>> extractor) {
        SPECS.put(group + "/" + kind, new Spec(Collections.unmodifiableSet(new LinkedHashSet<>(labels)),
                aliases, refusal, extractor));
    }

    static {
        register("", "Pod", List.of(NAME, NAMESPACE, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
                        // accepted, but the registry never fills it in: it only matches the empty string
                        "status.podIPs", "status.nominatedNodeName", "spec.host"),
                // old v1 clients still send spec.host
                Map.of("spec.host", "spec.nodeName"), CORE, (o, f) -> {
                    JsonNode spec = o.path("spec");
                    JsonNode status = o.path("status");
                    f.put("spec.nodeName", text(spec, "nodeName"));
                    f.put("spec.restartPolicy", text(spec, "restartPolicy"));
                    f.put("spec.schedulerName", text(spec, "schedulerName"));
                    f.put("spec.serviceAccountName", text(spec, "serviceAccountName"));
                    f.put("spec.hostNetwork", Boolean.toString(spec.path("hostNetwork").asBoolean(false)));
                    f.put("status.phase", text(status, "phase"));
                    // the internal object keeps only podIPs; its first entry is what the registry exposes
                    JsonNode podIPs = status.path("podIPs");
                    String podIP = podIPs.isArray() && !podIPs.isEmpty()
                            ? text(podIPs.get(0), "ip") : text(status, "podIP");
                    f.put("status.podIP", podIP);
                    f.put("status.nominatedNodeName", text(status, "nominatedNodeName"));
                });
        register("", "Node", List.of(NAME, "spec.unschedulable"), Map.of(), CORE,
                (o, f) -> f.put("spec.unschedulable", Boolean.toString(o.path("spec").path("unschedulable")
                        .asBoolean(false))));
        register("", "ReplicationController", List.of(NAME, NAMESPACE, "status.replicas"), Map.of(), CORE,
                (o, f) -> f.put("status.replicas", Long.toString(o.path("status").path("replicas").asLong(0))));
        register("", "Event", List.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                        "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type", NAMESPACE, NAME),
                Map.of(), CORE, (o, f) -> eventFields(o.path("involvedObject"), o.path("reportingComponent"),
                        o.path("source"), o, f));
        register("", "Namespace", List.of("status.phase", NAME), Map.of(), CORE, (o, f) -> {
            f.put("status.phase", text(o.path("status"), "phase"));
            // upstream keeps a bare "name" field for backward compatibility
            f.put("name", text(o.path("metadata"), "name"));
        });
        register("", "Secret", List.of("type", NAMESPACE, NAME), Map.of(), CORE,
                (o, f) -> f.put("type", text(o, "type")));
        register("", "Service", List.of(NAMESPACE, NAME, "spec.clusterIP", "spec.type"), Map.of(), CORE, (o, f) -> {
            f.put("spec.clusterIP", text(o.path("spec"), "clusterIP"));
            f.put("spec.type", text(o.path("spec"), "type"));
        });
        // events.k8s.io names the same stored fields after its own schema and maps them to the core names
        Map<String, String> eventAliases = new LinkedHashMap<>();
        eventAliases.put("regarding.kind", "involvedObject.kind");
        eventAliases.put("regarding.namespace", "involvedObject.namespace");
        eventAliases.put("regarding.name", "involvedObject.name");
        eventAliases.put("regarding.uid", "involvedObject.uid");
        eventAliases.put("regarding.apiVersion", "involvedObject.apiVersion");
        eventAliases.put("regarding.resourceVersion", "involvedObject.resourceVersion");
        eventAliases.put("regarding.fieldPath", "involvedObject.fieldPath");
        eventAliases.put("reportingController", "reportingComponent");
        List<String> eventLabels = new ArrayList<>(List.of("reason"));
        eventLabels.addAll(eventAliases.keySet());
        eventLabels.addAll(List.of("source", "type", NAMESPACE, NAME));
        register("events.k8s.io", "Event", eventLabels, Collections.unmodifiableMap(eventAliases), CORE,
                (o, f) -> eventFields(o.path("regarding"), o.path("reportingController"), o.path("deprecatedSource"),
                        o, f));
        register("batch", "Job", List.of(NAME, NAMESPACE, "status.successful"), Map.of(),
                label -> "field label " + GoText.quote(label) + " not supported for batchv1.Job",
                (o, f) -> f.put("status.successful", Long.toString(o.path("status").path("succeeded").asLong(0))));
        register("certificates.k8s.io", "CertificateSigningRequest", List.of(NAME, "spec.signerName"), Map.of(), CORE,
                (o, f) -> f.put("spec.signerName", text(o.path("spec"), "signerName")));
        register("resource.k8s.io", "ResourceSlice", List.of(NAME, "spec.nodeName", "spec.driver"), Map.of(),
                label -> "field label not supported for resource.k8s.io/v1beta1, Kind=ResourceSlice: " + label,
                (o, f) -> {
                    f.put("spec.nodeName", text(o.path("spec"), "nodeName"));
                    f.put("spec.driver", text(o.path("spec"), "driver"));
                });
    }

    /** The fields the registries compute without a conversion func that admits them. */
    private static final Map<String, BiConsumer<JsonNode, Map<String, String>>> EXTRA_FIELDS = Map.of(
            "apps/ReplicaSet",
            (o, f) -> f.put("status.replicas", Long.toString(o.path("status").path("replicas").asLong(0))));

    /**
     * The field names a selector may use for the kind (group "" for core), in upstream's order,
     * including accepted aliases such as the pods' {@code spec.host}.
     */
    public static Set<String> supported(String group, String kind) {
        Spec spec = SPECS.get(key(group, kind));
        return spec != null ? spec.labels() : Set.of(NAME, NAMESPACE);
    }

    /**
     * The selectable field values of one stored object, as the registry's GetAttrs computes them:
     * missing strings are "", booleans "true"/"false", counts decimal. {@code metadata.namespace} is
     * present when the object has one (namespaced kinds always do).
     */
    public static Map<String, String> fields(String group, String kind, JsonNode object) {
        Map<String, String> f = new LinkedHashMap<>();
        JsonNode meta = object.path("metadata");
        f.put(NAME, text(meta, "name"));
        String ns = text(meta, "namespace");
        if (!ns.isEmpty()) {
            f.put(NAMESPACE, ns);
        }
        Spec spec = SPECS.get(key(group, kind));
        if (spec != null) {
            spec.extractor().accept(object, f);
        } else {
            BiConsumer<JsonNode, Map<String, String>> extra = EXTRA_FIELDS.get(key(group, kind));
            if (extra != null) {
                extra.accept(object, f);
            }
        }
        return Collections.unmodifiableMap(f);
    }

    /**
     * Rejects a selector that names a field the kind does not support, with upstream's message for that
     * kind, e.g. {@code field label not supported: spec.foo} for pods or
     * {@code "spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"}
     * for kinds without a conversion func. Terms are checked in the selector's (sorted) order.
     *
     * @throws SelectorException on the first unsupported field
     */
    public static void check(String group, String kind, FieldSelector selector) {
        Spec spec = SPECS.get(key(group, kind));
        for (FieldSelector.Term t : selector.terms()) {
            if (spec == null) {
                if (!t.field().equals(NAME) && !t.field().equals(NAMESPACE)) {
                    throw new SelectorException(DEFAULT.message(t.field()));
                }
            } else if (!spec.labels().contains(t.field())) {
                throw new SelectorException(spec.refusal().message(t.field()));
            }
        }
    }

    /**
     * {@link #check} and then the selector in the names {@link #fields} uses: aliases such as the pods'
     * {@code spec.host} or events.k8s.io's {@code regarding.name} become {@code spec.nodeName} and
     * {@code involvedObject.name}, as upstream's conversion does.
     *
     * @throws SelectorException on the first unsupported field
     */
    public static FieldSelector convert(String group, String kind, FieldSelector selector) {
        check(group, kind, selector);
        Spec spec = SPECS.get(key(group, kind));
        if (spec == null || spec.aliases().isEmpty()) {
            return selector;
        }
        return selector.renameFields(f -> spec.aliases().getOrDefault(f, f));
    }

    private static void eventFields(JsonNode involved, JsonNode reportingController, JsonNode source,
                                    JsonNode o, Map<String, String> f) {
        f.put("involvedObject.kind", text(involved, "kind"));
        f.put("involvedObject.namespace", text(involved, "namespace"));
        f.put("involvedObject.name", text(involved, "name"));
        f.put("involvedObject.uid", text(involved, "uid"));
        f.put("involvedObject.apiVersion", text(involved, "apiVersion"));
        f.put("involvedObject.resourceVersion", text(involved, "resourceVersion"));
        f.put("involvedObject.fieldPath", text(involved, "fieldPath"));
        f.put("reason", text(o, "reason"));
        String reporting = reportingController.isString() ? reportingController.asString() : "";
        f.put("reportingComponent", reporting);
        // the source is the legacy component, or the reporting controller of new-style events
        String component = text(source, "component");
        f.put("source", component.isEmpty() ? reporting : component);
        f.put("type", text(o, "type"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isValueNode() ? v.asString() : "";
    }

    private static String key(String group, String kind) {
        return (group == null ? "" : group) + "/" + kind;
    }
}
