package dev.okube.admission.serviceaccount;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.PodReferences;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ServiceAccount admission plugin, for pods being created:
 * <ul>
 * <li>a pod without {@code spec.serviceAccountName} gets {@code default};</li>
 * <li>the service account must exist ({@code error looking up service account ns/name: serviceaccount
 * "name" not found} otherwise);</li>
 * <li>unless {@code automountServiceAccountToken} is false on the pod (or, when the pod does not say,
 * on the service account), every container and init container that has nothing mounted at
 * {@code /var/run/secrets/kubernetes.io/serviceaccount} mounts a projected {@code kube-api-access-<five random characters>}
 * volume there read-only: a bound token (expirationSeconds 3607), the cluster CA from the
 * {@code kube-root-ca.crt} ConfigMap and the namespace;</li>
 * <li>a pod without imagePullSecrets gets the service account's;</li>
 * <li>when the service account is annotated {@code kubernetes.io/enforce-mountable-secrets: "true"}, the
 * pod may only use the secrets it lists;</li>
 * <li>mirror pods are never changed, and may not use service accounts, secrets or token projections.</li>
 * </ul>
 * Ephemeral containers added later ({@code pods/ephemeralcontainers}) are held to the mountable secrets too.
 */
@Component(name = ServiceAccountAdmission.PID, configurationPid = ServiceAccountAdmission.PID,
        service = {MutatingAdmission.class, ValidatingAdmission.class})
@Designate(ocd = ServiceAccountAdmission.Config.class)
public final class ServiceAccountAdmission implements MutatingAdmission, ValidatingAdmission {
    static final String PID = "dev.okube.admission.serviceaccount";
    static final String NAME = "ServiceAccount";
    static final String DEFAULT_SERVICE_ACCOUNT = "default";
    static final String ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets";
    static final String VOLUME_PREFIX = "kube-api-access-";
    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    /** Upstream's WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds. */
    static final int TOKEN_EXPIRATION_SECONDS = 3607;
    static final ResourceType SERVICE_ACCOUNTS = ResourceType.core("serviceaccounts");
    /** Upstream's SimpleNameGenerator alphabet: no vowels, no look-alike digits. */
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final long POLL_MILLIS = 20;

    @ObjectClassDefinition(name = "okube ServiceAccount admission",
            description = "Gives pods a service account and its API token volume.")
    public @interface Config {
        @AttributeDefinition(description = "Mount the projected API token volume into pods' containers.")
        boolean mountServiceAccountToken() default true;

        @AttributeDefinition(description = "Hold every pod to its service account's secrets, whatever the "
                + "kubernetes.io/enforce-mountable-secrets annotation says.")
        boolean limitSecretReferences() default false;

        @AttributeDefinition(description = "Longest wait (ms) for a namespace's default service account to appear "
                + "(its controller creates it just after the namespace).")
        long defaultServiceAccountWaitMillis() default 1000;

        @AttributeDefinition(description = "Longest wait (ms) for another service account to reach the cache.")
        long serviceAccountWaitMillis() default 100;
    }

    private final ClusterResources resources;
    private final boolean mountToken;
    private final boolean limitSecretReferences;
    private final long defaultWaitMillis;
    private final long otherWaitMillis;
    private final Supplier<String> volumeNames;

    @Activate
    public ServiceAccountAdmission(@Reference ClusterResources resources, Config config) {
        this(resources, config.mountServiceAccountToken(), config.limitSecretReferences(),
                config.defaultServiceAccountWaitMillis(), config.serviceAccountWaitMillis(),
                ServiceAccountAdmission::randomVolumeName);
    }

