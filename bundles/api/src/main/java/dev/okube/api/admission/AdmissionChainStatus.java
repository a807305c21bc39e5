package dev.okube.api.admission;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The admission chain as it is right now, provided by the apiserver for the shell's
 * {@code kube:admission} and for monitoring.
 */
@ProviderType
public interface AdmissionChainStatus {
    /** The plugins in effect, in the order they run: every mutating one, then every validating one. */
    List<Plugin> plugins();

    /** The configured names that have no plugin installed (so are not in effect). */
    List<String> missing();

    /**
     * One plugin in one phase.
     *
     * @param name          the plugin's name
     * @param phase         "mutating" or "validating"
     * @param bundle        the symbolic name of the bundle providing it
     * @param bundleVersion the bundle's version
     * @param calls         calls since it was installed
     * @param denials       calls that denied the request
     * @param errors        calls that threw or ran over their time budget
     * @param meanMicros    mean latency of a call, microseconds
     * @param p99Micros     99th percentile latency over the recent calls, microseconds
     */
    record Plugin(String name, String phase, String bundle, String bundleVersion, long calls, long denials,
            long errors, long meanMicros, long p99Micros) {
    }
}
