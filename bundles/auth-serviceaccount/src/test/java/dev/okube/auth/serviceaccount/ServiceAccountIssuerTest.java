package dev.okube.auth.serviceaccount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.authentication.ServiceAccountTokenIssuer.BoundTokenRequest;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAccountIssuerTest {
    @TempDir
    Path dir;

    ServiceAccountIssuer.Config config(String keyFile, String issuer, String[] audiences, long max) {
        return new ServiceAccountIssuer.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ServiceAccountIssuer.Config.class;
            }

            @Override
            public String key_file() {
                return keyFile;
            }

            @Override
            public String issuer() {
                return issuer;
            }

            @Override
            public String[] api_audiences() {
                return audiences;
            }

            @Override
            public long max_token_expiration_seconds() {
                return max;
            }

            @Override
            public boolean extend_token_expiration() {
                return true;
            }

            @Override
            public String ca_file() {
                return dir.resolve("ca.crt").toString();
            }
        };
    }

    @Test
    void activationCreatesTheKeyPairOnceAndSignsWithIt() throws Exception {
        String key = dir.resolve("pki/sa.key").toString();
        ServiceAccountIssuer first = new ServiceAccountIssuer(config(key, "https://issuer", new String[0], 0));
        assertTrue(Files.exists(dir.resolve("pki/sa.pub")));
        ServiceAccountIssuer second = new ServiceAccountIssuer(config(key, "https://issuer", new String[0], 0));
        assertEquals(first.publicKey(), second.publicKey(), "a restart keeps the key: tokens stay valid");
        assertEquals("https://issuer", second.issuer());
        assertEquals(List.of("https://issuer"), second.defaultAudiences(), "the audiences default to the issuer");
        String token = second.issue(new BoundTokenRequest("ns", "sa", "uid-1", List.of(), 600, null)).token();
        assertEquals(3, token.split("\\.").length);
    }

    @Test
    void audiencesFromACfgFileAreSplitOnCommas() {
        TokenSigner.Settings settings = ServiceAccountIssuer.settings(config("x", "https://issuer",
                new String[] {"api, https://kubernetes.default.svc", "api"}, 3600));
        assertEquals(List.of("api", "https://kubernetes.default.svc"), settings.apiAudiences());
        assertEquals(3600, settings.maxExpirationSeconds());
    }

    @Test
    void anEmptyIssuerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ServiceAccountIssuer.settings(
                config("x", " ", new String[0], 0)));
    }

    @Test
    void pathsExpandKarafsDirectoriesAndThePublicKeySitsBesideThePrivateOne() {
        String saved = System.getProperty("karaf.data");
        System.setProperty("karaf.data", "/srv/okube/data");
        try {
            assertEquals(Path.of("/srv/okube/data/okube/pki/sa.key"), ServiceAccountIssuer.path("${karaf.data}/okube/pki/sa.key"));
        } finally {
            if (saved == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", saved);
            }
        }
        assertEquals(Path.of("/k/sa.pub"), ServiceAccountIssuer.publicKeyFile(Path.of("/k/sa.key")));
        assertEquals(Path.of("/k/signing.pem.pub"), ServiceAccountIssuer.publicKeyFile(Path.of("/k/signing.pem")));
    }
}
