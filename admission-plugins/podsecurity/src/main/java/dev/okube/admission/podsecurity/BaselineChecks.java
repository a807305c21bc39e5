package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.GoText.joinQuote;
import static dev.okube.admission.podsecurity.GoText.pluralize;
import static dev.okube.admission.podsecurity.PodJson.array;
import static dev.okube.admission.podsecurity.PodJson.containers;
import static dev.okube.admission.podsecurity.PodJson.isTrue;
import static dev.okube.admission.podsecurity.PodJson.name;
import static dev.okube.admission.podsecurity.PodJson.present;
import static dev.okube.admission.podsecurity.PodJson.str;

import dev.okube.admission.podsecurity.Check.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The baseline level of the Pod Security Standards: the controls that prevent known privilege
 * escalations, with the versions at which upstream introduced or changed each. Messages are
 * upstream's, word for word, so clients and scripts see the same text.
 */
final class BaselineChecks {
    static final String CAPABILITIES = "capabilities_baseline";
    static final String HOST_PATH_VOLUMES = "hostPathVolumes";
    static final String PROC_MOUNT = "procMount";
    static final String SECCOMP = "seccompProfile_baseline";

    private BaselineChecks() {
    }

    static List<Check> all() {
        return List.of(
                new Check("appArmorProfile", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::appArmorProfile))),
                new Check(CAPABILITIES, Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::capabilities))),
                new Check("hostNamespaces", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::hostNamespaces))),
                new Check(HOST_PATH_VOLUMES, Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::hostPathVolumes))),
                new Check("hostPorts", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::hostPorts))),
                new Check("hostProbesAndHostLifecycle", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 34), BaselineChecks::hostProbesAndLifecycle))),
                new Check("privileged", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::privileged))),
                new Check(PROC_MOUNT, Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::procMount),
                        // Since 1.35 a pod in its own user namespace may unmask /proc.
                        new Versioned(Version.of(1, 35), (meta, spec) ->
                                PodJson.userNamespace(spec) ? CheckResult.ALLOWED : procMount(meta, spec)))),
                new Check("seLinuxOptions", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), (meta, spec) -> seLinuxOptions(spec, SELINUX_TYPES_1_0)),
                        new Versioned(Version.of(1, 31), (meta, spec) -> seLinuxOptions(spec, SELINUX_TYPES_1_31)))),
                new Check(SECCOMP, Level.BASELINE, List.of(
                        // Before 1.19 seccomp was set by annotations; from 1.19 by the securityContext field.
                        new Versioned(Version.of(1, 0), BaselineChecks::seccompAnnotations),
                        new Versioned(Version.of(1, 19), BaselineChecks::seccompProfile))),
                new Check("sysctls", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), (meta, spec) -> sysctls(spec, SYSCTLS_1_0)),
                        new Versioned(Version.of(1, 27), (meta, spec) -> sysctls(spec, SYSCTLS_1_27)),
                        new Versioned(Version.of(1, 29), (meta, spec) -> sysctls(spec, SYSCTLS_1_29)),
                        new Versioned(Version.of(1, 32), (meta, spec) -> sysctls(spec, SYSCTLS_1_32)),
                        new Versioned(Version.of(1, 37), (meta, spec) -> sysctls(spec, SYSCTLS_1_37)))),
                new Check("windowsHostProcess", Level.BASELINE, List.of(
                        new Versioned(Version.of(1, 0), BaselineChecks::windowsHostProcess))));
    }

    // --- AppArmor: only the runtime default or a localhost profile, by field or (deprecated) annotation.

    static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

    static CheckResult appArmorProfile(JsonNode meta, JsonNode spec) {
        List<String> badSetters = new ArrayList<>();
        Set<String> badValues = new TreeSet<>();
        JsonNode podProfile = spec.path("securityContext").path("appArmorProfile");
        if (present(podProfile) && !allowedAppArmorType(str(podProfile.path("type")))) {
            badSetters.add("pod");
            badValues.add(str(podProfile.path("type")));
        }
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode profile = c.path("securityContext").path("appArmorProfile");
            if (present(profile) && !allowedAppArmorType(str(profile.path("type")))) {
                badContainers.add(name(c));
                badValues.add(str(profile.path("type")));
            }
        }
        if (!badContainers.isEmpty()) {
            badSetters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
        }
        Set<String> forbiddenAnnotations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> a : meta.path("annotations").properties()) {
            String value = str(a.getValue());
            if (a.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(value)) {
                forbiddenAnnotations.add(a.getKey() + "=" + GoText.quote(value));
            }
        }
        List<String> badValueList = new ArrayList<>(badValues);
        if (!forbiddenAnnotations.isEmpty()) {
            badValueList.addAll(forbiddenAnnotations);
            badSetters.add(pluralize("annotation", "annotations", forbiddenAnnotations.size()));
        }
        if (badSetters.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        return CheckResult.forbidden(
                pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValueList.size()),
                String.join(" and ", badSetters) + " must not set AppArmor profile type to " + joinQuote(badValueList));
    }

    private static boolean allowedAppArmorType(String type) {
        return "RuntimeDefault".equals(type) || "Localhost".equals(type);
    }

    private static boolean allowedAppArmorAnnotation(String value) {
        return value.isEmpty() || "runtime/default".equals(value) || value.startsWith("localhost/");
    }

    // --- Capabilities: only the container runtime's default set may be added.

    static final Set<String> DEFAULT_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    static CheckResult capabilities(JsonNode meta, JsonNode spec) {
        List<String> badContainers = new ArrayList<>();
        Set<String> nonDefault = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            boolean valid = true;
            for (JsonNode cap : array(c.path("securityContext").path("capabilities").path("add"))) {
                if (!DEFAULT_CAPABILITIES.contains(str(cap))) {
                    valid = false;
                    nonDefault.add(str(cap));
                }
            }
            if (!valid) {
                badContainers.add(name(c));
            }
        }
        if (badContainers.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        return CheckResult.forbidden("non-default capabilities",
                pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers)
                        + " must not include " + joinQuote(nonDefault) + " in securityContext.capabilities.add");
    }

    // --- Host namespaces.

    static CheckResult hostNamespaces(JsonNode meta, JsonNode spec) {
        List<String> shared = new ArrayList<>();
        if (isTrue(spec.path("hostNetwork"))) {
            shared.add("hostNetwork=true");
        }
        if (isTrue(spec.path("hostPID"))) {
            shared.add("hostPID=true");
        }
        if (isTrue(spec.path("hostIPC"))) {
            shared.add("hostIPC=true");
        }
        return shared.isEmpty() ? CheckResult.ALLOWED
                : CheckResult.forbidden("host namespaces", String.join(", ", shared));
    }

    // --- HostPath volumes.

    static CheckResult hostPathVolumes(JsonNode meta, JsonNode spec) {
        List<String> volumes = new ArrayList<>();
        for (JsonNode v : array(spec.path("volumes"))) {
            if (present(v.path("hostPath"))) {
                volumes.add(name(v));
            }
        }
        return volumes.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("hostPath volumes",
                pluralize("volume", "volumes", volumes.size()) + " " + joinQuote(volumes));
    }

    // --- Host ports.

    static CheckResult hostPorts(JsonNode meta, JsonNode spec) {
        List<String> badContainers = new ArrayList<>();
        Set<String> ports = new TreeSet<>(); // sorted as strings, as upstream's string set
        for (JsonNode c : containers(spec)) {
            boolean valid = true;
            for (JsonNode p : array(c.path("ports"))) {
                long hostPort = p.path("hostPort").isNumber() ? p.path("hostPort").longValue() : 0;
                if (hostPort != 0) {
                    valid = false;
                    ports.add(Long.toString(hostPort));
                }
            }
            if (!valid) {
                badContainers.add(name(c));
            }
        }
        if (badContainers.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        return CheckResult.forbidden("hostPort",
                pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers) + " "
                        + pluralize("uses", "use", badContainers.size()) + " "
                        + pluralize("hostPort", "hostPorts", ports.size()) + " " + String.join(", ", ports));
    }

    // --- Probes and lifecycle handlers must not name a host (1.34+).

    static CheckResult hostProbesAndLifecycle(JsonNode meta, JsonNode spec) {
        Set<String> badContainers = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            List<String> bad = new ArrayList<>();
            for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
                handlerHosts(c.path(probe), bad);
            }
            handlerHosts(c.path("lifecycle").path("postStart"), bad);
            handlerHosts(c.path("lifecycle").path("preStop"), bad);
            if (!bad.isEmpty()) {
                badContainers.add(name(c));
                hosts.addAll(bad);
            }
        }
        if (badContainers.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        return CheckResult.forbidden("probe or lifecycle host",
                pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers) + " "
                        + pluralize("uses", "use", badContainers.size()) + " "
                        + pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.size()) + " "
                        + joinQuote(hosts));
    }

    private static void handlerHosts(JsonNode handler, List<String> bad) {
        for (String kind : new String[] {"httpGet", "tcpSocket"}) {
            String host = str(handler.path(kind).path("host"));
            if (!host.isEmpty()) {
                bad.add(host);
            }
        }
    }

    // --- Privileged containers.

    static CheckResult privileged(JsonNode meta, JsonNode spec) {
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (isTrue(c.path("securityContext").path("privileged"))) {
                badContainers.add(name(c));
            }
        }
        return badContainers.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("privileged",
                pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers)
                        + " must not set securityContext.privileged=true");
    }

    // --- /proc mount type: the default masks only.

    static CheckResult procMount(JsonNode meta, JsonNode spec) {
        List<String> badContainers = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            JsonNode procMount = c.path("securityContext").path("procMount");
            if (present(procMount) && !"Default".equals(str(procMount))) {
                badContainers.add(name(c));
                types.add(str(procMount));
            }
        }
        return badContainers.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("procMount",
                pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers)
                        + " must not set securityContext.procMount to " + joinQuote(types));
    }

    // --- SELinux: container types only, and no user or role.

    static final Set<String> SELINUX_TYPES_1_0 = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    static final Set<String> SELINUX_TYPES_1_31 = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    static CheckResult seLinuxOptions(JsonNode spec, Set<String> allowedTypes) {
        List<String> badSetters = new ArrayList<>();
        Set<String> badTypes = new TreeSet<>();
        boolean[] userAndRole = new boolean[2];
        JsonNode podOptions = spec.path("securityContext").path("seLinuxOptions");
        if (present(podOptions) && !validSeLinux(podOptions, allowedTypes, badTypes, userAndRole)) {
            badSetters.add("pod");
        }
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode options = c.path("securityContext").path("seLinuxOptions");
            if (present(options) && !validSeLinux(options, allowedTypes, badTypes, userAndRole)) {
                badContainers.add(name(c));
            }
        }
        if (!badContainers.isEmpty()) {
            badSetters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
        }
        if (badSetters.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        List<String> badData = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            badData.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (userAndRole[0]) {
            badData.add("user may not be set");
        }
        if (userAndRole[1]) {
            badData.add("role may not be set");
        }
        return CheckResult.forbidden("seLinuxOptions", String.join(" and ", badSetters)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", badData));
    }

    private static boolean validSeLinux(JsonNode options, Set<String> allowedTypes, Set<String> badTypes,
            boolean[] userAndRole) {
        boolean valid = true;
        String type = str(options.path("type"));
        if (!allowedTypes.contains(type)) {
            valid = false;
            badTypes.add(type);
        }
        if (!str(options.path("user")).isEmpty()) {
            valid = false;
            userAndRole[0] = true;
        }
        if (!str(options.path("role")).isEmpty()) {
            valid = false;
            userAndRole[1] = true;
        }
        return valid;
    }

    // --- Seccomp: if set, the runtime default or a localhost profile.

    static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    static final String SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

    /** Before 1.19: the alpha annotations. */
    static CheckResult seccompAnnotations(JsonNode meta, JsonNode spec) {
        Set<String> forbidden = new TreeSet<>();
        JsonNode annotations = meta.path("annotations");
        JsonNode pod = annotations.path(SECCOMP_POD_ANNOTATION);
        if (present(pod) && !validSeccompAnnotation(str(pod))) {
            forbidden.add(SECCOMP_POD_ANNOTATION + "=" + GoText.quote(str(pod)));
        }
        for (JsonNode c : containers(spec)) {
            String key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + name(c);
            JsonNode value = annotations.path(key);
            if (present(value) && !validSeccompAnnotation(str(value))) {
                forbidden.add(key + "=" + GoText.quote(str(value)));
            }
        }
        return forbidden.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("seccompProfile",
                "forbidden " + pluralize("annotation", "annotations", forbidden.size()) + " "
                        + String.join(", ", forbidden));
    }

    private static boolean validSeccompAnnotation(String value) {
        return "runtime/default".equals(value) || "docker/default".equals(value) || value.startsWith("localhost/");
    }

    static boolean validSeccompType(String type) {
        return "Localhost".equals(type) || "RuntimeDefault".equals(type);
    }

    /** From 1.19: securityContext.seccompProfile.type of the pod and of each container. */
    static CheckResult seccompProfile(JsonNode meta, JsonNode spec) {
        List<String> badSetters = new ArrayList<>();
        Set<String> badValues = new TreeSet<>();
        JsonNode podProfile = spec.path("securityContext").path("seccompProfile");
        if (present(podProfile) && !validSeccompType(str(podProfile.path("type")))) {
            badSetters.add("pod");
            badValues.add(str(podProfile.path("type")));
        }
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode profile = c.path("securityContext").path("seccompProfile");
            if (present(profile) && !validSeccompType(str(profile.path("type")))) {
                badContainers.add(name(c));
                badValues.add(str(profile.path("type")));
            }
        }
        if (!badContainers.isEmpty()) {
            badSetters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
        }
        return badSetters.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("seccompProfile",
                String.join(" and ", badSetters) + " must not set securityContext.seccompProfile.type to "
                        + joinQuote(badValues));
    }

    // --- Sysctls: only the safe (namespaced, isolated) ones, a set that grew over versions.

    static final Set<String> SYSCTLS_1_0 = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");
    static final Set<String> SYSCTLS_1_27 = union(SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports");
    static final Set<String> SYSCTLS_1_29 = union(SYSCTLS_1_27, "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    static final Set<String> SYSCTLS_1_32 = union(SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
    static final Set<String> SYSCTLS_1_37 = union(SYSCTLS_1_32, "net.ipv4.tcp_slow_start_after_idle",
            "net.ipv4.tcp_notsent_lowat");

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    static CheckResult sysctls(JsonNode spec, Set<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        for (JsonNode sysctl : array(spec.path("securityContext").path("sysctls"))) {
            String name = name(sysctl);
            if (!allowed.contains(name)) {
                forbidden.add(name);
            }
        }
        return forbidden.isEmpty() ? CheckResult.ALLOWED
                : CheckResult.forbidden("forbidden sysctls", String.join(", ", forbidden));
    }

    // --- Windows HostProcess containers.

    static CheckResult windowsHostProcess(JsonNode meta, JsonNode spec) {
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (isTrue(c.path("securityContext").path("windowsOptions").path("hostProcess"))) {
                badContainers.add(name(c));
            }
        }
        List<String> setters = new ArrayList<>();
        if (isTrue(spec.path("securityContext").path("windowsOptions").path("hostProcess"))) {
            setters.add("pod");
        }
        if (!badContainers.isEmpty()) {
            setters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
        }
        return setters.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("hostProcess",
                String.join(" and ", setters) + " must not set securityContext.windowsOptions.hostProcess=true");
    }
}
