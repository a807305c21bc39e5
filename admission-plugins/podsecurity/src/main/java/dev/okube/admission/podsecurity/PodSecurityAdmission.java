package dev.okube.admission.podsecurity;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.time.Duration;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PodSecurity admission plugin: the Pod Security Standards (privileged, baseline, restricted)
 * applied per namespace from its {@code pod-security.kubernetes.io/<mode>[-version]} labels, with
 * upstream's checks, versions and messages. Enforce denies pods with 403 Forbidden; warn answers
 * warnings (kubectl prints "Warning: ..."); audit is logged at INFO, one line per request with
 * violations, since the SPI carries no audit annotations.
 */
@Component(service = ValidatingAdmission.class, configurationPid = PodSecurityAdmission.PID)
@Designate(ocd = PodSecurityAdmission.Config.class)
public final class PodSecurityAdmission implements ValidatingAdmission {
    static final String PID = "dev.okube.admission.podsecurity";
    static final String NAME = "PodSecurity";
    private static final Logger LOG = LoggerFactory.getLogger(PodSecurityAdmission.class);
    private static final ResourceType PODS = ResourceType.core("pods");

    @ObjectClassDefinition(name = "okube PodSecurity admission",
            description = "Pod Security Standards per namespace; defaults for namespaces without labels, and exemptions")
    public @interface Config {
        @AttributeDefinition(name = "defaults.enforce", description = "Enforce level of unlabelled namespaces: "
                + "privileged, baseline or restricted")
        String defaults_enforce() default "privileged";

        @AttributeDefinition(name = "defaults.enforce-version", description = "Enforce version: latest or v1.X")
        String defaults_enforce$_$version() default "latest";

        @AttributeDefinition(name = "defaults.audit", description = "Audit level of unlabelled namespaces")
        String defaults_audit() default "privileged";

        @AttributeDefinition(name = "defaults.audit-version", description = "Audit version: latest or v1.X")
        String defaults_audit$_$version() default "latest";

        @AttributeDefinition(name = "defaults.warn", description = "Warn level of unlabelled namespaces")
        String defaults_warn() default "privileged";

        @AttributeDefinition(name = "defaults.warn-version", description = "Warn version: latest or v1.X")
        String defaults_warn$_$version() default "latest";

        @AttributeDefinition(name = "exemptions.usernames", description = "Users whose requests are not "
                + "evaluated (comma-separated or several values)")
        String[] exemptions_usernames() default {};

        @AttributeDefinition(name = "exemptions.namespaces", description = "Namespaces not evaluated")
        String[] exemptions_namespaces() default {};

        @AttributeDefinition(name = "exemptions.runtimeClasses", description = "Runtime classes whose pods are "
                + "not evaluated")
        String[] exemptions_runtimeClasses() default {};

        @AttributeDefinition(name = "emulation-version", description = "When set (v1.X), \"latest\" evaluates "
                + "the checks of that version, as an apiserver emulating an older release; empty for the newest")
        String emulation$_$version() default "";

        @AttributeDefinition(name = "namespace-wait-millis", description = "How long a pod's namespace that is "
                + "not in the apiserver's cache yet is waited for before the pod is refused")
        long namespace$_$wait$_$millis() default 1000;
    }

    private final PodSecurity podSecurity;
    private final NamespaceLookup namespaces;

    /** Invalid settings fail activation with every invalid field named, as upstream fails to start. */
    @Activate
    public PodSecurityAdmission(Config config, @Reference ClusterResources resources) {
        Configuration configuration = Configuration.parse(config.defaults_enforce(),
                config.defaults_enforce$_$version(), config.defaults_audit(), config.defaults_audit$_$version(),
                config.defaults_warn(), config.defaults_warn$_$version(), config.exemptions_usernames(),
                config.exemptions_namespaces(), config.exemptions_runtimeClasses(), config.emulation$_$version());
        namespaces = new NamespaceLookup(resources, Duration.ofMillis(Math.max(0, config.namespace$_$wait$_$millis())));
        podSecurity = new PodSecurity(configuration, new Evaluator(Evaluator.defaultChecks(), configuration.emulation()),
                namespaces, namespace -> resources.list(PODS, namespace), System::nanoTime);
        LOG.info("PodSecurity admission active: defaults {}, exempt users {}, namespaces {}, runtime classes {}",
                configuration.defaults(), configuration.usernames(), configuration.namespaces(),
                configuration.runtimeClasses());
    }

    @Deactivate
    void deactivate() throws Exception {
        namespaces.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        PodSecurity.Decision decision = podSecurity.validate(request);
        log(request, decision);
        return decision.response();
    }

    /**
     * The audit trail: upstream adds these as audit annotations to the request's audit event; here
     * a request with audit violations or an error is logged at INFO, the rest at DEBUG.
     */
    private static void log(AdmissionRequest request, PodSecurity.Decision decision) {
        Map<String, String> annotations = decision.auditAnnotations();
        if (annotations.isEmpty()) {
            return;
        }
        boolean notable = annotations.containsKey(PodSecurity.AUDIT_VIOLATIONS)
                || annotations.containsKey(PodSecurity.ERROR);
        if (notable ? LOG.isInfoEnabled() : LOG.isDebugEnabled()) {
            StringBuilder line = new StringBuilder("PodSecurity audit: ").append(request.operation()).append(' ')
                    .append(request.group().isEmpty() ? request.resource() : request.resource() + "." + request.group())
                    .append(' ').append(request.namespace().isEmpty() ? "" : request.namespace() + "/")
                    .append(request.name()).append(" by ").append(request.user().name())
                    .append(decision.response().allowed() ? " allowed" : " denied");
            annotations.forEach((k, v) -> line.append(' ').append(k).append('=').append(GoText.quote(v)));
            if (notable) {
                LOG.info("{}", line);
            } else {
                LOG.debug("{}", line);
            }
        }
    }
}
