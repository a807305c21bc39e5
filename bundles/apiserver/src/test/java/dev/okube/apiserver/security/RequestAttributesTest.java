package dev.okube.apiserver.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Requests as authorizers see them, by upstream's RequestInfoFactory rules. */
class RequestAttributesTest {
    private static RequestAttributes parse(String method, String path) {
        return RequestAttributes.parse(method, path, false);
    }

    @Test
    void namespacedCollectionsAndObjects() {
        assertEquals(new RequestAttributes(true, "list", "", "v1", "pods", "", "default", "", "/api/v1/namespaces/default/pods"),
                parse("GET", "/api/v1/namespaces/default/pods"));
        assertEquals(new RequestAttributes(true, "get", "apps", "v1", "deployments", "scale", "ns", "web",
                "/apis/apps/v1/namespaces/ns/deployments/web/scale"), parse("GET", "/apis/apps/v1/namespaces/ns/deployments/web/scale"));
        assertEquals("create", parse("POST", "/api/v1/namespaces/default/pods").verb());
        assertEquals("update", parse("PUT", "/api/v1/namespaces/default/pods/p").verb());
        assertEquals("patch", parse("PATCH", "/api/v1/namespaces/default/pods/p").verb());
        assertEquals("delete", parse("DELETE", "/api/v1/namespaces/default/pods/p").verb());
        assertEquals("deletecollection", parse("DELETE", "/api/v1/namespaces/default/pods").verb());
        assertEquals("get", parse("HEAD", "/api/v1/namespaces/default/pods/p").verb());
    }

    @Test
    void watches() {
        assertEquals("watch", RequestAttributes.parse("GET", "/api/v1/pods", true).verb());
        assertEquals("watch", RequestAttributes.parse("GET", "/api/v1/namespaces/a/pods/p", true).verb());
        RequestAttributes legacy = parse("GET", "/api/v1/watch/namespaces/a/pods");
        assertEquals("watch", legacy.verb());
        assertEquals("a", legacy.namespace());
        assertEquals("pods", legacy.resource());
    }

    @Test
    void namespacesThemselves() {
        RequestAttributes ns = parse("GET", "/api/v1/namespaces/kube-system");
        assertEquals("namespaces", ns.resource());
        assertEquals("kube-system", ns.name());
        assertEquals("kube-system", ns.namespace());
        RequestAttributes status = parse("PUT", "/api/v1/namespaces/x/status");
        assertEquals("namespaces", status.resource());
        assertEquals("status", status.subresource());
        assertEquals("x", status.name());
        assertEquals("list", parse("GET", "/api/v1/namespaces").verb());
    }

    @Test
    void clusterScopedAndAllNamespaces() {
        RequestAttributes nodes = parse("GET", "/api/v1/nodes/n1");
        assertEquals("", nodes.namespace());
        assertEquals("n1", nodes.name());
        RequestAttributes all = parse("GET", "/apis/apps/v1/deployments");
        assertEquals("list", all.verb());
        assertEquals("", all.namespace());
    }

    @Test
    void discoveryAndOtherPathsAreNonResourceRequests() {
        for (String path : new String[] {"/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/healthz",
            "/version", "/openapi/v3", "/metrics", "/"}) {
            RequestAttributes a = parse("GET", path);
            assertEquals(false, a.resourceRequest(), path);
            assertEquals("get", a.verb());
            assertEquals(path, a.path());
        }
        assertEquals("post", parse("POST", "/healthz").verb());
    }
}
