package dev.okube.admission.podpreset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validation of a settings.k8s.io/v1alpha1 PodPreset's spec, as upstream's settings validation
 * (ValidatePodPresetSpec): a selector, at least one thing to inject, and well-formed env, envFrom,
 * volumes and volumeMounts (mounts must name one of the preset's volumes). Errors read as
 * apimachinery prints field errors: {@code spec.env[0].name: Required value}.
 */
final class PodPresetValidation {
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[\\x20-\\x3C\\x3E-\\x7E]+");
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            + "or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String NAME_PART_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String DNS_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private static final String ENV_NAME_MSG = "a valid environment variable name must consist only of printable "
            + "ASCII characters other than '='";
    /** The volume sources of core/v1 Volume. */
    private static final Set<String> VOLUME_SOURCES = Set.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume",
            "scaleIO", "storageos", "csi", "ephemeral", "image");

    private PodPresetValidation() {
    }

    static List<String> validate(ObjectNode preset) {
        List<String> errors = new ArrayList<>();
        JsonNode spec = preset.path("spec");
        if (!spec.isObject()) {
            errors.add("spec: Required value");
            return errors;
        }
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            errors.add("spec.selector: Required value");
        } else {
            labelSelector(selector, "spec.selector", errors);
        }
        if (absent(spec, "env") && absent(spec, "envFrom") && absent(spec, "volumeMounts") && absent(spec, "volumes")) {
            // Upstream's path: fldPath.Child("volumes", "env", "envFrom", "volumeMounts").
            errors.add("spec.volumes.env.envFrom.volumeMounts: Required value: must specify at least one");
        }
        Set<String> volumes = volumes(spec.path("volumes"), "spec.volumes", errors);
        env(spec.path("env"), "spec.env", errors);
        envFrom(spec.path("envFrom"), "spec.envFrom", errors);
        volumeMounts(spec.path("volumeMounts"), volumes, "spec.volumeMounts", errors);
        return errors;
    }

    private static boolean absent(JsonNode spec, String field) {
        return !spec.has(field) || spec.get(field).isNull();
    }

    static void labelSelector(JsonNode selector, String path, List<String> errors) {
        if (!selector.isObject()) {
            errors.add(path + ": Invalid value: " + selector + ": must be an object");
            return;
        }
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            labelKey(e.getKey(), path + ".matchLabels", errors);
            String value = e.getValue().asString("");
            if (!value.isEmpty() && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
                errors.add(path + ".matchLabels: Invalid value: " + quote(value) + ": "
                        + (value.length() > 63 ? "must be no more than 63 characters" : LABEL_VALUE_MSG));
            }
        }
        int i = 0;
        for (JsonNode r : selector.path("matchExpressions")) {
            String at = path + ".matchExpressions[" + i++ + "]";
            String operator = r.path("operator").asString("");
            int values = r.path("values").size();
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.add(at + ".values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.add(at + ".values: Forbidden: may not be specified when `operator` is 'Exists' or "
                                + "'DoesNotExist'");
                    }
                }
                default -> errors.add(at + ".operator: Invalid value: " + quote(operator)
                        + ": not a valid selector operator");
            }
            labelKey(r.path("key").asString(""), at + ".key", errors);
        }
    }

    private static void labelKey(String key, String path, List<String> errors) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                errors.add(path + ": Invalid value: " + quote(key) + ": prefix part a lowercase RFC 1123 subdomain "
                        + "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                        + "with an alphanumeric character");
            }
        }
        if (name.isEmpty()) {
            errors.add(path + ": Invalid value: " + quote(key) + ": name part must be non-empty");
        } else if (name.length() > 63) {
            errors.add(path + ": Invalid value: " + quote(key) + ": name part must be no more than 63 characters");
        } else if (!LABEL_NAME.matcher(name).matches()) {
            errors.add(path + ": Invalid value: " + quote(key) + ": " + NAME_PART_MSG);
        }
    }

    private static void env(JsonNode env, String path, List<String> errors) {
        int i = 0;
        for (JsonNode v : env) {
            String at = path + "[" + i++ + "]";
            String name = v.path("name").asString("");
            if (name.isEmpty()) {
                errors.add(at + ".name: Required value");
            } else if (!ENV_NAME.matcher(name).matches()) {
                errors.add(at + ".name: Invalid value: " + quote(name) + ": " + ENV_NAME_MSG);
            }
            JsonNode from = v.get("valueFrom");
            if (from == null || from.isNull()) {
                continue;
            }
            int sources = 0;
            for (String source : List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")) {
                JsonNode s = from.get(source);
                if (s == null || s.isNull()) {
                    continue;
                }
                sources++;
                switch (source) {
                    case "fieldRef" -> {
                        if (s.path("fieldPath").asString("").isEmpty()) {
                            errors.add(at + ".valueFrom.fieldRef.fieldPath: Required value");
                        }
                    }
                    case "resourceFieldRef" -> {
                        if (s.path("resource").asString("").isEmpty()) {
                            errors.add(at + ".valueFrom.resourceFieldRef.resource: Required value");
                        }
                    }
                    default -> {
                        if (s.path("key").asString("").isEmpty()) {
                            errors.add(at + ".valueFrom." + source + ".key: Required value");
                        }
                        if (s.path("name").asString("").isEmpty()) {
                            errors.add(at + ".valueFrom." + source + ".name: Required value");
                        }
                    }
                }
            }
            if (!v.path("value").asString("").isEmpty()) {
                errors.add(at + ".valueFrom: Invalid value: \"\": may not be specified when `value` is not empty");
            } else if (sources == 0) {
                errors.add(at + ".valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, "
                        + "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
            } else if (sources > 1) {
                errors.add(at + ".valueFrom: Invalid value: \"\": may not have more than one field specified at a time");
            }
        }
    }

    private static void envFrom(JsonNode envFrom, String path, List<String> errors) {
        int i = 0;
        for (JsonNode source : envFrom) {
            String at = path + "[" + i++ + "]";
            String prefix = source.path("prefix").asString("");
            if (!prefix.isEmpty() && !ENV_NAME.matcher(prefix).matches()) {
                errors.add(at + ".prefix: Invalid value: " + quote(prefix) + ": " + ENV_NAME_MSG);
            }
            int sources = 0;
            for (String ref : List.of("configMapRef", "secretRef")) {
                JsonNode r = source.get(ref);
                if (r == null || r.isNull()) {
                    continue;
                }
                sources++;
                String name = r.path("name").asString("");
                if (name.isEmpty()) {
                    errors.add(at + "." + ref + ".name: Required value");
                } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
                    errors.add(at + "." + ref + ".name: Invalid value: " + quote(name) + ": a lowercase RFC 1123 "
                            + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
                            + "start and end with an alphanumeric character");
                }
            }
            if (sources == 0) {
                errors.add(at + ": Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`");
            } else if (sources > 1) {
                errors.add(at + ": Invalid value: \"\": may not have more than one field specified at a time");
            }
        }
    }

    /** Validates the volumes and returns the names of the valid ones. */
    private static Set<String> volumes(JsonNode volumes, String path, List<String> errors) {
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode v : volumes) {
            String at = path + "[" + i++ + "]";
            String name = v.path("name").asString("");
            boolean ok = true;
            if (name.isEmpty()) {
                errors.add(at + ".name: Required value");
                ok = false;
            } else if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
                errors.add(at + ".name: Invalid value: " + quote(name) + ": "
                        + (name.length() > 63 ? "must be no more than 63 characters" : DNS_LABEL_MSG));
                ok = false;
            } else if (names.contains(name)) {
                errors.add(at + ".name: Duplicate value: " + quote(name));
                ok = false;
            }
            List<String> sources = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                if (VOLUME_SOURCES.contains(e.getKey()) && !e.getValue().isNull()) {
                    sources.add(e.getKey());
                }
            }
            if (sources.isEmpty()) {
                errors.add(at + ": Required value: must specify a volume type");
                ok = false;
            } else if (sources.size() > 1) {
                errors.add(at + "." + sources.get(1) + ": Forbidden: may not specify more than 1 volume type");
                ok = false;
            }
            if (ok) {
                names.add(name);
            }
        }
        return names;
    }

    private static void volumeMounts(JsonNode mounts, Set<String> volumes, String path, List<String> errors) {
        Set<String> paths = new HashSet<>();
        int i = 0;
        for (JsonNode m : mounts) {
            String at = path + "[" + i++ + "]";
            String name = m.path("name").asString("");
            if (name.isEmpty()) {
                errors.add(at + ".name: Required value");
            } else if (!volumes.contains(name)) {
                errors.add(at + ".name: Not found: " + quote(name));
            }
            String mountPath = m.path("mountPath").asString("");
            if (mountPath.isEmpty()) {
                errors.add(at + ".mountPath: Required value");
            } else if (!paths.add(mountPath)) {
                errors.add(at + ".mountPath: Invalid value: " + quote(mountPath) + ": must be unique");
            }
            String subPath = m.path("subPath").asString("");
            if (!subPath.isEmpty()) {
                if (subPath.startsWith("/")) {
                    errors.add(at + ".subPath: Invalid value: " + quote(subPath) + ": must be a relative path");
                }
                for (String part : subPath.split("/")) {
                    if (part.equals("..")) {
                        errors.add(at + ".subPath: Invalid value: " + quote(subPath) + ": must not contain '..'");
                        break;
                    }
                }
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
