package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.GoText.joinQuote;
import static dev.okube.admission.podsecurity.GoText.pluralize;
import static dev.okube.admission.podsecurity.PodJson.array;
import static dev.okube.admission.podsecurity.PodJson.containers;
import static dev.okube.admission.podsecurity.PodJson.isFalse;
import static dev.okube.admission.podsecurity.PodJson.isTrue;
import static dev.okube.admission.podsecurity.PodJson.name;
import static dev.okube.admission.podsecurity.PodJson.present;
import static dev.okube.admission.podsecurity.PodJson.str;
import static dev.okube.admission.podsecurity.PodJson.userNamespace;
import static dev.okube.admission.podsecurity.PodJson.windows;

import dev.okube.admission.podsecurity.Check.PodCheck;
import dev.okube.admission.podsecurity.Check.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The restricted level of the Pod Security Standards: current pod hardening practice, on top of
 * baseline. Some restricted checks replace ("override") the baseline check of the same control at
 * the restricted level, from the version they appear on.
 */
final class RestrictedChecks {
    private RestrictedChecks() {
    }

    static List<Check> all() {
        return List.of(
                new Check("allowPrivilegeEscalation", Level.RESTRICTED, List.of(
                        // The field exists since 1.8; from 1.25 Windows pods (spec.os) are exempt.
                        new Versioned(Version.of(1, 8), RestrictedChecks::allowPrivilegeEscalation),
                        new Versioned(Version.of(1, 25), exceptWindows(RestrictedChecks::allowPrivilegeEscalation)))),
                new Check("capabilities_restricted", Level.RESTRICTED, List.of(
                        new Versioned(Version.of(1, 22), RestrictedChecks::capabilities,
                                List.of(BaselineChecks.CAPABILITIES)),
                        new Versioned(Version.of(1, 25), exceptWindows(RestrictedChecks::capabilities),
                                List.of(BaselineChecks.CAPABILITIES)))),
                new Check("procMount_restricted", Level.RESTRICTED, List.of(
                        // From 1.35 baseline lets user-namespaced pods unmask /proc; restricted never does.
                        new Versioned(Version.of(1, 35), BaselineChecks::procMount,
                                List.of(BaselineChecks.PROC_MOUNT)))),
                new Check("restrictedVolumes", Level.RESTRICTED, List.of(
                        new Versioned(Version.of(1, 0), RestrictedChecks::volumes,
                                List.of(BaselineChecks.HOST_PATH_VOLUMES)))),
                new Check("runAsNonRoot", Level.RESTRICTED, List.of(
                        new Versioned(Version.of(1, 0), RestrictedChecks::runAsNonRoot),
                        new Versioned(Version.of(1, 35), exceptUserNamespace(RestrictedChecks::runAsNonRoot)))),
                new Check("runAsUser", Level.RESTRICTED, List.of(
                        new Versioned(Version.of(1, 23), RestrictedChecks::runAsUser),
                        new Versioned(Version.of(1, 35), exceptUserNamespace(RestrictedChecks::runAsUser)))),
                new Check("seccompProfile_restricted", Level.RESTRICTED, List.of(
                        new Versioned(Version.of(1, 19), RestrictedChecks::seccompProfile,
                                List.of(BaselineChecks.SECCOMP)),
                        new Versioned(Version.of(1, 25), exceptWindows(RestrictedChecks::seccompProfile),
                                List.of(BaselineChecks.SECCOMP)))));
    }

    /** Pod API validation refuses these Linux-only fields on Windows pods, so they need not be set there. */
    private static PodCheck exceptWindows(PodCheck check) {
        return (meta, spec) -> windows(spec) ? CheckResult.ALLOWED : check.check(meta, spec);
    }

    /** A pod in its own user namespace (hostUsers: false) is not root on the host. */
    private static PodCheck exceptUserNamespace(PodCheck check) {
        return (meta, spec) -> userNamespace(spec) ? CheckResult.ALLOWED : check.check(meta, spec);
    }

    // --- Privilege escalation.

