package dev.okube.apiserver.tables;

import static dev.okube.apiserver.tables.Convertor.ageColumn;
import static dev.okube.apiserver.tables.Convertor.col;
import static dev.okube.apiserver.tables.Convertor.nameColumn;
import static dev.okube.apiserver.tables.Convertor.wide;
import static dev.okube.apiserver.tables.Formats.NONE;
import static dev.okube.apiserver.tables.Formats.age;
import static dev.okube.apiserver.tables.Formats.name;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Printers of networking, RBAC, storage, coordination, discovery, scheduling, node and admission kinds. */
final class ClusterTables {
    private static final String WEBHOOKS_DOC =
            "Webhooks indicates the number of webhooks registered in this configuration";

    private ClusterTables() {
    }

    static void register(Map<String, TableConvertor> m) {
        m.put(Tables.key("networking.k8s.io", "Ingress"), new Convertor(List.of(
                nameColumn(),
                col("Class", "string",
                        "The name of the IngressClass resource that should be used for additional configuration"),
                col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
                col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
                col("Ports", "string", "Ports of TLS configurations that open"),
                ageColumn()),
                ClusterTables::ingress));

        m.put(Tables.key("networking.k8s.io", "IngressClass"), new Convertor(List.of(
                nameColumn(),
                col("Controller", "string", "Controller that is responsible for handling this class"),
                col("Parameters", "string", "A reference to a resource with additional parameters"),
                ageColumn()),
                (o, now) -> {
                    String parameters = NONE;
                    JsonNode p = Json.at(o, "spec", "parameters");
                    if (p != null) {
                        parameters = Json.str(p, "kind");
                        if (Json.has(p, "apiGroup")) {
                            parameters += "." + Json.str(p, "apiGroup");
                        }
                        parameters += "/" + Json.str(p, "name");
                    }
                    return List.of(name(o), Json.str(o, "spec", "controller"), parameters, age(o, now));
                }));

        m.put(Tables.key("networking.k8s.io", "NetworkPolicy"), new Convertor(List.of(
                nameColumn(), col("Pod-Selector", "string", Docs.NETPOL_POD_SELECTOR), ageColumn()),
                (o, now) -> {
                    // The pod selector is a struct, not a pointer: absent means empty, which prints "<none>".
                    JsonNode selector = Json.at(o, "spec", "podSelector");
                    String s = selector == null ? Formats.NONE : Formats.formatSelector(selector);
                    return List.of(name(o), s, age(o, now));
                }));

        m.put(Tables.key("rbac.authorization.k8s.io", "RoleBinding"),
                binding(Docs.ROLEBINDING_ROLE, "roleBinding"));
        m.put(Tables.key("rbac.authorization.k8s.io", "ClusterRoleBinding"),
                binding(Docs.CLUSTERROLEBINDING_ROLE, "clusterRoleBinding"));
        // Upstream has no printer for these kinds; their REST storage serves the default table.
        m.put(Tables.key("rbac.authorization.k8s.io", "Role"), Tables.DEFAULT);
        m.put(Tables.key("rbac.authorization.k8s.io", "ClusterRole"), Tables.DEFAULT);
        m.put(Tables.key("", "LimitRange"), Tables.DEFAULT);
        m.put(Tables.key("apiextensions.k8s.io", "CustomResourceDefinition"), Tables.DEFAULT);

        m.put(Tables.key("storage.k8s.io", "StorageClass"), new Convertor(List.of(
                nameColumn(),
                col("Provisioner", "string", Docs.SC_PROVISIONER),
                col("ReclaimPolicy", "string", Docs.SC_RECLAIM),
                col("VolumeBindingMode", "string", Docs.SC_BINDING),
                col("AllowVolumeExpansion", "string", Docs.SC_EXPANSION),
                ageColumn()),
                (o, now) -> {
                    Map<String, String> annotations = Json.map(o, "metadata", "annotations");
                    boolean isDefault = "true".equals(annotations.get("storageclass.kubernetes.io/is-default-class"))
                            || "true".equals(annotations.get("storageclass.beta.kubernetes.io/is-default-class"));
                    String reclaim = Json.has(o, "reclaimPolicy") ? Json.str(o, "reclaimPolicy") : "Delete";
                    String binding = Json.has(o, "volumeBindingMode") ? Json.str(o, "volumeBindingMode") : "Immediate";
                    return List.of(name(o) + (isDefault ? " (default)" : ""), Json.str(o, "provisioner"), reclaim,
                            binding, Json.bool(o, "allowVolumeExpansion"), age(o, now));
                }));

        m.put(Tables.key("coordination.k8s.io", "Lease"), new Convertor(List.of(
                nameColumn(), col("Holder", "string", Docs.LEASE_HOLDER), ageColumn()),
                (o, now) -> List.of(name(o), Json.str(o, "spec", "holderIdentity"), age(o, now))));

        m.put(Tables.key("discovery.k8s.io", "EndpointSlice"), new Convertor(List.of(
                nameColumn(),
                col("AddressType", "string", Docs.SLICE_ADDRESS_TYPE),
                col("Ports", "string", Docs.SLICE_PORTS),
                col("Endpoints", "string", Docs.SLICE_ENDPOINTS),
                ageColumn()),
                ClusterTables::endpointSlice));

        m.put(Tables.key("scheduling.k8s.io", "PriorityClass"), new Convertor(List.of(
                nameColumn(),
                col("Value", "integer", Docs.PC_VALUE),
                col("Global-Default", "boolean", Docs.PC_DEFAULT),
                ageColumn(),
                col("PreemptionPolicy", "string", Docs.PC_PREEMPTION)),
                (o, now) -> List.of(name(o), Json.num(o, "value"), Json.bool(o, "globalDefault"), age(o, now),
                        Json.str(o, "preemptionPolicy"))));

        // Upstream cites ObjectMeta's (nonexistent) "handler" doc here, which is empty.
        m.put(Tables.key("node.k8s.io", "RuntimeClass"), new Convertor(List.of(
                nameColumn(), col("Handler", "string", ""), ageColumn()),
                (o, now) -> List.of(name(o), Json.str(o, "handler"), age(o, now))));

        for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            m.put(Tables.key("admissionregistration.k8s.io", kind), new Convertor(List.of(
                    nameColumn(), col("Webhooks", "integer", WEBHOOKS_DOC), ageColumn()),
                    (o, now) -> List.of(name(o), (long) Json.size(o, "webhooks"), age(o, now))));
        }
    }

    private static TableConvertor binding(String roleDoc, String what) {
        return new Convertor(List.of(
                nameColumn(),
                col("Role", "string", roleDoc),
                ageColumn(),
                wide("Users", "string", "Users in the " + what),
                wide("Groups", "string", "Groups in the " + what),
                wide("ServiceAccounts", "string", "ServiceAccounts in the " + what)),
                (o, now) -> {
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    List<String> serviceAccounts = new ArrayList<>();
                    for (JsonNode s : Json.list(o, "subjects")) {
                        switch (Json.str(s, "kind")) {
                            case "ServiceAccount" ->
                                serviceAccounts.add(Json.str(s, "namespace") + "/" + Json.str(s, "name"));
                            case "User" -> users.add(Json.str(s, "name"));
                            case "Group" -> groups.add(Json.str(s, "name"));
                            default -> {
                                // Upstream collects other kinds separately and does not print them.
                            }
                        }
                    }
                    return List.of(name(o), Json.str(o, "roleRef", "kind") + "/" + Json.str(o, "roleRef", "name"),
                            age(o, now), String.join(", ", users), String.join(", ", groups),
                            String.join(", ", serviceAccounts));
                });
    }

    private static List<Object> ingress(JsonNode o, Instant now) {
        JsonNode spec = Json.at(o, "spec");
        String className = Json.has(spec, "ingressClassName") ? Json.str(spec, "ingressClassName") : NONE;

        // formatHosts: up to three hosts; rules without a host count towards "more" but are not listed.
        final int max = 3;
        List<JsonNode> rules = Json.list(spec, "rules");
        List<String> hosts = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (hosts.size() == max) {
                more = true;
            }
            String host = Json.str(rule, "host");
            if (!more && !host.isEmpty()) {
                hosts.add(host);
            }
        }
        String hostCell;
        if (hosts.isEmpty()) {
            hostCell = "*";
        } else {
            hostCell = String.join(",", hosts) + (more ? " + " + (rules.size() - max) + " more..." : "");
        }

        String address = CoreTables.loadBalancerAddresses(Json.list(o, "status", "loadBalancer", "ingress"));
        String ports = Json.size(spec, "tls") != 0 ? "80, 443" : "80";
        return List.of(name(o), className, hostCell, address, ports, age(o, now));
    }

    private static List<Object> endpointSlice(JsonNode o, Instant now) {
        final int max = 3;
        List<String> ports = new ArrayList<>();
        List<JsonNode> portNodes = Json.list(o, "ports");
        for (JsonNode p : portNodes) {
            if (ports.size() < max) {
                String port = "*";
                if (Json.has(p, "port")) {
                    port = Long.toString(Json.num(p, "port"));
                } else if (Json.has(p, "name")) {
                    port = Json.str(p, "name");
                }
                ports.add(port);
            }
        }
        List<String> addresses = new ArrayList<>();
        int addressCount = 0;
        for (JsonNode e : Json.list(o, "endpoints")) {
            for (JsonNode a : Json.list(e, "addresses")) {
                if (addresses.size() < max) {
                    addresses.add(Json.str(a));
                }
                addressCount++;
            }
        }
        return List.of(name(o), Json.str(o, "addressType"), Formats.listWithMore(ports, portNodes.size(), max),
                Formats.listWithMore(addresses, addressCount, max), age(o, now));
    }
}
