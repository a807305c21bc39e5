package dev.okube.apiserver.validation;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Validation of an object's {@code metadata} as apimachinery's ValidateObjectMeta and
 * ValidateObjectMetaUpdate do it (Kubernetes 1.32), on the stored JSON, with upstream's field paths and
 * messages. Maps are walked in sorted key order so that the error order is stable (Go's is random).
 */
public final class ObjectMetaValidation {
    private ObjectMetaValidation() {
    }

    /** How a kind's names are checked. */
    public enum NameRule {
        /** Most kinds: a lowercase RFC 1123 subdomain, at most 253 bytes. */
        DNS1123_SUBDOMAIN,
        /** Namespaces: a lowercase RFC 1123 label, at most 63 bytes. */
        DNS1123_LABEL,
        /** Services: an RFC 1035 label, which must also start with a letter. */
        DNS1035_LABEL,
        /** RBAC kinds and CSRs: anything usable as one URL path segment. */
        PATH_SEGMENT
    }

    /** Upstream's limit on the total size of the annotations' keys and values. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    static final int FIELD_MANAGER_MAX_LENGTH = 128;
    static final int MAX_SUBRESOURCE_NAME_LENGTH = 256;
    private static final String IMMUTABLE = "field is immutable";

    /**
     * The name rule upstream's validation uses for a built-in kind (group "" for core); custom resources
     * and unknown kinds get {@link NameRule#DNS1123_SUBDOMAIN}, as the CRD handler does.
     */
    public static NameRule nameRule(String group, String kind) {
        String g = group == null ? "" : group;
        return switch (g + "/" + kind) {
            case "/Namespace" -> NameRule.DNS1123_LABEL;
            case "/Service" -> NameRule.DNS1035_LABEL;
            // CSR names have no rule of their own, which leaves the generic path-segment check
            case "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/ClusterRole",
                    "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding",
                    "certificates.k8s.io/CertificateSigningRequest" -> NameRule.PATH_SEGMENT;
            default -> NameRule.DNS1123_SUBDOMAIN;
        };
    }

    /**
     * The problems of a name under a rule; {@code prefix} for generateName, whose trailing '-' the DNS
     * rules accept.
     */
    public static List<String> checkName(NameRule rule, String name, boolean prefix) {
        return switch (rule) {
            case DNS1123_SUBDOMAIN -> Names.dns1123Subdomain(prefix ? maskTrailingDash(name) : name);
            case DNS1123_LABEL -> Names.dns1123Label(prefix ? maskTrailingDash(name) : name);
            case DNS1035_LABEL -> Names.dns1035Label(prefix ? maskTrailingDash(name) : name);
            // the RBAC rule checks a generateName like a full name
            case PATH_SEGMENT -> Names.pathSegment(name, false);
        };
    }

    /**
     * Create-time checks, in upstream's order: generateName, name (or generateName) required and well
     * formed, namespace required and a DNS-1123 label for namespaced kinds and forbidden otherwise,
     * generation not negative, labels, annotations (keys and total size), ownerReferences, finalizers,
     * managedFields.
     */
    public static List<FieldError> validateCreate(JsonNode object, boolean namespaced, NameRule rule) {
        Objects.requireNonNull(rule, "rule should not be null");
        JsonNode meta = object == null ? null : object.path("metadata");
        List<FieldError> errs = new ArrayList<>();

        String generateName = text(meta, "generateName");
        if (!generateName.isEmpty()) {
            for (String msg : checkName(rule, generateName, true)) {
                errs.add(FieldError.invalid("metadata.generateName", generateName, msg));
            }
        }
        String name = text(meta, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String msg : checkName(rule, name, false)) {
                errs.add(FieldError.invalid("metadata.name", name, msg));
            }
        }
        String namespace = text(meta, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required("metadata.namespace", ""));
            } else {
                for (String msg : checkName(NameRule.DNS1123_LABEL, namespace, false)) {
                    errs.add(FieldError.invalid("metadata.namespace", namespace, msg));
                }
            }
        } else if (!namespace.isEmpty()) {
            errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        long generation = meta == null ? 0 : meta.path("generation").asLong(0);
        if (generation < 0) {
            errs.add(FieldError.invalidRendered("metadata.generation", Long.toString(generation),
                    "must be greater than or equal to 0"));
        }
        validateLabels(meta, errs);
        validateAnnotations(meta, errs);
        validateOwnerReferences(meta, errs);
        validateFinalizers(meta, errs);
        validateManagedFields(meta, errs);
        return dedupe(errs);
    }

    /**
     * Update-time checks: {@link #validateCreate} and then ValidateObjectMetaUpdate against the stored
     * object (no new finalizers while deleting, resourceVersion present, generation not decremented,
     * name/namespace/uid/creationTimestamp/deletionTimestamp/deletionGracePeriodSeconds immutable), the
     * order upstream's update path reports them in. Errors with the same text are reported once.
     */
    public static List<FieldError> validateUpdate(JsonNode object, JsonNode old, boolean namespaced, NameRule rule) {
        List<FieldError> errs = new ArrayList<>(validateCreate(object, namespaced, rule));
        JsonNode meta = object == null ? null : object.path("metadata");
        JsonNode oldMeta = old == null ? null : old.path("metadata");

        if (present(oldMeta, "deletionTimestamp")) {
            Set<String> extra = new TreeSet<>(strings(meta, "finalizers"));
            extra.removeAll(strings(oldMeta, "finalizers"));
            if (!extra.isEmpty()) {
                errs.add(FieldError.forbidden("metadata.finalizers",
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + GoText.stringSlice(new ArrayList<>(extra))));
            }
        }
        String rv = text(meta, "resourceVersion");
        if (rv.isEmpty()) {
            errs.add(FieldError.invalid("metadata.resourceVersion", rv, "must be specified for an update"));
        }
        long generation = meta == null ? 0 : meta.path("generation").asLong(0);
        long oldGeneration = oldMeta == null ? 0 : oldMeta.path("generation").asLong(0);
        if (generation < oldGeneration) {
            errs.add(FieldError.invalidRendered("metadata.generation", Long.toString(generation),
                    "must not be decremented"));
        }
        for (String f : List.of("name", "namespace", "uid")) {
            String now = text(meta, f);
            if (!now.equals(text(oldMeta, f))) {
                errs.add(FieldError.invalid("metadata." + f, now, IMMUTABLE));
            }
        }
        String created = text(meta, "creationTimestamp");
        String oldCreated = text(oldMeta, "creationTimestamp");
        if (!sameInstant(created, oldCreated)) {
            errs.add(FieldError.invalidRendered("metadata.creationTimestamp",
                    GoText.time(created.isEmpty() ? null : created), IMMUTABLE));
        }
        String deleted = present(meta, "deletionTimestamp") ? text(meta, "deletionTimestamp") : null;
        String oldDeleted = present(oldMeta, "deletionTimestamp") ? text(oldMeta, "deletionTimestamp") : null;
        if ((deleted == null) != (oldDeleted == null) || (deleted != null && !sameInstant(deleted, oldDeleted))) {
            errs.add(FieldError.invalidRendered("metadata.deletionTimestamp",
                    deleted == null ? "null" : GoText.time(deleted), IMMUTABLE));
        }
        JsonNode grace = meta == null ? null : meta.get("deletionGracePeriodSeconds");
        JsonNode oldGrace = oldMeta == null ? null : oldMeta.get("deletionGracePeriodSeconds");
        String graceText = grace == null || grace.isNull() ? "null" : Long.toString(grace.asLong());
        String oldGraceText = oldGrace == null || oldGrace.isNull() ? "null" : Long.toString(oldGrace.asLong());
        if (!graceText.equals(oldGraceText)) {
            errs.add(FieldError.invalidRendered("metadata.deletionGracePeriodSeconds", graceText, IMMUTABLE));
        }
        return dedupe(errs);
    }

    /**
     * The message of upstream's 422 Invalid Status: {@code <Kind> "<name>" is invalid: <errors>} with
     * one error bare and several in brackets. {@code kind} is the qualified kind as upstream prints it,
     * e.g. {@code Pod} or {@code Deployment.apps}.
     */
    public static String invalidMessage(String kind, String name, List<FieldError> errors) {
        String head = kind + " " + GoText.quote(name) + " is invalid";
        return errors.isEmpty() ? head : head + ": " + FieldError.aggregate(errors);
    }

    /** {@link #invalidMessage(String, String, List)} with the kind qualified by its group as upstream does. */
    public static String invalidMessage(String group, String kind, String name, List<FieldError> errors) {
        String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
        return invalidMessage(qualified, name, errors);
    }

    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int MAX_GENERATED_BASE = 63 - 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Upstream's SimpleNameGenerator: the base cut to 58 bytes, then 5 characters from an alphabet
     * without vowels (no accidental words) and without look-alike characters.
     */
    public static String generateName(String base) {
        String b = base;
        byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_GENERATED_BASE) {
            b = new String(bytes, 0, MAX_GENERATED_BASE, StandardCharsets.UTF_8);
        }
        StringBuilder s = new StringBuilder(b);
        for (int i = 0; i < 5; i++) {
            s.append(ALPHANUMS.charAt(RANDOM.nextInt(ALPHANUMS.length())));
        }
        return s.toString();
    }

    // ---- the parts of ValidateObjectMeta ----

    private static void validateLabels(JsonNode meta, List<FieldError> errs) {
        for (Map.Entry<String, String> e : stringMap(meta, "labels").entrySet()) {
            for (String msg : Names.qualifiedName(e.getKey())) {
                errs.add(FieldError.invalid("metadata.labels", e.getKey(), msg));
            }
            for (String msg : Names.labelValue(e.getValue())) {
                errs.add(FieldError.invalid("metadata.labels", e.getValue(), msg));
            }
        }
    }

    private static void validateAnnotations(JsonNode meta, List<FieldError> errs) {
        long total = 0;
        for (Map.Entry<String, String> e : stringMap(meta, "annotations").entrySet()) {
            // keys are checked lower-cased: annotation keys may use capitals
            for (String msg : Names.qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                errs.add(FieldError.invalid("metadata.annotations", e.getKey(), msg));
            }
            total += GoText.byteLength(e.getKey()) + (long) GoText.byteLength(e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.add(FieldError.tooLong("metadata.annotations", TOTAL_ANNOTATION_SIZE_LIMIT));
        }
    }

    private static void validateOwnerReferences(JsonNode meta, List<FieldError> errs) {
        JsonNode refs = meta == null ? null : meta.get("ownerReferences");
        if (refs == null || !refs.isArray()) {
            return;
        }
        String path = "metadata.ownerReferences";
        String firstController = "";
        for (JsonNode ref : refs) {
            String apiVersion = text(ref, "apiVersion");
            String kind = text(ref, "kind");
            String[] gv = parseGroupVersion(apiVersion);
            if (gv[1].isEmpty()) {
                errs.add(FieldError.invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
            }
            if (kind.isEmpty()) {
                errs.add(FieldError.invalid(path + ".kind", kind, "kind must not be empty"));
            }
            if (text(ref, "name").isEmpty()) {
                errs.add(FieldError.invalid(path + ".name", "", "name must not be empty"));
            }
            if (text(ref, "uid").isEmpty()) {
                errs.add(FieldError.invalid(path + ".uid", "", "uid must not be empty"));
            }
            // events may not own anything: their garbage collection is by TTL
            if (gv[0].isEmpty() && gv[1].equals("v1") && kind.equals("Event")) {
                errs.add(FieldError.invalidRendered(path, renderOwnerReference(ref),
                        "/v1, Kind=Event is disallowed from being an owner"));
            }
            if (ref.path("controller").asBoolean(false)) {
                String current = kind + "/" + text(ref, "name");
                if (!firstController.isEmpty()) {
                    errs.add(FieldError.invalidRendered(path, renderOwnerReferences(refs),
                            "Only one reference can have Controller set to true. Found \"true\" in references for "
                                    + firstController + " and " + current));
                } else {
                    firstController = current;
                }
            }
        }
    }

    private static void validateFinalizers(JsonNode meta, List<FieldError> errs) {
        List<String> finalizers = strings(meta, "finalizers");
        boolean orphan = false;
        boolean foreground = false;
        for (String f : finalizers) {
            for (String msg : Names.qualifiedName(f)) {
                errs.add(FieldError.invalid("metadata.finalizers", f, msg));
            }
            orphan |= f.equals("orphan");
            foreground |= f.equals("foregroundDeletion");
        }
        if (orphan && foreground) {
            errs.add(FieldError.invalidRendered("metadata.finalizers", GoText.stringSlice(finalizers),
                    "finalizer orphan and foregroundDeletion cannot be both set"));
        }
    }

    private static void validateManagedFields(JsonNode meta, List<FieldError> errs) {
        JsonNode entries = meta == null ? null : meta.get("managedFields");
        if (entries == null || !entries.isArray()) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String path = "metadata.managedFields[" + i + "]";
            String op = text(e, "operation");
            if (!op.equals("Apply") && !op.equals("Update")) {
                errs.add(FieldError.invalid(path + ".operation", op, "must be `Apply` or `Update`"));
            }
            String fieldsType = text(e, "fieldsType");
            if (!fieldsType.isEmpty() && !fieldsType.equals("FieldsV1")) {
                errs.add(FieldError.invalid(path + ".fieldsType", fieldsType, "must be `FieldsV1`"));
            }
            String manager = text(e, "manager");
            if (GoText.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) {
                errs.add(FieldError.tooLong(path + ".manager", FIELD_MANAGER_MAX_LENGTH));
            }
            int bytePos = 0;
            for (int j = 0; j < manager.length(); ) {
                int cp = manager.codePointAt(j);
                if (!GoText.isPrint(cp)) {
                    errs.add(FieldError.invalid(path + ".manager", manager,
                            String.format("invalid character U+%04X (at position %d)", cp, bytePos)));
                }
                bytePos += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                j += Character.charCount(cp);
            }
            if (GoText.byteLength(text(e, "subresource")) > MAX_SUBRESOURCE_NAME_LENGTH) {
                errs.add(FieldError.tooLong(path + ".subresource", MAX_SUBRESOURCE_NAME_LENGTH));
            }
        }
    }

    // ---- helpers ----

    /** Go's maskTrailingDash: a generateName ending in '-' is checked as if its last two bytes were "a". */
    static String maskTrailingDash(String name) {
        if (name.length() > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 2) + "a";
        }
        return name;
    }

    /** schema.ParseGroupVersion, an unparseable value giving an empty group and version. */
    private static String[] parseGroupVersion(String gv) {
        if (gv.isEmpty() || gv.equals("/")) {
            return new String[] {"", ""};
        }
        int first = gv.indexOf('/');
        if (first < 0) {
            return new String[] {"", gv};
        }
        if (gv.indexOf('/', first + 1) >= 0) {
            return new String[] {"", ""};
        }
        return new String[] {gv.substring(0, first), gv.substring(first + 1)};
    }

    /** {@code %#v} of a metav1.OwnerReference; set pointers show a placeholder address. */
    private static String renderOwnerReference(JsonNode ref) {
        return "v1.OwnerReference{APIVersion:" + GoText.quote(text(ref, "apiVersion"))
                + ", Kind:" + GoText.quote(text(ref, "kind"))
                + ", Name:" + GoText.quote(text(ref, "name"))
                + ", UID:" + GoText.quote(text(ref, "uid"))
                + ", Controller:" + boolPointer(ref.get("controller"))
                + ", BlockOwnerDeletion:" + boolPointer(ref.get("blockOwnerDeletion")) + "}";
    }

    private static String renderOwnerReferences(JsonNode refs) {
        List<String> parts = new ArrayList<>();
        for (JsonNode ref : refs) {
            parts.add(renderOwnerReference(ref));
        }
        return "[]v1.OwnerReference{" + String.join(", ", parts) + "}";
    }

    private static String boolPointer(JsonNode v) {
        return v == null || v.isNull() ? "(*bool)(nil)" : "(*bool)(0xc000000000)";
    }

    /** metav1.Time equality: the same instant, however the offset was written. */
    private static boolean sameInstant(String a, String b) {
        return a.equals(b) || GoText.time(a.isEmpty() ? null : a).equals(GoText.time(b.isEmpty() ? null : b));
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && !v.isNull();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode() || !v.isValueNode()) {
            return "";
        }
        return v.asString();
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (JsonNode e : v) {
                out.add(e.isNull() ? "" : e.asString());
            }
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        Map<String, String> out = new TreeMap<>();
        if (v != null && v.isObject()) {
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString());
            }
        }
        return out;
    }

    /** ToAggregate drops errors whose text repeats; the list handed out does the same. */
    private static List<FieldError> dedupe(List<FieldError> errs) {
        Set<String> seen = new LinkedHashSet<>();
        List<FieldError> out = new ArrayList<>();
        for (FieldError e : errs) {
            if (seen.add(e.message())) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }
}
