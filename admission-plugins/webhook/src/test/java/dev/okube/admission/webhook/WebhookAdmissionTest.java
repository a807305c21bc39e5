package dev.okube.admission.webhook;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Admission;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Both webhook plugins against a real HTTPS webhook on loopback. */
class WebhookAdmissionTest {
    private TestWebhookServer server;
    private InMemoryClusterResources cluster;
    private ValidatingWebhooks validating;
    private MutatingWebhooks mutating;

    @BeforeEach
    void start() throws Exception {
        server = new TestWebhookServer("hook.webhooks.svc");
        cluster = new InMemoryClusterResources().serve(ValidatingWebhooks.TYPE, MutatingWebhooks.TYPE,
                Dispatch.NAMESPACES, ResourceType.core("services"));
        cluster.put(Dispatch.NAMESPACES, json("{'metadata':{'name':'default','labels':{'env':'test'}}}"));
        cluster.put(Dispatch.NAMESPACES, json("{'metadata':{'name':'prod','labels':{'env':'prod'}}}"));
        validating = new ValidatingWebhooks(cluster);
        mutating = new MutatingWebhooks(cluster);
    }

    @AfterEach
    void stop() {
        validating.deactivate();
        mutating.deactivate();
        server.close();
    }

    /** A webhook entry calling the test server, for pods CREATE unless the extra fields say otherwise. */
    private ObjectNode hook(String name, String extra) {
        ObjectNode h = json("{'name':'" + name + "','sideEffects':'None','admissionReviewVersions':['v1'],"
                + "'failurePolicy':'Fail','timeoutSeconds':5,"
                + "'rules':[{'operations':['CREATE','UPDATE'],'apiGroups':[''],'apiVersions':['v1'],"
                + "'resources':['pods'],'scope':'*'}]" + (extra.isEmpty() ? "" : "," + extra) + "}");
        h.putObject("clientConfig").put("url", server.url("/" + name)).put("caBundle", server.caBundle());
        return h;
    }

    private void configure(ResourceType type, String name, ObjectNode... hooks) {
        ObjectNode config = json("{'apiVersion':'admissionregistration.k8s.io/v1','metadata':{'name':'" + name + "'}}");
        var list = config.putArray("webhooks");
        for (ObjectNode h : hooks) {
            list.add(h);
        }
        cluster.put(type, config);
    }