    ServiceAccountAdmission(ClusterResources resources, boolean mountToken, boolean limitSecretReferences,
            long defaultWaitMillis, long otherWaitMillis, Supplier<String> volumeNames) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
        this.mountToken = mountToken;
        this.limitSecretReferences = limitSecretReferences;
        this.defaultWaitMillis = Math.max(0, defaultWaitMillis);
        this.otherWaitMillis = Math.max(0, otherWaitMillis);
        this.volumeNames = Objects.requireNonNull(volumeNames, "volumeNames should not be null");
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---- mutating ----

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (ignored(request) || request.operation() != Operation.CREATE || !request.subresource().isEmpty()) {
            return AdmissionResponse.allow();
        }
        ObjectNode pod = request.object();
        if (isMirror(pod)) {
            return validate(request); // never change a mirror pod: the kubelet would delete it
        }
        ObjectNode spec = pod.withObjectProperty("spec");
        String account = accountName(spec);
        if (account.isEmpty()) {
            account = DEFAULT_SERVICE_ACCOUNT;
        }
        spec.put("serviceAccountName", account);
        // Upstream writes the alias back from serviceAccountName in every v1 answer.
        spec.put("serviceAccount", account);
        Optional<ObjectNode> serviceAccount = serviceAccount(request.namespace(), account);
        if (serviceAccount.isEmpty()) {
            return lookupFailure(request, account);
        }
        if (mountToken && automount(serviceAccount.get(), spec)) {
            mountToken(spec);
        }
        JsonNode pullSecrets = spec.path("imagePullSecrets");
        JsonNode accountPullSecrets = serviceAccount.get().path("imagePullSecrets");
        if ((!pullSecrets.isArray() || pullSecrets.isEmpty()) && accountPullSecrets.isArray()
                && !accountPullSecrets.isEmpty()) {
            ArrayNode copy = spec.putArray("imagePullSecrets");
            for (JsonNode ref : accountPullSecrets) {
                copy.addObject().put("name", ref.path("name").asString(""));
            }
        }
        return validate(request);
    }

    /** The pod's own setting wins, then the service account's; true when neither says. */
    static boolean automount(ObjectNode serviceAccount, ObjectNode podSpec) {
        JsonNode pod = podSpec.get("automountServiceAccountToken");
        if (pod != null && pod.isBoolean()) {
            return pod.booleanValue();
        }
        JsonNode account = serviceAccount.get("automountServiceAccountToken");
        if (account != null && account.isBoolean()) {
            return account.booleanValue();
        }
        return true;
    }

    private void mountToken(ObjectNode spec) {
        String volumeName = null;
        for (JsonNode volume : spec.path("volumes")) {
            String name = volume.path("name").asString("");
            if (name.startsWith(VOLUME_PREFIX)) {
                volumeName = name;
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (!hasVolume) {
            volumeName = volumeNames.get();
        }
        boolean needsVolume = false;
        for (String field : List.of("initContainers", "containers")) {
            for (JsonNode node : spec.path(field)) {
                if (!(node instanceof ObjectNode container) || mountsTokenPath(container)) {
                    continue;
                }
                JsonNode mounts = container.get("volumeMounts");
                ArrayNode list = mounts instanceof ArrayNode array ? array : container.putArray("volumeMounts");
                list.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", MOUNT_PATH);
                needsVolume = true;
            }
        }
        if (!hasVolume && needsVolume) {
            JsonNode volumes = spec.get("volumes");
            ArrayNode list = volumes instanceof ArrayNode array ? array : spec.putArray("volumes");
            ObjectNode volume = list.addObject();
            volume.put("name", volumeName);
            tokenVolumeSource(volume.putObject("projected"));
        }
    }

    private static boolean mountsTokenPath(ObjectNode container) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (MOUNT_PATH.equals(mount.path("mountPath").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** Upstream's TokenVolumeSource: token, CA bundle, namespace; mode 0644 set explicitly. */
    static void tokenVolumeSource(ObjectNode projected) {
        projected.put("defaultMode", 420);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
                .put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap");
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        configMap.put("name", "kube-root-ca.crt");
        ObjectNode item = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
        item.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        item.put("path", "namespace");
    }

    static String randomVolumeName() {
        StringBuilder name = new StringBuilder(VOLUME_PREFIX);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            name.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return name.toString();
    }

    // ---- validating ----

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        if (ignored(request)) {
            return AdmissionResponse.allow();
        }
        ObjectNode pod = request.object();
        if (request.operation() == Operation.UPDATE && "ephemeralcontainers".equals(request.subresource())) {
            return ephemeralContainers(request, pod);
        }
        if (request.operation() != Operation.CREATE || !request.subresource().isEmpty()) {
            return AdmissionResponse.allow();
        }
        JsonNode spec = pod.path("spec");
        String account = accountName(spec);
        if (isMirror(pod)) {
            return mirror(request, pod, account);
        }
        if (account.isEmpty()) {
            return forbidden(request, "no service account specified for pod " + request.namespace() + "/"
                    + pod.path("metadata").path("name").asString(""));
        }
        Optional<ObjectNode> serviceAccount = serviceAccount(request.namespace(), account);
        if (serviceAccount.isEmpty()) {
            return lookupFailure(request, account);
        }
        if (enforceMountableSecrets(serviceAccount.get())) {
            String refused = limitSecretReferences(serviceAccount.get(), spec);
            if (refused != null) {
                return forbidden(request, refused);
            }
        }
        return AdmissionResponse.allow();
    }

    private AdmissionResponse mirror(AdmissionRequest request, ObjectNode pod, String account) {
        if (!account.isEmpty()) {
            return forbidden(request, "a mirror pod may not reference service accounts");
        }
        if (!PodReferences.secrets(pod).isEmpty()) {
            return forbidden(request, "a mirror pod may not reference secrets");
        }
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            for (JsonNode source : volume.path("projected").path("sources")) {
                if (source.has("serviceAccountToken") && !source.get("serviceAccountToken").isNull()) {
                    return forbidden(request, "a mirror pod may not use ServiceAccountToken volume projections");
                }
            }
        }
        return AdmissionResponse.allow();
    }

    private AdmissionResponse ephemeralContainers(AdmissionRequest request, ObjectNode pod) {
        JsonNode spec = pod.path("spec");
        String account = accountName(spec);
        if (account.isEmpty()) {
            return forbidden(request, "no service account specified for pod " + request.namespace() + "/"
                    + pod.path("metadata").path("name").asString(""));
        }
        Optional<ObjectNode> serviceAccount = serviceAccount(request.namespace(), account);
        if (serviceAccount.isEmpty()) {
            return lookupFailure(request, account);
        }
        if (!enforceMountableSecrets(serviceAccount.get())) {
            return AdmissionResponse.allow();
        }
        Set<String> mountable = names(serviceAccount.get().path("secrets"));
        String refused = envSecrets(spec.path("ephemeralContainers"), "ephemeral container", mountable,
                serviceAccount.get());
        return refused == null ? AdmissionResponse.allow() : forbidden(request, refused);
    }

    private boolean enforceMountableSecrets(ObjectNode serviceAccount) {
        if (limitSecretReferences) {
            return true;
        }
        String value = serviceAccount.path("metadata").path("annotations").path(ENFORCE_MOUNTABLE_SECRETS).asString("");
        return parseBool(value);
    }

    /** Go's strconv.ParseBool; anything else is false, as upstream ignores the parse error. */
    static boolean parseBool(String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            default -> false;
        };
    }

    /** The first secret the pod uses that its service account does not list, as upstream's message; null if none. */
    static String limitSecretReferences(ObjectNode serviceAccount, JsonNode spec) {
        String account = serviceAccount.path("metadata").path("name").asString("");
        Set<String> mountable = names(serviceAccount.path("secrets"));
        for (JsonNode volume : spec.path("volumes")) {
            JsonNode secret = volume.get("secret");
            if (secret == null || secret.isNull()) {
                continue;
            }
            String name = secret.path("secretName").asString("");
            if (!mountable.contains(name)) {
                return "volume with secret.secretName=\"" + name + "\" is not allowed because service account "
                        + account + " does not reference that secret";
            }
        }
        String refused = envSecrets(spec.path("initContainers"), "init container", mountable, serviceAccount);
        if (refused == null) {
            refused = envSecrets(spec.path("containers"), "container", mountable, serviceAccount);
        }
        if (refused != null) {
            return refused;
        }
        Set<String> pullSecrets = names(serviceAccount.path("imagePullSecrets"));
        int i = 0;
        for (JsonNode ref : spec.path("imagePullSecrets")) {
            String name = ref.path("name").asString("");
            if (!pullSecrets.contains(name)) {
                return "imagePullSecrets[" + i + "].name=\"" + name + "\" is not allowed because service account "
                        + account + " does not reference that imagePullSecret";
            }
            i++;
        }
        return null;
    }

    private static String envSecrets(JsonNode containers, String what, Set<String> mountable,
            ObjectNode serviceAccount) {
        String account = serviceAccount.path("metadata").path("name").asString("");
        for (JsonNode container : containers) {
            String containerName = container.path("name").asString("");
            for (JsonNode env : container.path("env")) {
                JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                if (ref.isObject() && !mountable.contains(ref.path("name").asString(""))) {
                    return what + " " + containerName + " with envVar " + env.path("name").asString("")
                            + " referencing secret.secretName=\"" + ref.path("name").asString("")
                            + "\" is not allowed because service account " + account
                            + " does not reference that secret";
                }
            }
            for (JsonNode envFrom : container.path("envFrom")) {
                JsonNode ref = envFrom.path("secretRef");
                if (ref.isObject() && !mountable.contains(ref.path("name").asString(""))) {
                    return what + " " + containerName + " with envFrom referencing secret.secretName=\""
                            + ref.path("name").asString("") + "\" is not allowed because service account " + account
                            + " does not reference that secret";
                }
            }
        }
        return null;
    }

    private static Set<String> names(JsonNode refs) {
        Set<String> names = new HashSet<>();
        for (JsonNode ref : refs) {
            names.add(ref.path("name").asString(""));
        }
        return names;
    }

    // ---- shared ----

    private static boolean ignored(AdmissionRequest request) {
        return !request.group().isEmpty() || !"pods".equals(request.resource()) || request.object() == null
                || !(request.subresource().isEmpty() || "ephemeralcontainers".equals(request.subresource()));
    }

    /** spec.serviceAccountName, or v1's deprecated alias when it is empty (as upstream's conversion reads it). */
    private static String accountName(JsonNode spec) {
        String name = spec.path("serviceAccountName").asString("");
        return name.isEmpty() ? spec.path("serviceAccount").asString("") : name;
    }

    private static boolean isMirror(ObjectNode pod) {
        return pod.path("metadata").path("annotations").has(MIRROR_ANNOTATION);
    }

    /**
     * The service account from the cache. Upstream falls back to live lookups, retried for the default
     * account, which its controller creates just after the namespace; here the cache is the
     * apiserver's own, so the fallback is a short wait for it.
     */
    private Optional<ObjectNode> serviceAccount(String namespace, String name) {
        long wait = DEFAULT_SERVICE_ACCOUNT.equals(name) ? defaultWaitMillis : otherWaitMillis;
        long deadline = System.nanoTime() + wait * 1_000_000L;
        Optional<ObjectNode> found = resources.get(SERVICE_ACCOUNTS, namespace, name);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = resources.get(SERVICE_ACCOUNTS, namespace, name);
        }
        return found;
    }

    private static AdmissionResponse lookupFailure(AdmissionRequest request, String account) {
        return forbidden(request, "error looking up service account " + request.namespace() + "/" + account
                + ": serviceaccount \"" + account + "\" not found");
    }

    /** Upstream's admission.NewForbidden: 403 with {@code <resource> "<name>" is forbidden: <reason>}. */
    static AdmissionResponse forbidden(AdmissionRequest request, String reason) {
        String name = request.name();
        if (name == null || name.isEmpty()) {
            JsonNode meta = request.object() == null ? null : request.object().path("metadata");
            name = meta == null ? "" : meta.path("name").asString("");
            if (name.isEmpty() && meta != null) {
                name = meta.path("generateName").asString("");
            }
            if (name.isEmpty()) {
                name = "Unknown";
            }
        }
        return AdmissionResponse.deny(403, "Forbidden", "pods \"" + name + "\" is forbidden: " + reason);
    }
}
