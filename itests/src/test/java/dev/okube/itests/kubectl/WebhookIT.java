package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Admission webhooks and ValidatingAdmissionPolicy end to end: the real kubectl against a real
 * okube with the three plugins installed as features, and a real HTTPS webhook server on loopback
 * in this JVM (its certificate made with the JDK's keytool; the configurations trust only it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OkubeCluster cluster;
    private HttpsServer server;
    private String caBundle;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        startWebhookServer();
        cluster = OkubeCluster.start();
        // bin/client needs the shell key that okube writes shortly after it is ready: retry.
        eventually("the plugins' features are installed", () -> cluster.shell("feature:install "
                + "okube-admission-mutatingadmissionwebhook okube-admission-validatingadmissionwebhook "
                + "okube-admission-validatingadmissionpolicy").exitCode() == 0);
        eventually("the three plugins are in the admission chain", () -> {
            String chain = cluster.shell("kube:admission").out();
            return chain.contains("MutatingAdmissionWebhook") && chain.contains("ValidatingAdmissionWebhook")
                    && chain.contains("ValidatingAdmissionPolicy");
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A webhook server: /allow allows, /deny denies, /label adds the label injected=yes. */
    private void startWebhookServer() throws Exception {
        Path dir = Files.createTempDirectory("webhook-it");
        Path store = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "webhook", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=webhook", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        Path pem = dir.resolve("server.pem");
        keytool("-exportcert", "-rfc", "-alias", "webhook", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-file", pem.toString());
        caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                JsonNode review = JSON.readTree(exchange.getRequestBody().readAllBytes());
                JsonNode request = review.path("request");
                String path = exchange.getRequestURI().getPath();
                received.add(path + " " + request.path("operation").asString() + " "
                        + request.path("object").path("metadata").path("name").asString());
                ObjectNode response = JSON.createObjectNode();
                response.put("uid", request.path("uid").asString());
                switch (path) {
                    case "/deny" -> {
                        response.put("allowed", false);
                        response.putObject("status").put("code", 403).put("message", "no pods labelled deny");
                    }
                    case "/label" -> {
                        response.put("allowed", true);
                        boolean hasLabels = request.path("object").path("metadata").has("labels");
                        String patch = hasLabels
                                ? "[{\"op\":\"add\",\"path\":\"/metadata/labels/injected\",\"value\":\"yes\"}]"
                                : "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"injected\":\"yes\"}}]";
                        response.put("patchType", "JSONPatch");
                        response.put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
                    }
                    default -> response.put("allowed", true);
                }
                ObjectNode out = JSON.createObjectNode();
                out.put("apiVersion", "admission.k8s.io/v1");
                out.put("kind", "AdmissionReview");
                out.set("response", response);
                byte[] body = JSON.writeValueAsBytes(out);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    private String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A webhook configuration of one webhook on pod creation, for pods labelled webhook-test=VALUE. */
    private String configuration(String kind, String name, String path, String label, String failurePolicy) {
        return "apiVersion: admissionregistration.k8s.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
                + "webhooks:\n- name: " + name + ".okube.dev\n"
                + "  clientConfig:\n    url: " + url(path) + "\n    caBundle: " + caBundle + "\n"
                + "  rules:\n  - operations: [CREATE]\n    apiGroups: ['']\n    apiVersions: [v1]\n    resources: [pods]\n"
                + "  objectSelector:\n    matchLabels:\n      webhook-test: " + label + "\n"
                + "  failurePolicy: " + failurePolicy + "\n  timeoutSeconds: 5\n"
                + "  sideEffects: None\n  admissionReviewVersions: [v1]\n";
    }

    private static String pod(String name, String label) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  labels:\n    webhook-test: " + label
                + "\nspec:\n  containers:\n  - name: main\n    image: busybox\n";
    }

    private OkubeCluster.Result create(String yaml) throws Exception {
        return cluster.kubectlWithInput(yaml, "create", "--validate=false", "-f", "-");
    }

    private void apply(String yaml) throws Exception {
        cluster.kubectlWithInput(yaml, "create", "--validate=false", "-f", "-").ok();
    }

    private static void eventually(String what, Callable<Boolean> check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(check.call())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within 30 s: " + what);
    }

    @Test
    @Order(1)
    void allowingWebhookIsCalledAndThePodCreated() throws Exception {
        apply(configuration("ValidatingWebhookConfiguration", "allow", "/allow", "allow", "Fail"));
        int[] attempt = {0};
        // The plugin sees the new configuration through a watch: retry until the webhook saw a pod.
        eventually("the webhook is called", () -> {
            String name = "allowed-" + attempt[0]++;
            create(pod(name, "allow")).ok();
            return received.contains("/allow CREATE " + name);
        });
        assertTrue(cluster.kubectl("get", "pods", "-o", "name").ok().out().contains("pod/allowed-"));
    }

    @Test
    @Order(2)
    void denyingWebhookMessageReachesKubectl() throws Exception {
        apply(configuration("ValidatingWebhookConfiguration", "deny", "/deny", "deny", "Fail"));
        int[] attempt = {0};
        OkubeCluster.Result[] last = new OkubeCluster.Result[1];
        eventually("the webhook denies", () -> {
            last[0] = create(pod("denied-" + attempt[0]++, "deny"));
            return last[0].exitCode() != 0;
        });
        assertTrue(last[0].stderr().contains(
                "admission webhook \"deny.okube.dev\" denied the request: no pods labelled deny"), last[0].stderr());
    }

    @Test
    @Order(3)
    void mutatingWebhookPatchAddsALabel() throws Exception {
        apply(configuration("MutatingWebhookConfiguration", "label", "/label", "patch", "Fail"));
        int[] attempt = {0};
        String[] name = new String[1];
        eventually("the mutating webhook patched a pod", () -> {
            name[0] = "patched-" + attempt[0]++;
            create(pod(name[0], "patch")).ok();
            return received.contains("/label CREATE " + name[0]);
        });
        String labels = cluster.kubectl("get", "pod", name[0], "-o", "jsonpath={.metadata.labels}").ok().out();
        assertTrue(labels.contains("\"injected\":\"yes\""), labels);
        assertTrue(labels.contains("\"webhook-test\":\"patch\""), labels);
    }

    @Test
    @Order(4)
    void matchConditionsChooseWhichRequestsReachTheWebhook() throws Exception {
        String config = configuration("ValidatingWebhookConfiguration", "cond", "/deny", "cond", "Fail")
                + "  matchConditions:\n  - name: guarded-only\n"
                + "    expression: \"object.metadata.name.startsWith('guarded-')\"\n";
        apply(config);
        int[] attempt = {0};
        OkubeCluster.Result[] last = new OkubeCluster.Result[1];
        eventually("the webhook denies guarded pods", () -> {
            last[0] = create(pod("guarded-" + attempt[0]++, "cond"));
            return last[0].exitCode() != 0;
        });
        assertTrue(last[0].stderr().contains("admission webhook \"cond.okube.dev\" denied the request"), last[0].stderr());
        assertEquals("pod/free created\n", create(pod("free", "cond")).ok().out());
        assertTrue(received.stream().noneMatch(r -> r.endsWith(" free")), received.toString());
    }

    @Test
    @Order(5)
    void stoppedWebhookFailClosedOrOpenByFailurePolicy() throws Exception {
        apply(configuration("ValidatingWebhookConfiguration", "down-fail", "/allow", "down-fail", "Fail"));
        apply(configuration("ValidatingWebhookConfiguration", "down-ignore", "/allow", "down-ignore", "Ignore"));
        int[] attempt = {0};
        eventually("both configurations are in effect", () -> {
            String a = "probe-fail-" + attempt[0];
            String b = "probe-ignore-" + attempt[0]++;
            create(pod(a, "down-fail")).ok();
            create(pod(b, "down-ignore")).ok();
            return received.contains("/allow CREATE " + a) && received.contains("/allow CREATE " + b);
        });
        server.stop(0);
        OkubeCluster.Result failed = create(pod("closed", "down-fail"));
        assertNotEquals(0, failed.exitCode());
        assertTrue(failed.stderr().contains("failed calling webhook \"down-fail.okube.dev\""), failed.stderr());
        assertTrue(failed.stderr().contains("connection refused"), failed.stderr());
        assertEquals("pod/open created\n", create(pod("open", "down-ignore")).ok().out());
    }

    @Test
    @Order(6)
    void validatingAdmissionPolicyDeniesMoreThanFiveReplicas() throws Exception {
        apply("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n"
                + "  name: max-replicas\nspec:\n  failurePolicy: Fail\n  matchConstraints:\n    resourceRules:\n"
                + "    - apiGroups: [apps]\n      apiVersions: [v1]\n      operations: [CREATE, UPDATE]\n"
                + "      resources: [deployments]\n  validations:\n  - expression: object.spec.replicas <= 5\n"
                + "    messageExpression: \"'replicas must be at most 5, not ' + string(object.spec.replicas)\"\n");
        apply("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n"
                + "  name: max-replicas-binding\nspec:\n  policyName: max-replicas\n  validationActions: [Deny]\n");
        int[] attempt = {0};
        OkubeCluster.Result[] last = new OkubeCluster.Result[1];
        eventually("the policy denies 7 replicas", () -> {
            last[0] = create(deployment("big-" + attempt[0]++, 7));
            return last[0].exitCode() != 0;
        });
        assertTrue(last[0].stderr().contains("ValidatingAdmissionPolicy 'max-replicas' with binding "
                + "'max-replicas-binding' denied request: replicas must be at most 5, not 7"), last[0].stderr());
        assertEquals("deployment.apps/small created\n", create(deployment("small", 3)).ok().out());
    }

    private static String deployment(String name, int replicas) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  replicas: " + replicas
                + "\n  selector:\n    matchLabels:\n      app: " + name + "\n  template:\n    metadata:\n      labels:\n"
                + "        app: " + name + "\n    spec:\n      containers:\n      - name: main\n        image: busybox\n";
    }
}
