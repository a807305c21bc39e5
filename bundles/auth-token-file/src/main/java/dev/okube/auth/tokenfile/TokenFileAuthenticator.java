package dev.okube.auth.tokenfile;

import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "tokenfile" authenticator: bearer tokens listed in a static CSV file (upstream's
 * --token-auth-file). A token the file does not list is left to the other authenticators.
 */
@Component(service = Authenticator.class, configurationPid = TokenFileAuthenticator.PID,
        property = "okube.authenticator.name=" + TokenFileAuthenticator.NAME)
@Designate(ocd = TokenFileAuthenticator.Config.class)
public final class TokenFileAuthenticator implements Authenticator {
    static final String PID = "dev.okube.auth.tokenfile";
    static final String NAME = "tokenfile";
    private static final Logger LOG = LoggerFactory.getLogger(TokenFileAuthenticator.class);

    @ObjectClassDefinition(name = "okube static token file",
            description = "Bearer tokens from a CSV file: token,user,uid,\"group1,group2\"")
    public @interface Config {
        @AttributeDefinition(description = "The token file; ${karaf.etc} and ${karaf.data} stand for Karaf's "
                + "directories. Changes are picked up at the next request; a missing file knows no tokens.")
        String path() default "${karaf.etc}/okube-tokens.csv";
    }

    private final TokenFile file;

    @Activate
    public TokenFileAuthenticator(Config config) {
        this.file = new TokenFile(path(config.path()));
        LOG.info("static token file {}: {} token(s)", file.path(), file.size());
    }

    TokenFileAuthenticator(TokenFile file) {
        this.file = file;
    }

    static Path path(String configured) {
        return Paths.get(configured.replace("${karaf.etc}", System.getProperty("karaf.etc", "etc"))
                .replace("${karaf.data}", System.getProperty("karaf.data", "data")));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        Optional<String> token = request.bearerToken();
        if (token.isEmpty()) {
            return AuthenticationResult.noOpinion();
        }
        return file.lookup(token.get()).map(AuthenticationResult::authenticated)
                .orElse(AuthenticationResult.noOpinion());
    }
}
