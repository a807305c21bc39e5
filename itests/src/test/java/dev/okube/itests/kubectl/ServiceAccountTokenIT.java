package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Service-account tokens, the static token file and the authenticator chain end to end, with the
 * real kubectl: {@code kubectl create token} gives a token that authenticates, {@code --duration}
 * sets its lifetime, a deleted account's token stops working, legacy token Secrets are filled, and
 * a user of etc/okube-tokens.csv (written while the cluster runs: the file is re-read on change)
 * authenticates. Identity is checked with TokenReview (asked by an administrator) and by what the
 * apiserver answers the token's own requests: 401 for a token nobody vouches for, otherwise an
 * answer naming the user (its request may still be forbidden, depending on the authorizers installed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceAccountTokenIT {
    private static final String ADMIN_TOKEN = "itest-admin-" + UUID.randomUUID();
    private static final String JANE_TOKEN = "itest-jane-" + UUID.randomUUID();
    private OkubeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = OkubeCluster.start();
        // home/data/okube/admin.kubeconfig → home/etc/okube-tokens.csv
        Path tokens = cluster.kubeconfig().getParent().getParent().getParent().resolve("etc/okube-tokens.csv");
        Files.writeString(tokens, "# written by ServiceAccountTokenIT\n"
                + ADMIN_TOKEN + ",itest-admin,1,system:masters\n"
                + "this line is bad\n"
                + JANE_TOKEN + ",jane,42,\"devs,qa\"\n");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** kubectl as the administrator of the token file (works with or without a client certificate). */
    private OkubeCluster.Result admin(String... args) throws Exception {
        return cluster.kubectl(withToken(ADMIN_TOKEN, args));
    }

    /**
     * kubectl with only a bearer token: a kubeconfig with the admin's cluster (server, CA) and a token
     * user, so that no client certificate vouches for the request first (x509 comes first in the chain).
     * kubectl sends tokens only over HTTPS.
     */
    private OkubeCluster.Result as(String token, String... args) throws Exception {
        String server = admin("config", "view", "--raw", "--minify", "-o",
                "jsonpath={.clusters[0].cluster.server}").ok().out().trim();
        String ca = admin("config", "view", "--raw", "--minify", "-o",
                "jsonpath={.clusters[0].cluster.certificate-authority-data}").ok().out().trim();
        Path config = Files.createTempFile(cluster.kubeconfig().getParent(), "token", ".kubeconfig");
        Files.writeString(config, "apiVersion: v1\nkind: Config\nclusters:\n- name: okube\n  cluster:\n"
                + "    server: " + server + "\n" + (ca.isEmpty() ? "" : "    certificate-authority-data: " + ca + "\n")
                + "users:\n- name: bearer\n  user:\n    token: " + token + "\ncontexts:\n- name: bearer\n"
                + "  context:\n    cluster: okube\n    user: bearer\ncurrent-context: bearer\n");
        List<String> all = new ArrayList<>();
        all.add("--kubeconfig=" + config); // the last --kubeconfig wins
        all.addAll(List.of(args));
        return cluster.kubectl(all.toArray(String[]::new));
    }

    private static String[] withToken(String token, String... args) {
        List<String> all = new ArrayList<>();
        all.add("--token=" + token);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** A TokenReview of the token, answered by the apiserver's authenticator chain, as JSON. */
    private String review(String token) throws Exception {
        String yaml = "apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: " + token + "\n";
        return cluster.kubectlWithInput(yaml, withToken(ADMIN_TOKEN, "create", "--validate=false", "-f", "-", "-o", "json")).ok().out();
    }

    private static String claims(String jwt) {
        String[] parts = jwt.trim().split("\\.");
        assertEquals(3, parts.length, jwt);
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    private static long number(String json, String claim) {
        Matcher m = Pattern.compile("\"" + claim + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), claim + " in " + json);
        return Long.parseLong(m.group(1));
    }

    /** The token's own request is authenticated: not 401, and the answer (data or Forbidden) names its user. */
    private void assertAuthenticatedAs(String token, String user) throws Exception {
        OkubeCluster.Result whoami = as(token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        if (whoami.exitCode() == 0) {
            assertEquals(user, whoami.stdout().trim());
            return;
        }
        // Without a policy that lets the user review itself, its requests are forbidden by name, not 401.
        OkubeCluster.Result list = as(token, "get", "namespaces");
        String all = whoami.stderr() + list.stdout() + list.stderr();
        assertTrue(!all.contains("Unauthorized") && list.stderr().contains("User \"" + user + "\""), all);
    }

    @Test
    @Order(1)
    void aStaticTokenFileUserAuthenticates() throws Exception {
        String review = review(JANE_TOKEN);
        assertTrue(review.contains("\"authenticated\": true"), review);
        assertTrue(review.contains("\"username\": \"jane\""), review);
        assertTrue(review.contains("\"uid\": \"42\""), review);
        assertTrue(review.replaceAll("\\s", "").contains("\"groups\":[\"devs\",\"qa\",\"system:authenticated\"]"),
                review);
        assertAuthenticatedAs(JANE_TOKEN, "jane");

        OkubeCluster.Result unknown = as("no-such-token", "get", "namespaces");
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.stderr().contains("Unauthorized"), "a rejected token is never anonymous: "
                + unknown.stderr());
    }

    @Test
    @Order(2)
    void kubectlCreateTokenGivesATokenThatAuthenticates() throws Exception {
        admin("create", "serviceaccount", "robot").ok();
        String uid = admin("get", "serviceaccount", "robot", "-o", "jsonpath={.metadata.uid}").ok().out().trim();
        String token = admin("create", "token", "robot").ok().out().trim();
        String claims = claims(token);
        assertTrue(claims.contains("\"sub\":\"system:serviceaccount:default:robot\""), claims);
        assertTrue(claims.contains("\"iss\":\"https://kubernetes.default.svc.cluster.local\""), claims);
        assertTrue(claims.contains("\"aud\":[\"https://kubernetes.default.svc.cluster.local\"]"), claims);
        assertTrue(claims.contains("\"uid\":\"" + uid + "\""), claims);
        assertEquals(3600, number(claims, "exp") - number(claims, "iat"));

        String review = review(token);
        assertTrue(review.contains("\"authenticated\": true"), review);
        assertTrue(review.contains("\"username\": \"system:serviceaccount:default:robot\""), review);
        assertTrue(review.replaceAll("\\s", "").contains("\"groups\":[\"system:serviceaccounts\","
                + "\"system:serviceaccounts:default\",\"system:authenticated\"]"), review);
        assertAuthenticatedAs(token, "system:serviceaccount:default:robot");
    }

    @Test
    @Order(3)
    void durationAndAudienceAreHonouredAndTooShortIsRefused() throws Exception {
        String token = admin("create", "token", "robot", "--duration=20m").ok().out().trim();
        String claims = claims(token);
        assertEquals(1200, number(claims, "exp") - number(claims, "iat"));

        String vault = admin("create", "token", "robot", "--audience=vault").ok().out().trim();
        assertTrue(claims(vault).contains("\"aud\":[\"vault\"]"), claims(vault));
        String review = review(vault);
        assertTrue(!review.contains("\"authenticated\": true"),
                "a token for another audience does not authenticate to the apiserver: " + review);

        OkubeCluster.Result tooShort = admin("create", "token", "robot", "--duration=1m");
        assertNotEquals(0, tooShort.exitCode());
        assertTrue(tooShort.stderr().contains("may not specify a duration less than 10 minutes"), tooShort.stderr());

        OkubeCluster.Result missing = admin("create", "token", "nobody");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("serviceaccounts \"nobody\" not found"), missing.stderr());
    }

    @Test
    @Order(4)
    void aLegacyTokenSecretIsFilledAndItsTokenAuthenticates() throws Exception {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: robot-token\n  annotations:\n"
                + "    kubernetes.io/service-account.name: robot\ntype: kubernetes.io/service-account-token\n";
        cluster.kubectlWithInput(secret, withToken(ADMIN_TOKEN, "create", "--validate=false", "-f", "-")).ok();
        String encoded = "";
        for (int i = 0; i < 100 && encoded.isEmpty(); i++) {
            encoded = admin("get", "secret", "robot-token", "-o", "jsonpath={.data.token}").ok().out().trim();
            if (encoded.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertTrue(!encoded.isEmpty(), "the tokens controller fills data.token");
        String token = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        assertTrue(claims(token).contains("\"iss\":\"kubernetes/serviceaccount\""), claims(token));
        String review = review(token);
        assertTrue(review.contains("\"username\": \"system:serviceaccount:default:robot\""), review);
    }

    @Test
    @Order(5)
    void aDeletedServiceAccountsTokensStopWorking() throws Exception {
        String token = admin("create", "token", "robot").ok().out().trim();
        assertTrue(review(token).contains("\"authenticated\": true"));
        admin("delete", "serviceaccount", "robot").ok();

        String review = review(token);
        assertTrue(!review.contains("\"authenticated\": true"), review);
        OkubeCluster.Result own = as(token, "get", "namespaces");
        assertNotEquals(0, own.exitCode());
        assertTrue(own.stderr().contains("Unauthorized"), own.stderr());

        // Its legacy token Secret goes with it, and a new account of the same name gets no old tokens.
        String gone = "";
        for (int i = 0; i < 100; i++) {
            OkubeCluster.Result r = admin("get", "secret", "robot-token");
            if (r.exitCode() != 0) {
                gone = r.stderr();
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(gone.contains("not found"), "the token secret of a deleted account is deleted");
        admin("create", "serviceaccount", "robot").ok();
        assertTrue(!review(token).contains("\"authenticated\": true"), "a recreated account has another uid");
    }
}
