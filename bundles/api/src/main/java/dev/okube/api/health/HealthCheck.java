package dev.okube.api.health;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One named health check, served as a sub-path of the health endpoints it applies to, as upstream
 * does ({@code /readyz/etcd}, {@code /livez/ping}).
 */
@ConsumerType
public interface HealthCheck {
    /** The check's name in the path and in verbose output; lowercase, no slashes. */
    String name();

    /** Whether the check takes part in {@code /livez} (and {@code /healthz}) as well as {@code /readyz}. */
    default boolean liveness() {
        return false;
    }

    /** Completes normally when healthy; exceptionally, with the reason as message, when not. */
    CompletableFuture<Void> check();
}
