package dev.okube.auth.serviceaccount;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.authentication.AuthenticationResult.Outcome;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.InMemoryClusterResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class LegacyTokensControllerTest {
    static final ResourceType SA = ResourceType.core("serviceaccounts");
    static final ResourceType SECRETS = ResourceType.core("secrets");
    static final String ISSUER = ServiceAccountTokensTest.ISSUER;

    @TempDir
    Path dir;
    final InMemoryClusterResources cluster = new InMemoryClusterResources().serve(SA, SECRETS);
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    final TokenSigner.Settings settings = new TokenSigner.Settings(ISSUER, List.of(ISSUER), 0, true);
    final TokenSigner signer = new TokenSigner((RSAPrivateKey) ServiceAccountTokensTest.KEYS.getPrivate(), "kid",
            settings, clock);
    final TokenVerifier verifier = new TokenVerifier((RSAPublicKey) ServiceAccountTokensTest.KEYS.getPublic(), settings,
            cluster, clock);
    ScheduledExecutorService worker;
    LegacyTokensController controller;

    @BeforeEach
    void setUp() {
        worker = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        worker.shutdownNow();
    }

    /** A controller whose worker never runs: the test drives the sync itself. */
    LegacyTokensController manual(Path ca) {
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdownNow();
        controller = new LegacyTokensController(cluster, signer, ca, stopped);
        return controller;
    }

    LegacyTokensController start(Path ca) {
        controller = new LegacyTokensController(cluster, signer, ca, worker);
        return controller;
    }

    static ObjectNode tokenSecret(String name, String account) {
        return json("{'metadata':{'name':'" + name + "','namespace':'team','annotations':"
                + "{'kubernetes.io/service-account.name':'" + account + "'}},'type':'kubernetes.io/service-account-token'}");
    }

    Optional<ObjectNode> secret(String name) {
        return cluster.get(SECRETS, "team", name);
    }

    static String decoded(ObjectNode secret, String key) {
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asString()), StandardCharsets.UTF_8);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aTokenSecretGetsAWorkingTokenTheNamespaceTheCaAndTheAccountsUid() throws Exception {
        ObjectNode robot = cluster.put(SA, json("{'metadata':{'name':'robot','namespace':'team'}}"));
        Path ca = dir.resolve("ca.crt");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        start(ca);
        cluster.put(SECRETS, tokenSecret("robot-token", "robot"));
        await(() -> secret("robot-token").map(s -> s.path("data").has("token")).orElse(false));

        ObjectNode secret = secret("robot-token").orElseThrow();
        assertEquals("team", decoded(secret, "namespace"));
        assertEquals(Files.readString(ca), decoded(secret, "ca.crt"));
        assertEquals(ServiceAccountTokensTest.uid(robot),
                secret.path("metadata").path("annotations").path("kubernetes.io/service-account.uid").asString());
        var result = verifier.authenticate(decoded(secret, "token"));
        assertEquals(Outcome.AUTHENTICATED, result.outcome(), result.error());
        assertEquals("system:serviceaccount:team:robot", result.user().name());
    }

    @Test
    void withoutACaFileCaCrtIsLeftOutAndAnExistingTokenIsKept() {
        cluster.put(SA, json("{'metadata':{'name':'robot','namespace':'team'}}"));
        ObjectNode given = tokenSecret("robot-token", "robot");
        given.withObjectProperty("data").put("token", Base64.getEncoder().encodeToString("mine".getBytes()));
        cluster.put(SECRETS, given);
        LegacyTokensController c = manual(dir.resolve("absent.crt"));
        assertTrue(c.syncSecret("team", "robot-token", false));
        ObjectNode secret = secret("robot-token").orElseThrow();
        assertFalse(secret.path("data").has("ca.crt"));
        assertEquals("mine", decoded(secret, "token"));
        assertEquals("team", decoded(secret, "namespace"));
        String rv = secret.path("metadata").path("resourceVersion").asString();
        assertTrue(c.syncSecret("team", "robot-token", false));
        assertEquals(rv, secret("robot-token").orElseThrow().path("metadata").path("resourceVersion").asString(),
                "a synced secret is not written again");
    }

    @Test
    void aTokenSecretForAMissingAccountIsDeletedOnceTheAbsenceIsConfirmed() {
        cluster.put(SECRETS, tokenSecret("ghost-token", "ghost"));
        LegacyTokensController c = manual(dir.resolve("absent.crt"));
        assertFalse(c.syncSecret("team", "ghost-token", false), "the first miss waits for the cache");
        assertTrue(secret("ghost-token").isPresent());
        assertTrue(c.syncSecret("team", "ghost-token", true));
        assertTrue(secret("ghost-token").isEmpty());
    }

    @Test
    void deletingAnAccountDeletesItsTokenSecretsButNotOthers() throws Exception {
        cluster.put(SA, json("{'metadata':{'name':'robot','namespace':'team'}}"));
        cluster.put(SA, json("{'metadata':{'name':'other','namespace':'team'}}"));
        start(dir.resolve("absent.crt"));
        cluster.put(SECRETS, tokenSecret("robot-token", "robot"));
        cluster.put(SECRETS, tokenSecret("other-token", "other"));
        cluster.put(SECRETS, json("{'metadata':{'name':'plain','namespace':'team'},'type':'Opaque'}"));
        await(() -> secret("robot-token").map(s -> s.path("data").has("token")).orElse(false)
                && secret("other-token").map(s -> s.path("data").has("token")).orElse(false));

        cluster.delete(SA, "team", "robot");
        await(() -> secret("robot-token").isEmpty());
        assertTrue(secret("other-token").isPresent());
        assertTrue(secret("plain").isPresent());
        assertFalse(secret("plain").orElseThrow().path("data").has("token"), "only token secrets are filled");
    }

    @Test
    void aSecretNamingARecreatedAccountsOldUidIsDeleted() {
        ObjectNode robot = cluster.put(SA, json("{'metadata':{'name':'robot','namespace':'team'}}"));
        ObjectNode stale = tokenSecret("robot-token", "robot");
        stale.withObjectProperty("metadata").withObjectProperty("annotations")
                .put("kubernetes.io/service-account.uid", "not-" + ServiceAccountTokensTest.uid(robot));
        cluster.put(SECRETS, stale);
        LegacyTokensController c = manual(dir.resolve("absent.crt"));
        c.syncSecret("team", "robot-token", true);
        assertTrue(secret("robot-token").isEmpty());
    }
}