    static CheckResult allowPrivilegeEscalation(JsonNode meta, JsonNode spec) {
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (!isFalse(c.path("securityContext").path("allowPrivilegeEscalation"))) {
                badContainers.add(name(c));
            }
        }
        return badContainers.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden(
                "allowPrivilegeEscalation != false",
                pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers)
                        + " must set securityContext.allowPrivilegeEscalation=false");
    }

    // --- Capabilities: drop ALL, add at most NET_BIND_SERVICE.

    static CheckResult capabilities(JsonNode meta, JsonNode spec) {
        List<String> missingDropAll = new ArrayList<>();
        List<String> addingForbidden = new ArrayList<>();
        Set<String> forbidden = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            JsonNode caps = c.path("securityContext").path("capabilities");
            if (!present(caps)) {
                missingDropAll.add(name(c));
                continue;
            }
            boolean droppedAll = false;
            for (JsonNode cap : array(caps.path("drop"))) {
                if ("ALL".equals(str(cap))) {
                    droppedAll = true;
                    break;
                }
            }
            if (!droppedAll) {
                missingDropAll.add(name(c));
            }
            boolean addedForbidden = false;
            for (JsonNode cap : array(caps.path("add"))) {
                if (!"NET_BIND_SERVICE".equals(str(cap))) {
                    addedForbidden = true;
                    forbidden.add(str(cap));
                }
            }
            if (addedForbidden) {
                addingForbidden.add(name(c));
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDropAll.isEmpty()) {
            details.add(pluralize("container", "containers", missingDropAll.size()) + " " + joinQuote(missingDropAll)
                    + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!addingForbidden.isEmpty()) {
            details.add(pluralize("container", "containers", addingForbidden.size()) + " "
                    + joinQuote(addingForbidden) + " must not include " + joinQuote(forbidden)
                    + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? CheckResult.ALLOWED
                : CheckResult.forbidden("unrestricted capabilities", String.join("; ", details));
    }

    // --- Volume types: only the ones that cannot reach the host.

    private static final List<String> ALLOWED_VOLUME_SOURCES = List.of("configMap", "csi", "downwardAPI",
            "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret");
    /** The restricted sources, in the order upstream names the first one a volume sets. */
    private static final List<String> RESTRICTED_VOLUME_SOURCES = List.of("hostPath", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
            "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
            "portworxVolume", "scaleIO", "storageos");

    static CheckResult volumes(JsonNode meta, JsonNode spec) {
        List<String> badVolumes = new ArrayList<>();
        Set<String> badTypes = new TreeSet<>();
        volumes:
        for (JsonNode v : array(spec.path("volumes"))) {
            for (String source : ALLOWED_VOLUME_SOURCES) {
                if (present(v.path(source))) {
                    continue volumes;
                }
            }
            badVolumes.add(name(v));
            String type = "unknown";
            for (String source : RESTRICTED_VOLUME_SOURCES) {
                if (present(v.path(source))) {
                    type = source;
                    break;
                }
            }
            badTypes.add(type);
        }
        return badVolumes.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("restricted volume types",
                pluralize("volume", "volumes", badVolumes.size()) + " " + joinQuote(badVolumes) + " "
                        + pluralize("uses", "use", badVolumes.size()) + " "
                        + pluralize("restricted volume type", "restricted volume types", badTypes.size()) + " "
                        + joinQuote(badTypes));
    }

    // --- Running as non-root.

    static CheckResult runAsNonRoot(JsonNode meta, JsonNode spec) {
        List<String> badSetters = new ArrayList<>();
        boolean podRunAsNonRoot = false;
        JsonNode podValue = spec.path("securityContext").path("runAsNonRoot");
        if (present(podValue)) {
            if (!isTrue(podValue)) {
                badSetters.add("pod");
            } else {
                podRunAsNonRoot = true;
            }
        }
        List<String> explicitlyBad = new ArrayList<>();
        List<String> implicitlyBad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode value = c.path("securityContext").path("runAsNonRoot");
            if (present(value)) {
                if (!isTrue(value)) {
                    explicitlyBad.add(name(c));
                }
            } else if (!podRunAsNonRoot) {
                implicitlyBad.add(name(c));
            }
        }
        if (!explicitlyBad.isEmpty()) {
            badSetters.add(pluralize("container", "containers", explicitlyBad.size()) + " " + joinQuote(explicitlyBad));
        }
        if (!badSetters.isEmpty()) {
            return CheckResult.forbidden("runAsNonRoot != true",
                    String.join(" and ", badSetters) + " must not set securityContext.runAsNonRoot=false");
        }
        if (!implicitlyBad.isEmpty()) {
            return CheckResult.forbidden("runAsNonRoot != true",
                    "pod or " + pluralize("container", "containers", implicitlyBad.size()) + " "
                            + joinQuote(implicitlyBad) + " must set securityContext.runAsNonRoot=true");
        }
        return CheckResult.ALLOWED;
    }

    // --- runAsUser must not be 0 (1.23+).

    static CheckResult runAsUser(JsonNode meta, JsonNode spec) {
        List<String> badSetters = new ArrayList<>();
        if (isRoot(spec.path("securityContext").path("runAsUser"))) {
            badSetters.add("pod");
        }
        List<String> badContainers = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (isRoot(c.path("securityContext").path("runAsUser"))) {
                badContainers.add(name(c));
            }
        }
        if (!badContainers.isEmpty()) {
            badSetters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
        }
        return badSetters.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("runAsUser=0",
                String.join(" and ", badSetters) + " must not set runAsUser=0");
    }

    private static boolean isRoot(JsonNode runAsUser) {
        return runAsUser.isNumber() && runAsUser.longValue() == 0;
    }

    // --- Seccomp: RuntimeDefault or Localhost must be set, on the pod or on every container (1.19+).

    static CheckResult seccompProfile(JsonNode meta, JsonNode spec) {
        List<String> badSetters = new ArrayList<>();
        Set<String> badValues = new TreeSet<>();
        boolean podSet = false;
        JsonNode podProfile = spec.path("securityContext").path("seccompProfile");
        if (present(podProfile)) {
            if (!BaselineChecks.validSeccompType(str(podProfile.path("type")))) {
                badSetters.add("pod");
                badValues.add(str(podProfile.path("type")));
            } else {
                podSet = true;
            }
        }
        List<String> explicitlyBad = new ArrayList<>();
        List<String> implicitlyBad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode profile = c.path("securityContext").path("seccompProfile");
            if (present(profile)) {
                if (!BaselineChecks.validSeccompType(str(profile.path("type")))) {
                    explicitlyBad.add(name(c));
                    badValues.add(str(profile.path("type")));
                }
            } else if (!podSet) {
                implicitlyBad.add(name(c));
            }
        }
        if (!explicitlyBad.isEmpty()) {
            badSetters.add(pluralize("container", "containers", explicitlyBad.size()) + " " + joinQuote(explicitlyBad));
        }
        if (!badSetters.isEmpty()) {
            return CheckResult.forbidden("seccompProfile", String.join(" and ", badSetters)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(badValues));
        }
        if (!implicitlyBad.isEmpty()) {
            return CheckResult.forbidden("seccompProfile", "pod or "
                    + pluralize("container", "containers", implicitlyBad.size()) + " " + joinQuote(implicitlyBad)
                    + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
        }
        return CheckResult.ALLOWED;
    }
}
