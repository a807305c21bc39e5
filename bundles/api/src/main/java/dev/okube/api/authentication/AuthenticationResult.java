package dev.okube.api.authentication;

import dev.okube.api.admission.UserInfo;
import java.util.List;
import java.util.Objects;

/**
 * An authenticator's answer.
 *
 * @param outcome   authenticated, rejected, or no opinion
 * @param user      the user, when authenticated
 * @param audiences the audiences the credential was issued for, when authenticated and the
 *                  credential names any (service-account tokens); empty otherwise
 * @param error     why the credential was rejected, when rejected
 */
public record AuthenticationResult(Outcome outcome, UserInfo user, List<String> audiences, String error) {
    public enum Outcome { AUTHENTICATED, REJECTED, NO_OPINION }

    private static final AuthenticationResult NO_OPINION = new AuthenticationResult(Outcome.NO_OPINION, null, List.of(), "");

    public AuthenticationResult {
        Objects.requireNonNull(outcome, "outcome should not be null");
        if (outcome == Outcome.AUTHENTICATED) {
            Objects.requireNonNull(user, "an authenticated result needs a user");
        }
        audiences = List.copyOf(audiences);
        error = error == null ? "" : error;
    }

    public static AuthenticationResult authenticated(UserInfo user) {
        return new AuthenticationResult(Outcome.AUTHENTICATED, user, List.of(), "");
    }

    public static AuthenticationResult authenticated(UserInfo user, List<String> audiences) {
        return new AuthenticationResult(Outcome.AUTHENTICATED, user, audiences, "");
    }

    public static AuthenticationResult rejected(String error) {
        return new AuthenticationResult(Outcome.REJECTED, null, List.of(), error);
    }

    public static AuthenticationResult noOpinion() {
        return NO_OPINION;
    }
}