    private static ObjectNode pod(String namespace, String labels) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'" + namespace
                + "','labels':{" + labels + "}},'spec':{'containers':[{'name':'c','image':'busybox'}]}}");
    }

    private static AdmissionRequest createPod(ObjectNode pod) {
        return Admission.create("pods", "Pod", pod);
    }

    @Test
    void allowSendsAnUpstreamAdmissionReview() {
        configure(ValidatingWebhooks.TYPE, "c", hook("allow.example.com", ""));
        AdmissionResponse r = validating.validate(createPod(pod("default", "'app':'x'")));
        assertTrue(r.allowed(), r.message());
        assertEquals(1, server.reviews.size());
        JsonNode review = server.reviews.get(0);
        assertEquals("admission.k8s.io/v1", review.path("apiVersion").asString());
        assertEquals("AdmissionReview", review.path("kind").asString());
        JsonNode req = review.path("request");
        assertFalse(req.path("uid").asString("").isEmpty());
        assertEquals(json("{'group':'','version':'v1','kind':'Pod'}"), req.path("kind"));
        assertEquals(json("{'group':'','version':'v1','resource':'pods'}"), req.path("resource"));
        assertEquals(req.path("kind"), req.path("requestKind"));
        assertEquals(req.path("resource"), req.path("requestResource"));
        assertFalse(req.has("subResource"));
        assertEquals("p", req.path("name").asString());
        assertEquals("default", req.path("namespace").asString());
        assertEquals("CREATE", req.path("operation").asString());
        assertEquals("admin", req.path("userInfo").path("username").asString());
        assertEquals("system:masters", req.path("userInfo").path("groups").get(0).asString());
        assertEquals("x", req.path("object").path("metadata").path("labels").path("app").asString());
        assertTrue(req.path("oldObject").isNull());
        assertFalse(req.path("dryRun").asBoolean(true));
        assertEquals(json("{'kind':'CreateOptions','apiVersion':'meta.k8s.io/v1'}"), req.path("options"));
    }

    @Test
    void denialCarriesTheWebhooksStatusAndPrefix() {
        server.handler = review -> TestWebhookServer.deny(403, "pods named p are not allowed");
        configure(ValidatingWebhooks.TYPE, "c", hook("deny.example.com", ""));
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertFalse(r.allowed());
        assertEquals(403, r.code());
        assertEquals("admission webhook \"deny.example.com\" denied the request: pods named p are not allowed",
                r.message());
    }

    @Test
    void denialWithoutStatusIsABadRequestWithoutExplanation() {
        server.handler = review -> json("{'allowed':false}");
        configure(ValidatingWebhooks.TYPE, "c", hook("deny.example.com", ""));
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertEquals(400, r.code());
        assertEquals("admission webhook \"deny.example.com\" denied the request without explanation", r.message());
    }

    @Test
    void mutatingWebhookPatchIsAppliedToTheObject() {
        server.handler = review -> TestWebhookServer.patch(
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/injected\",\"value\":\"yes\"}]");
        configure(MutatingWebhooks.TYPE, "m", hook("label.example.com", ""));
        ObjectNode pod = pod("default", "'app':'x'");
        AdmissionResponse r = mutating.admit(createPod(pod));
        assertTrue(r.allowed(), r.message());
        assertEquals("yes", pod.path("metadata").path("labels").path("injected").asString());
        assertEquals("x", pod.path("metadata").path("labels").path("app").asString());
    }

    @Test
    void mutatingWebhooksRunInOrderEachSeeingThePreviousPatch() {
        server.handler = review -> {
            JsonNode labels = review.path("request").path("object").path("metadata").path("labels");
            String value = labels.has("first") ? "second-saw-first" : "first";
            String key = labels.has("first") ? "second" : "first";
            return TestWebhookServer.patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/" + key + "\",\"value\":\""
                    + value + "\"}]");
        };
        configure(MutatingWebhooks.TYPE, "a", hook("one.example.com", ""));
        configure(MutatingWebhooks.TYPE, "b", hook("two.example.com", ""));
        ObjectNode pod = pod("default", "");
        assertTrue(mutating.admit(createPod(pod)).allowed());
        assertEquals("first", pod.path("metadata").path("labels").path("first").asString());
        assertEquals("second-saw-first", pod.path("metadata").path("labels").path("second").asString());
    }

    @Test
    void ifNeededWebhookIsReinvokedOnceWhenALaterWebhookChangedTheObject() {
        AtomicInteger firstCalls = new AtomicInteger();
        server.handler = review -> {
            JsonNode labels = review.path("request").path("object").path("metadata").path("labels");
            if (!labels.has("late")) {
                if (labels.has("early")) {
                    return TestWebhookServer.patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/late\",\"value\":\"1\"}]");
                }
                firstCalls.incrementAndGet();
                return TestWebhookServer.patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/early\",\"value\":\"1\"}]");
            }
            firstCalls.incrementAndGet();
            return TestWebhookServer.patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/early\",\"value\":\"2\"}]");
        };
        configure(MutatingWebhooks.TYPE, "a", hook("early.example.com", "'reinvocationPolicy':'IfNeeded'"));
        configure(MutatingWebhooks.TYPE, "b", hook("late.example.com", "'reinvocationPolicy':'IfNeeded'"));
        ObjectNode pod = pod("default", "");
        assertTrue(mutating.admit(createPod(pod)).allowed());
        assertEquals(2, firstCalls.get(), "the early webhook is called again after the late one changed the pod");
        assertEquals("2", pod.path("metadata").path("labels").path("early").asString());
        // early (1st), late, early again (reinvoked); late is not reinvoked: nothing changed after it ran.
        assertEquals(3, server.reviews.size());
    }

    @Test
    void neverReinvocationPolicyIsNotReinvoked() {
        server.handler = review -> {
            JsonNode labels = review.path("request").path("object").path("metadata").path("labels");
            String key = labels.has("a") ? "b" : "a";
            return TestWebhookServer.patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/" + key + "\",\"value\":\"1\"}]");
        };
        configure(MutatingWebhooks.TYPE, "a", hook("a.example.com", ""));
        configure(MutatingWebhooks.TYPE, "b", hook("b.example.com", ""));
        assertTrue(mutating.admit(createPod(pod("default", ""))).allowed());
        assertEquals(2, server.reviews.size());
    }

    @Test
    void timeoutFailsClosedOrOpenByFailurePolicy() {
        server.delayMillis = 2500;
        configure(ValidatingWebhooks.TYPE, "c", hook("slow.example.com", "'timeoutSeconds':1"));
        long start = System.nanoTime();
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(r.allowed());
        assertEquals(500, r.code());
        assertEquals("InternalError", r.reason());
        assertTrue(r.message().startsWith("Internal error occurred: failed calling webhook \"slow.example.com\": "
                + "failed to call webhook: Post \"" + server.url("/slow.example.com?timeout=1s") + "\""), r.message());
        assertTrue(r.message().endsWith("context deadline exceeded"), r.message());
        assertTrue(millis < 2400, "gave up after the webhook's timeout, took " + millis + " ms");

        configure(ValidatingWebhooks.TYPE, "c", hook("slow.example.com", "'timeoutSeconds':1,'failurePolicy':'Ignore'"));
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());
    }

    @Test
    void stoppedServerFailsClosedOrOpenByFailurePolicy() {
        configure(ValidatingWebhooks.TYPE, "fail", hook("fail.example.com", ""));
        configure(MutatingWebhooks.TYPE, "ignore", hook("ignore.example.com", "'failurePolicy':'Ignore'"));
        server.close();
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertFalse(r.allowed());
        assertEquals(500, r.code());
        assertTrue(r.message().contains("failed calling webhook \"fail.example.com\": failed to call webhook: Post"),
                r.message());
        assertTrue(r.message().endsWith("connect: connection refused"), r.message());
        ObjectNode pod = pod("default", "");
        ObjectNode before = pod.deepCopy();
        assertTrue(mutating.admit(createPod(pod)).allowed());
        assertEquals(before, pod);
    }

    @Test
    void onlyTheConfiguredCaIsTrusted() throws Exception {
        try (TestWebhookServer other = new TestWebhookServer()) {
            ObjectNode h = hook("ca.example.com", "");
            ((ObjectNode) h.path("clientConfig")).put("caBundle", other.caBundle());
            configure(ValidatingWebhooks.TYPE, "c", h);
            AdmissionResponse r = validating.validate(createPod(pod("default", "")));
            assertFalse(r.allowed());
            assertTrue(r.message().contains("x509: certificate signed by unknown authority"), r.message());
            assertTrue(server.reviews.isEmpty());
        }
    }

    @Test
    void serviceReferenceResolvesAndTheCertificateMustNameTheService() {
        cluster.put(ResourceType.core("services"), json("{'metadata':{'name':'hook','namespace':'webhooks'},"
                + "'spec':{'type':'ExternalName','externalName':'127.0.0.1'}}"));
        cluster.put(ResourceType.core("services"), json("{'metadata':{'name':'other','namespace':'webhooks'},"
                + "'spec':{'type':'ExternalName','externalName':'127.0.0.1'}}"));
        ObjectNode h = hook("svc.example.com", "");
        ((ObjectNode) h.path("clientConfig")).remove("url");
        ((ObjectNode) h.path("clientConfig")).putObject("service").put("namespace", "webhooks").put("name", "hook")
                .put("port", server.port()).put("path", "/validate");
        configure(ValidatingWebhooks.TYPE, "c", h);
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());
        assertEquals(1, server.reviews.size());

        ((ObjectNode) h.path("clientConfig").path("service")).put("name", "other");
        configure(ValidatingWebhooks.TYPE, "c", h);
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertFalse(r.allowed());
        assertTrue(r.message().contains("x509: certificate is valid for 127.0.0.1, hook.webhooks.svc, "
                + "not other.webhooks.svc"), r.message());

        ((ObjectNode) h.path("clientConfig").path("service")).put("name", "missing");
        configure(ValidatingWebhooks.TYPE, "c", h);
        r = validating.validate(createPod(pod("default", "")));
        assertTrue(r.message().contains("services \"missing\" not found"), r.message());
    }

    @Test
    void clusterIpServiceUsesItsAddressAndPort() {
        cluster.put(ResourceType.core("services"), json("{'metadata':{'name':'hook','namespace':'webhooks'},"
                + "'spec':{'type':'ClusterIP','clusterIP':'127.0.0.1','ports':[{'port':" + server.port() + "}]}}"));
        ObjectNode h = hook("svc.example.com", "");
        ((ObjectNode) h.path("clientConfig")).remove("url");
        ((ObjectNode) h.path("clientConfig")).putObject("service").put("namespace", "webhooks").put("name", "hook")
                .put("port", server.port());
        configure(ValidatingWebhooks.TYPE, "c", h);
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());

        ((ObjectNode) h.path("clientConfig").path("service")).put("port", 1);
        configure(ValidatingWebhooks.TYPE, "c", h);
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertTrue(r.message().contains("no service port 1 found for service \"hook\""), r.message());
    }

    @Test
    void dryRunNeedsSideEffectsNoneOrNoneOnDryRun() {
        configure(ValidatingWebhooks.TYPE, "c", hook("some.example.com", "'sideEffects':'Some'"));
        AdmissionRequest plain = createPod(pod("default", ""));
        AdmissionRequest dry = new AdmissionRequest(plain.operation(), plain.group(), plain.version(), plain.kind(),
                plain.resource(), "", plain.namespace(), plain.name(), plain.object(), null, plain.user(), true);
        AdmissionResponse r = validating.validate(dry);
        assertEquals(400, r.code());
        assertEquals("admission webhook \"some.example.com\" does not support dry run", r.message());
        assertTrue(server.reviews.isEmpty());
        assertTrue(validating.validate(plain).allowed(), "without dry run the webhook is called");

        configure(ValidatingWebhooks.TYPE, "c", hook("some.example.com",
                "'sideEffects':'Unknown','failurePolicy':'Ignore'"));
        assertEquals(400, validating.validate(dry).code(), "failurePolicy Ignore does not apply to dry-run refusals");

        configure(ValidatingWebhooks.TYPE, "c", hook("noneondryrun.example.com", "'sideEffects':'NoneOnDryRun'"));
        server.reviews.clear();
        assertTrue(validating.validate(dry).allowed());
        assertTrue(server.reviews.get(0).path("request").path("dryRun").asBoolean());
        assertEquals(json("{'kind':'CreateOptions','apiVersion':'meta.k8s.io/v1','dryRun':['All']}"),
                server.reviews.get(0).path("request").path("options"));
    }

    @Test
    void namespaceSelectorMatchesTheNamespacesLabels() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        configure(ValidatingWebhooks.TYPE, "c", hook("ns.example.com",
                "'namespaceSelector':{'matchExpressions':[{'key':'env','operator':'In','values':['prod']}]}"));
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());
        assertFalse(validating.validate(createPod(pod("prod", ""))).allowed());
        AdmissionResponse gone = validating.validate(createPod(pod("nowhere", "")));
        assertEquals(404, gone.code());
        assertEquals("namespaces \"nowhere\" not found", gone.message());
    }

    @Test
    void namespaceSelectorOnANamespaceUsesItsOwnLabelsAndIsIgnoredForClusterScopedObjects() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        ObjectNode h = hook("ns.example.com", "'namespaceSelector':{'matchLabels':{'guarded':'true'}}");
        ((ObjectNode) h.path("rules").get(0)).putArray("resources").add("namespaces").add("nodes");
        configure(ValidatingWebhooks.TYPE, "c", h);
        AdmissionRequest guarded = Admission.create("", "v1", "namespaces", "Namespace",
                json("{'metadata':{'name':'x','labels':{'guarded':'true'}}}"), Admission.ADMIN);
        AdmissionRequest open = Admission.create("", "v1", "namespaces", "Namespace",
                json("{'metadata':{'name':'y'}}"), Admission.ADMIN);
        AdmissionRequest node = Admission.create("", "v1", "nodes", "Node", json("{'metadata':{'name':'n'}}"),
                Admission.ADMIN);
        assertFalse(validating.validate(guarded).allowed());
        assertTrue(validating.validate(open).allowed());
        assertFalse(validating.validate(node).allowed(), "cluster-scoped objects are never exempted");
    }

    @Test
    void objectSelectorMatchesTheNewOrTheOldObject() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        configure(ValidatingWebhooks.TYPE, "c", hook("obj.example.com",
                "'objectSelector':{'matchLabels':{'watched':'yes'},"
                        + "'matchExpressions':[{'key':'skip','operator':'DoesNotExist'}]}"));
        assertTrue(validating.validate(createPod(pod("default", "'app':'x'"))).allowed());
        assertFalse(validating.validate(createPod(pod("default", "'watched':'yes'"))).allowed());
        assertTrue(validating.validate(createPod(pod("default", "'watched':'yes','skip':'1'"))).allowed());
        AdmissionRequest unlabel = Admission.update("", "v1", "pods", "Pod", pod("default", ""),
                pod("default", "'watched':'yes'"), Admission.ADMIN);
        assertFalse(validating.validate(unlabel).allowed(), "the old object's labels match");
    }

    @Test
    void rulesMatchOperationsResourcesSubresourcesAndScope() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        ObjectNode h = hook("rules.example.com", "");
        h.set("rules", json("{'r':[{'operations':['UPDATE'],'apiGroups':['apps'],'apiVersions':['*'],"
                + "'resources':['deployments/scale'],'scope':'Namespaced'},"
                + "{'operations':['*'],'apiGroups':['*'],'apiVersions':['*'],'resources':['*'],'scope':'Cluster'}]}")
                .path("r"));
        configure(ValidatingWebhooks.TYPE, "c", h);
        ObjectNode scale = json("{'metadata':{'name':'d','namespace':'default'},'spec':{'replicas':3}}");
        AdmissionRequest scaleUpdate = new AdmissionRequest(Operation.UPDATE, "apps", "v1", "Scale", "deployments",
                "scale", "default", "d", scale, scale, Admission.ADMIN, false);
        AdmissionRequest deploymentUpdate = new AdmissionRequest(Operation.UPDATE, "apps", "v1", "Deployment",
                "deployments", "", "default", "d", scale, scale, Admission.ADMIN, false);
        AdmissionRequest scaleCreate = new AdmissionRequest(Operation.CREATE, "apps", "v1", "Scale", "deployments",
                "scale", "default", "d", scale, null, Admission.ADMIN, false);
        assertFalse(validating.validate(scaleUpdate).allowed());
        assertTrue(validating.validate(deploymentUpdate).allowed(), "deployments/scale does not match deployments");
        assertTrue(validating.validate(scaleCreate).allowed(), "CREATE is not in the operations");
        // '*' with scope Cluster: every cluster-scoped resource, never a namespaced one, never a subresource.
        AdmissionRequest node = Admission.create("", "v1", "nodes", "Node", json("{'metadata':{'name':'n'}}"),
                Admission.ADMIN);
        AdmissionRequest nodeStatus = new AdmissionRequest(Operation.UPDATE, "", "v1", "Node", "nodes", "status", "",
                "n", node.object(), node.object(), Admission.ADMIN, false);
        assertFalse(validating.validate(node).allowed());
        assertTrue(validating.validate(nodeStatus).allowed());
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());
        assertEquals("deployments", server.reviews.get(0).path("request").path("resource").path("resource").asString());
        assertEquals("scale", server.reviews.get(0).path("request").path("subResource").asString());
    }

    @Test
    void webhookConfigurationsThemselvesAreNeverSentToWebhooks() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        ObjectNode h = hook("all.example.com", "");
        h.set("rules", json("{'r':[{'operations':['*'],'apiGroups':['*'],'apiVersions':['*'],'resources':['*']}]}")
                .path("r"));
        configure(ValidatingWebhooks.TYPE, "c", h);
        AdmissionRequest config = Admission.create("admissionregistration.k8s.io", "v1",
                "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
                json("{'metadata':{'name':'x'}}"), Admission.ADMIN);
        assertTrue(validating.validate(config).allowed());
        assertTrue(server.reviews.isEmpty());
    }

    @Test
    void validatingWebhooksRunInParallelAndTheFirstDenialInOrderWins() {
        server.delayMillis = 800;
        server.handler = review -> TestWebhookServer.deny(403, "denied");
        configure(ValidatingWebhooks.TYPE, "a", hook("a.example.com", ""), hook("b.example.com", ""),
                hook("c.example.com", ""));
        long start = System.nanoTime();
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("admission webhook \"a.example.com\" denied the request: denied", r.message());
        assertEquals(3, server.reviews.size());
        assertTrue(millis < 2000, "three 0.8 s webhooks took " + millis + " ms: not in parallel");
    }

    @Test
    void warningsAreReturned() {
        server.handler = review -> {
            ObjectNode r = TestWebhookServer.allow();
            r.putArray("warnings").add("careful");
            r.putObject("auditAnnotations").put("k", "v");
            return r;
        };
        configure(ValidatingWebhooks.TYPE, "c", hook("warn.example.com", ""));
        assertEquals(List.of("careful"), validating.validate(createPod(pod("default", ""))).warnings());
        configure(MutatingWebhooks.TYPE, "m", hook("warn.example.com", ""));
        assertEquals(List.of("careful"), mutating.admit(createPod(pod("default", ""))).warnings());
    }

    @Test
    void v1beta1ReviewsAreSentWhenTheWebhookOnlyAcceptsThem() {
        server.handler = review -> TestWebhookServer.patch(
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/v\",\"value\":\"beta\"}]");
        // a v1beta1 answer: no patchType needed, uid and kind not checked
        server.rawHandler = review -> json("{'response':{'allowed':true,'patch':'"
                + java.util.Base64.getEncoder().encodeToString(
                        "[{\"op\":\"add\",\"path\":\"/metadata/labels/v\",\"value\":\"beta\"}]".getBytes()) + "'}}");
        configure(MutatingWebhooks.TYPE, "m", hook("beta.example.com", "'admissionReviewVersions':['v1beta1']"));
        ObjectNode pod = pod("default", "");
        assertTrue(mutating.admit(createPod(pod)).allowed());
        assertEquals("admission.k8s.io/v1beta1", server.reviews.get(0).path("apiVersion").asString());
        assertEquals("beta", pod.path("metadata").path("labels").path("v").asString());

        configure(MutatingWebhooks.TYPE, "m", hook("none.example.com", "'admissionReviewVersions':['v2']"));
        AdmissionResponse r = mutating.admit(createPod(pod("default", "")));
        assertTrue(r.message().contains("webhook does not accept known AdmissionReview versions (v1, v1beta1)"),
                r.message());
    }

    @Test
    void invalidResponsesAreCallErrors() {
        configure(ValidatingWebhooks.TYPE, "c", hook("bad.example.com", ""));
        server.rawHandler = review -> json("{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview',"
                + "'response':{'uid':'wrong','allowed':true}}");
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertTrue(r.message().contains("received invalid webhook response: expected response.uid=\""), r.message());

        server.rawHandler = review -> json("{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview'}");
        r = validating.validate(createPod(pod("default", "")));
        assertTrue(r.message().endsWith("received invalid webhook response: webhook response was absent"), r.message());

        server.rawHandler = null;
        server.handler = review -> TestWebhookServer.patch("[]");
        r = validating.validate(createPod(pod("default", "")));
        assertTrue(r.message().endsWith("validating webhook may not return response.patch"), r.message());

        configure(MutatingWebhooks.TYPE, "m", hook("bad.example.com", "'failurePolicy':'Ignore'"));
        server.handler = review -> {
            ObjectNode a = TestWebhookServer.allow();
            a.put("patch", java.util.Base64.getEncoder().encodeToString("[]".getBytes()));
            return a;
        };
        assertTrue(mutating.admit(createPod(pod("default", ""))).allowed(), "Ignore also covers invalid responses");
        configure(MutatingWebhooks.TYPE, "m", hook("bad.example.com", ""));
        r = mutating.admit(createPod(pod("default", "")));
        assertTrue(r.message().endsWith("webhook returned response.patch but not response.patchType"), r.message());
    }

    @Test
    void aPatchThatDoesNotApplyIsAnInternalErrorWhateverTheFailurePolicy() {
        server.handler = review -> TestWebhookServer.patch(
                "[{\"op\":\"replace\",\"path\":\"/spec/missing/x\",\"value\":1}]");
        configure(MutatingWebhooks.TYPE, "m", hook("broken.example.com", "'failurePolicy':'Ignore'"));
        AdmissionResponse r = mutating.admit(createPod(pod("default", "")));
        assertFalse(r.allowed());
        assertEquals(500, r.code());
        assertTrue(r.message().startsWith("Internal error occurred: "), r.message());
    }

    @Test
    void deletedConfigurationsStopBeingCalled() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        configure(ValidatingWebhooks.TYPE, "c", hook("deny.example.com", ""));
        assertFalse(validating.validate(createPod(pod("default", ""))).allowed());
        cluster.delete(ValidatingWebhooks.TYPE, "", "c");
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());
    }

    @Test
    void matchConditionsDecideWhetherTheWebhookIsCalled() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        configure(ValidatingWebhooks.TYPE, "c", hook("cond.example.com", "'matchConditions':["
                + "{'name':'labelled','expression':'has(object.metadata.labels) && \\'guarded\\' in object.metadata.labels'},"
                + "{'name':'not-admin','expression':'request.userInfo.username != \\'system:admin\\''}]"));
        assertTrue(validating.validate(createPod(pod("default", "'app':'x'"))).allowed());
        assertTrue(server.reviews.isEmpty(), "the first condition is false: not called");
        assertFalse(validating.validate(createPod(pod("default", "'guarded':'yes'"))).allowed());
        assertEquals(1, server.reviews.size());
    }

    @Test
    void matchConditionErrorsFollowTheFailurePolicy() {
        server.handler = review -> TestWebhookServer.deny(403, "no");
        configure(ValidatingWebhooks.TYPE, "c", hook("cond.example.com",
                "'matchConditions':[{'name':'broken','expression':'object.spec.missing == 1'}]"));
        AdmissionResponse r = validating.validate(createPod(pod("default", "")));
        assertEquals(500, r.code());
        assertTrue(r.message().startsWith("Internal error occurred: failed calling webhook \"cond.example.com\": "
                + "failed to evaluate match conditions: expression 'object.spec.missing == 1' resulted in error: "),
                r.message());
        configure(ValidatingWebhooks.TYPE, "c", hook("cond.example.com", "'failurePolicy':'Ignore',"
                + "'matchConditions':[{'name':'broken','expression':'object.spec.missing == 1'}]"));
        assertTrue(validating.validate(createPod(pod("default", ""))).allowed());
        configure(MutatingWebhooks.TYPE, "m", hook("syntax.example.com",
                "'matchConditions':[{'name':'bad','expression':'object.'}]"));
        r = mutating.admit(createPod(pod("default", "")));
        assertTrue(r.message().contains("failed to evaluate match conditions: compilation failed: "), r.message());
        assertTrue(server.reviews.isEmpty());
    }
}
