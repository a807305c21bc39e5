package dev.okube.auth.serviceaccount;

import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the service-account signing key pair (the only writer of {@code sa.key} and {@code sa.pub},
 * generated at first activation) and signs tokens with it for the TokenRequest API and legacy
 * token Secrets.
 */
@Component(configurationPid = ServiceAccountIssuer.PID, service = {ServiceAccountTokenIssuer.class,
        VerificationKey.class})
@Designate(ocd = ServiceAccountIssuer.Config.class)
public final class ServiceAccountIssuer implements ServiceAccountTokenIssuer, VerificationKey {
    static final String PID = "dev.okube.auth.serviceaccount";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountIssuer.class);

    @ObjectClassDefinition(name = "okube service-account tokens",
            description = "The service-account signing key, token issuer and authenticator")
    public @interface Config {
        @AttributeDefinition(description = "The RSA private key (PKCS#8 or PKCS#1 PEM); generated with its .pub "
                + "beside it when absent. ${karaf.data} stands for the karaf.data system property.")
        String key_file() default "${karaf.data}/okube/pki/sa.key";

        @AttributeDefinition(description = "The iss claim of bound tokens (upstream's --service-account-issuer)")
        String issuer() default "https://kubernetes.default.svc.cluster.local";

        @AttributeDefinition(description = "The apiserver's audiences (upstream's --api-audiences): tokens must "
                + "name one of them; a TokenRequest that names none gets them. Empty means the issuer.")
        String[] api_audiences() default {};

        @AttributeDefinition(description = "Longest lifetime of a requested token in seconds; longer requests are "
                + "shortened (upstream's --service-account-max-token-expiration). 0 means no limit.")
        long max_token_expiration_seconds() default 0;

        @AttributeDefinition(description = "Pod-bound tokens requested for 3607 s live a year and are flagged "
                + "stale after 3607 s (upstream's --service-account-extend-token-expiration)")
        boolean extend_token_expiration() default true;

        @AttributeDefinition(description = "The cluster CA certificate put into legacy token Secrets as ca.crt; "
                + "left out when the file does not exist")
        String ca_file() default "${karaf.data}/okube/pki/ca.crt";
    }

    private final RSAPublicKey publicKey;
    private final TokenSigner signer;

    @Activate
    public ServiceAccountIssuer(Config config) throws IOException {
        Path keyFile = path(config.key_file());
        KeyPair pair = KeyFiles.loadOrCreate(keyFile, publicKeyFile(keyFile));
        this.publicKey = (RSAPublicKey) pair.getPublic();
        TokenSigner.Settings settings = settings(config);
        this.signer = new TokenSigner((RSAPrivateKey) pair.getPrivate(), KeyFiles.keyId(publicKey), settings,
                Clock.systemUTC());
        LOG.info("service-account tokens: issuer {}, audiences {}, key {} (kid {})", settings.issuer(),
                settings.apiAudiences(), keyFile, KeyFiles.keyId(publicKey));
    }

    static TokenSigner.Settings settings(Config config) {
        String issuer = config.issuer().trim();
        if (issuer.isEmpty()) {
            throw new IllegalArgumentException("the service-account issuer must not be empty");
        }
        // A .cfg file gives "a, b" as one string: split on commas as well.
        List<String> audiences = Arrays.stream(config.api_audiences()).flatMap(a -> Arrays.stream(a.split(",")))
                .map(String::trim).filter(a -> !a.isEmpty()).distinct().toList();
        return new TokenSigner.Settings(issuer, audiences.isEmpty() ? List.of(issuer) : audiences,
                Math.max(0, config.max_token_expiration_seconds()), config.extend_token_expiration());
    }

    /** A configured path with ${karaf.data} and ${karaf.etc} expanded. */
    static Path path(String configured) {
        String data = System.getProperty("karaf.data", "data");
        String etc = System.getProperty("karaf.etc", "etc");
        return Paths.get(configured.replace("${karaf.data}", data).replace("${karaf.etc}", etc));
    }

    /** sa.key → sa.pub; any other name gets ".pub" appended. */
    static Path publicKeyFile(Path keyFile) {
        String name = keyFile.getFileName().toString();
        String pub = name.endsWith(".key") ? name.substring(0, name.length() - 4) + ".pub" : name + ".pub";
        return keyFile.resolveSibling(pub);
    }

    @Override
    public String issuer() {
        return signer.issuer();
    }

    @Override
    public List<String> defaultAudiences() {
        return signer.defaultAudiences();
    }

    @Override
    public IssuedToken issue(BoundTokenRequest request) {
        return signer.issue(request);
    }

    @Override
    public String issueLegacy(String namespace, String serviceAccountName, String serviceAccountUid, String secretName) {
        return signer.issueLegacy(namespace, serviceAccountName, serviceAccountUid, secretName);
    }

    @Override
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public TokenSigner.Settings settings() {
        return signer.settings();
    }
}
