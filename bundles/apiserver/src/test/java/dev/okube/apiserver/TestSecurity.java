package dev.okube.apiserver;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import dev.okube.api.storage.KeyValueStore;
import dev.okube.apiserver.admission.AdmissionPlugins;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

/**
 * An apiserver for tests of the REST layer: the real one, with an empty admission chain and an
 * authenticator that makes every request the cluster administrator (tests of authentication and
 * authorization themselves install their own).
 */
final class TestSecurity {
    static final UserInfo ADMIN = new UserInfo("test-admin", "", List.of("system:masters"), Map.of());

    private TestSecurity() {
    }

    static ApiServer apiServer(ApiServer.Config config, KeyValueStore store) throws Exception {
        ApiServer server = new ApiServer(config, store, new AdmissionPlugins(admissionConfig()), null);
        server.addAuthenticator(new Authenticator() {
            @Override
            public String name() {
                return "test-admin";
            }

            @Override
            public AuthenticationResult authenticate(dev.okube.api.authentication.AuthenticationRequest request) {
                return AuthenticationResult.authenticated(ADMIN);
            }
        });
        return server;
    }

    static AdmissionPlugins.Config admissionConfig() {
        return new AdmissionPlugins.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AdmissionPlugins.Config.class;
            }

            @Override
            public String[] order() {
                return new String[0];
            }

            @Override
            public String[] disabled() {
                return new String[0];
            }

            @Override
            public int timeout_ms() {
                return 2000;
            }

            @Override
            public String[] timeouts() {
                return new String[0];
            }

            @Override
            public String[] fail_open() {
                return new String[0];
            }
        };
    }
}
