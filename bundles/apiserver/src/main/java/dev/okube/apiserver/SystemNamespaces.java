package dev.okube.apiserver;

import dev.okube.api.admission.UserInfo;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.WriteOptions;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.Json;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** The namespaces upstream's apiserver creates at start: default, kube-system, kube-public, kube-node-lease. */
final class SystemNamespaces {
    static final List<String> NAMES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    private static final UserInfo APISERVER = new UserInfo("system:apiserver", "", List.of("system:masters"), Map.of());

    private SystemNamespaces() {
    }

    static void ensure(Registry resources, GenericRegistry registry) {
        ResourceDefinition namespaces = resources.find("", "v1", "namespaces").orElseThrow();
        for (String name : NAMES) {
            ObjectNode ns = Json.object();
            ns.put("apiVersion", "v1");
            ns.put("kind", "Namespace");
            Json.metadata(ns).put("name", name);
            try {
                registry.create(namespaces, "", ns, new WriteOptions(APISERVER, false, "okube-apiserver"));
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
    }
}
