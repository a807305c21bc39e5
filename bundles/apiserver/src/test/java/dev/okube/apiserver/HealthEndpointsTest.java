package dev.okube.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.health.HealthCheck;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {
    private final HealthEndpoints health = new HealthEndpoints();

    private static HealthCheck check(String name, boolean liveness, String failure) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean liveness() {
                return liveness;
            }

            @Override
            public CompletableFuture<Void> check() {
                return failure == null ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new IllegalStateException(failure));
            }
        };
    }

    @Test
    void healthyAnswersOkAndVerboseListsEveryCheckInOrder() {
        health.add(check("etcd", true, null));
        assertEquals(new HealthEndpoints.Answer(200, "ok"),
                health.evaluate(HealthEndpoints.Endpoint.READYZ, Set.of(), false).join());
        assertEquals(new HealthEndpoints.Answer(200,
                        "[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]shutdown ok\nreadyz check passed\n"),
                health.evaluate(HealthEndpoints.Endpoint.READYZ, Set.of(), true).join());
        assertEquals("[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n",
                health.evaluate(HealthEndpoints.Endpoint.LIVEZ, Set.of(), true).join().body());
    }

    @Test
    void failureWithholdsTheReasonOnTheListAndGivesItOnTheSubPath() {
        health.add(check("etcd", false, "connection refused"));
        HealthEndpoints.Answer all = health.evaluate(HealthEndpoints.Endpoint.READYZ, Set.of(), false).join();
        assertEquals(500, all.status());
        assertEquals("[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n",
                all.body());
        HealthEndpoints.Answer one = health.evaluateOne(HealthEndpoints.Endpoint.READYZ, "etcd").orElseThrow().join();
        assertEquals(new HealthEndpoints.Answer(500, "internal server error: connection refused\n"), one);
        // A readiness-only check does not take the process's liveness down.
        assertEquals(200, health.evaluate(HealthEndpoints.Endpoint.LIVEZ, Set.of(), false).join().status());
        assertTrue(health.evaluateOne(HealthEndpoints.Endpoint.LIVEZ, "etcd").isEmpty());
    }

    @Test
    void excludedChecksPassAndUnknownExclusionsAreWarned() {
        health.add(check("etcd", true, "down"));
        HealthEndpoints.Answer a = health.evaluate(HealthEndpoints.Endpoint.READYZ, Set.of("etcd", "nosuch"), true).join();
        assertEquals(200, a.status());
        assertEquals("[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\n[+]shutdown ok\n"
                + "warn: some health checks cannot be excluded: no matches for \"nosuch\"\nreadyz check passed\n", a.body());
    }

    @Test
    void shutdownFailsReadinessOnly() {
        health.shuttingDown();
        assertEquals(500, health.evaluate(HealthEndpoints.Endpoint.READYZ, Set.of(), false).join().status());
        assertEquals(200, health.evaluate(HealthEndpoints.Endpoint.HEALTHZ, Set.of(), false).join().status());
    }

    @Test
    void aThrowingCheckCountsAsFailedNotAsAnError() {
        health.add(new HealthCheck() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public CompletableFuture<Void> check() {
                throw new IllegalStateException("bug");
            }
        });
        assertEquals(new HealthEndpoints.Answer(500, "internal server error: bug\n"),
                health.evaluateOne(HealthEndpoints.Endpoint.READYZ, "broken").orElseThrow().join());
    }
}
