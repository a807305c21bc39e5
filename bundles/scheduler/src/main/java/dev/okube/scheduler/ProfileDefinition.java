package dev.okube.scheduler;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import dev.okube.scheduler.framework.ProfileConfig;

/**
 * One scheduling profile from a factory configuration of PID {@code dev.okube.scheduler.profile}
 * ({@code etc/dev.okube.scheduler.profile-<name>.cfg}); the scheduler tracks these services. A malformed
 * configuration fails activation with the parse error in the log.
 */
@Component(service = ProfileDefinition.class, configurationPid = ProfileDefinition.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ProfileDefinition {
    public static final String PID = "dev.okube.scheduler.profile";

    private final ProfileConfig config;

    @Activate
    public ProfileDefinition(Map<String, Object> properties) {
        this.config = ProfileConfig.parse(properties);
    }

    public ProfileConfig config() {
        return config;
    }
}
