package dev.okube.apiserver;

import dev.okube.api.health.HealthCheck;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The checks behind {@code /healthz}, {@code /livez} and {@code /readyz}, answered with upstream's
 * texts (k8s.io/apiserver healthz): "ok", the {@code [+]name ok} list with {@code ?verbose}, and on
 * failure the list with reasons withheld and status 500.
 */
final class HealthEndpoints {
    /** A check that does not answer within this time counts as failed. */
    static final long CHECK_TIMEOUT_SECONDS = 5;

    enum Endpoint {
        HEALTHZ("healthz"), LIVEZ("livez"), READYZ("readyz");

        private final String path;

        Endpoint(String path) {
            this.path = path;
        }

        String path() {
            return path;
        }
    }

    /** An HTTP answer: status code and text body. */
    record Answer(int status, String body) {
    }

    private final List<HealthCheck> contributed = new CopyOnWriteArrayList<>();
    private volatile boolean shuttingDown;

    void add(HealthCheck check) {
        contributed.add(check);
    }

    void remove(HealthCheck check) {
        contributed.remove(check);
    }

    void shuttingDown() {
        shuttingDown = true;
    }

    /** The checks of one endpoint, in upstream's order: ping, log, contributed checks, then shutdown. */
    List<HealthCheck> checks(Endpoint endpoint) {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(builtin("ping", () -> null));
        checks.add(builtin("log", () -> null));
        for (HealthCheck check : contributed) {
            if (endpoint == Endpoint.READYZ || check.liveness()) {
                checks.add(check);
            }
        }
        if (endpoint == Endpoint.READYZ) {
            checks.add(builtin("shutdown", () -> shuttingDown ? "process is shutting down" : null));
        }
        return checks;
    }

    /** Runs every check of the endpoint except the excluded ones. */
    CompletableFuture<Answer> evaluate(Endpoint endpoint, Set<String> exclude, boolean verbose) {
        List<HealthCheck> checks = checks(endpoint);
        Set<String> unmatched = new LinkedHashSet<>(exclude);
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (HealthCheck check : checks) {
            if (unmatched.remove(check.name())) {
                results.add(CompletableFuture.completedFuture(null));
            } else {
                results.add(run(check));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            StringBuilder lines = new StringBuilder();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                String name = checks.get(i).name();
                String failure = results.get(i).join();
                if (exclude.contains(name)) {
                    lines.append("[+]").append(name).append(" excluded: ok\n");
                } else if (failure != null) {
                    lines.append("[-]").append(name).append(" failed: reason withheld\n");
                    failed.add(name);
                } else {
                    lines.append("[+]").append(name).append(" ok\n");
                }
            }
            if (!unmatched.isEmpty()) {
                lines.append("warn: some health checks cannot be excluded: no matches for ")
                        .append(unmatched.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",")))
                        .append('\n');
            }
            if (!failed.isEmpty()) {
                return new Answer(500, lines + endpoint.path() + " check failed\n");
            }
            return verbose ? new Answer(200, lines + endpoint.path() + " check passed\n") : new Answer(200, "ok");
        });
    }

    /** Runs one named check, as {@code /readyz/<name>}; empty when the endpoint has no such check. */
    Optional<CompletableFuture<Answer>> evaluateOne(Endpoint endpoint, String name) {
        return checks(endpoint).stream().filter(c -> c.name().equals(name)).findFirst()
                .map(check -> run(check).thenApply(failure -> failure == null
                        ? new Answer(200, "ok")
                        : new Answer(500, "internal server error: " + failure + "\n")));
    }

    /** Completes with null when the check passed, or with the reason it failed; never exceptionally. */
    private static CompletableFuture<String> run(HealthCheck check) {
        CompletableFuture<Void> result;
        try {
            result = check.check();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.orTimeout(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((ok, error) -> {
            if (error == null) {
                return null;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        });
    }

    /** A built-in check whose failure reason comes from a supplier; null means healthy. */
    private static HealthCheck builtin(String name, java.util.function.Supplier<String> failure) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean liveness() {
                return true;
            }

            @Override
            public CompletableFuture<Void> check() {
                String reason = failure.get();
                return reason == null ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new IllegalStateException(reason));
            }
        };
    }
}
