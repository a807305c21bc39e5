package dev.okube.auth.anonymous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnonymousAuthenticatorTest {
    static AnonymousAuthenticator.Config config(boolean enabled) {
        return new AnonymousAuthenticator.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AnonymousAuthenticator.Config.class;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }
        };
    }

    static AuthenticationRequest request(Map<String, List<String>> headers) {
        return new AuthenticationRequest(headers, List.of(), "127.0.0.1");
    }

    @Test
    void aRequestWithoutCredentialsIsSystemAnonymous() {
        AuthenticationResult result = new AnonymousAuthenticator(config(true)).authenticate(
                request(Map.of("user-agent", List.of("curl/8"))));
        assertEquals(Outcome.AUTHENTICATED, result.outcome());
        assertEquals("system:anonymous", result.user().name());
        assertEquals("", result.user().uid());
        assertEquals(List.of("system:unauthenticated"), result.user().groups());
    }

    @Test
    void aRequestWithAnAuthorizationHeaderIsNeverAnonymous() {
        AnonymousAuthenticator anonymous = new AnonymousAuthenticator(config(true));
        // A bearer token every other authenticator turned down must end in 401, as upstream.
        assertEquals(Outcome.NO_OPINION, anonymous.authenticate(
                request(Map.of("authorization", List.of("Bearer not-a-known-token")))).outcome());
        assertEquals(Outcome.NO_OPINION, anonymous.authenticate(
                request(Map.of("authorization", List.of("Basic YWRtaW46YWRtaW4=")))).outcome());
        assertEquals(Outcome.NO_OPINION, anonymous.authenticate(
                request(Map.of("authorization", List.of("Bearer ")))).outcome());
    }

    @Test
    void disabledItHasNoOpinion() {
        assertEquals(Outcome.NO_OPINION, new AnonymousAuthenticator(config(false)).authenticate(request(Map.of()))
                .outcome());
    }

    @Test
    void itIsNamedAnonymous() {
        assertEquals("anonymous", new AnonymousAuthenticator(config(true)).name());
    }
}
