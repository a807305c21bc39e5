package dev.okube.api.scheduler;

import java.time.Duration;

/** What a Permit plugin returns: Success, a rejection, or Wait with how long at most. */
public record PermitResult(Status status, Duration timeout) {
    public static final PermitResult ALLOW = new PermitResult(Status.SUCCESS, Duration.ZERO);

    public static PermitResult of(Status status) {
        return new PermitResult(status, Duration.ZERO);
    }

    public static PermitResult waitFor(Duration timeout) {
        return new PermitResult(Status.WAIT, timeout);
    }
}
