package dev.okube.apiserver.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.okube.apiserver.patch.PatchMeta;
import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.ResourceDefinition;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Build-time generator of the OpenAPI v3 documents {@link OpenApi} serves: one per group-version of
 * {@link BuiltinResources}, with paths derived from each resource's scope and plural, and
 * {@code components.schemas} derived by reflection from the fabric8 kubernetes-model classes (their
 * Jackson {@code @JsonProperty}/{@code @JsonPropertyOrder} fields and generic field types). It lives in
 * test scope so the fabric8 model never becomes a runtime dependency of the bundle; Maven runs it at
 * {@code process-test-classes} and writes into {@code target/classes}, before tests and packaging.
 */
public final class OpenApiGenerator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MODEL = "io.fabric8.kubernetes.api.model";
    private static final String REF = "#/components/schemas/";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String TIME = META + "Time";
    static final String PATCH = META + "Patch";
    static final String STATUS = META + "Status";
    static final String DELETE_OPTIONS = META + "DeleteOptions";

    /**
     * fabric8 keeps apimachinery's meta/v1 types in its core package; upstream names them under
     * meta/v1, so these (a fixed set owned by apimachinery, not by any kind) are renamed.
     */
    private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "LabelSelector",
            "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "Status", "StatusDetails",
            "StatusCause", "DeleteOptions", "Preconditions", "Condition", "MicroTime", "Duration", "APIResource",
            "APIResourceList", "APIGroup", "APIGroupList", "APIVersions", "GroupVersionForDiscovery",
            "ServerAddressByClientCIDR", "WatchEvent", "TypeMeta", "GroupVersionKind", "GroupKind", "GroupResource",
            "GroupVersionResource", "Patch", "Time");

    /**
     * Required fields. fabric8 8.0.0 carries no required markers (no {@code @JsonProperty(required)},
     * no validation annotations), so upstream's most visible ones are listed; anything marked
     * {@code required = true} in the model is honoured as well.
     */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "io.k8s.api.core.v1.PodSpec", List.of("containers"),
            "io.k8s.api.core.v1.Container", List.of("name"),
            "io.k8s.api.core.v1.EphemeralContainer", List.of("name"),
            "io.k8s.api.core.v1.ContainerPort", List.of("containerPort"),
            "io.k8s.api.core.v1.EnvVar", List.of("name"),
            "io.k8s.api.core.v1.Volume", List.of("name"),
            "io.k8s.api.core.v1.VolumeMount", List.of("name", "mountPath"),
            "io.k8s.api.core.v1.ServicePort", List.of("port"),
            "io.k8s.api.apps.v1.DeploymentSpec", List.of("selector", "template"),
            "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference", List.of("apiVersion", "kind", "name", "uid"));

    /** Schemas for the apimachinery types fabric8 serialises as scalars or free-form JSON. */
    private static final Map<String, ObjectNode> SPECIAL = new LinkedHashMap<>();

    static {
        SPECIAL.put(MODEL + ".IntOrString", NODES.objectNode().put("type", "string").put("format", "int-or-string")
                .put("x-kubernetes-int-or-string", true));
        SPECIAL.put(MODEL + ".Quantity", NODES.objectNode().put("type", "string"));
        SPECIAL.put(MODEL + ".MicroTime", NODES.objectNode().put("type", "string").put("format", "date-time"));
        SPECIAL.put(MODEL + ".Duration", NODES.objectNode().put("type", "string"));
        SPECIAL.put(MODEL + ".FieldsV1", NODES.objectNode().put("type", "object"));
        SPECIAL.put(MODEL + ".runtime.RawExtension", NODES.objectNode().put("type", "object"));
    }

    private final Map<String, ObjectNode> schemas = new TreeMap<>();
    private final Map<Class<?>, String> names = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        // Compact, as upstream serves it; the bytes are what the hash covers.
        JsonMapper mapper = JsonMapper.builder().build();
        Map<String, byte[]> docs = generate(mapper);
        for (Map.Entry<String, byte[]> e : docs.entrySet()) {
            Files.write(out.resolve(e.getKey()), e.getValue());
        }
        System.out.println("OpenAPI v3: wrote " + docs.size() + " documents to " + out);
    }

    /** File name → document bytes, one per group-version, in BuiltinResources order. */
    static Map<String, byte[]> generate(JsonMapper mapper) throws IOException {
        Map<String, Class<?>> kinds = modelKinds();
        Map<String, List<ResourceDefinition>> byGv = new LinkedHashMap<>();
        for (ResourceDefinition d : BuiltinResources.definitions()) {
            byGv.computeIfAbsent(d.group() + "/" + d.version(), k -> new ArrayList<>()).add(d);
        }
        Map<String, byte[]> docs = new LinkedHashMap<>();
        for (List<ResourceDefinition> defs : byGv.values()) {
            ResourceDefinition first = defs.get(0);
            ObjectNode doc = new OpenApiGenerator().document(first.group(), first.version(), defs, kinds);
            docs.put(OpenApi.fileName(first.group(), first.version()), mapper.writeValueAsBytes(doc));
        }
        return docs;
    }

    /** Every fabric8 kind class with its @Group/@Version, keyed "group/version/Kind"; found via the model's service files. */
    static Map<String, Class<?>> modelKinds() throws IOException {
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        ClassLoader loader = OpenApiGenerator.class.getClassLoader();
        Enumeration<URL> services = loader.getResources("META-INF/services/" + MODEL + ".KubernetesResource");
        while (services.hasMoreElements()) {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(services.nextElement().openStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    line = line.strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    Class<?> c;
                    try {
                        c = Class.forName(line, false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        continue;
                    }
                    Group g = c.getAnnotation(Group.class);
                    Version v = c.getAnnotation(Version.class);
                    if (g != null && v != null) {
                        kinds.putIfAbsent(g.value() + "/" + v.value() + "/" + c.getSimpleName(), c);
                    }
                }
            }
        }
        return kinds;
    }

    private ObjectNode document(String group, String version, List<ResourceDefinition> defs,
            Map<String, Class<?>> kinds) {
        ObjectNode doc = NODES.objectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
        ObjectNode paths = doc.putObject("paths");
        schemas.put(PATCH, NODES.objectNode().put("type", "object"));
        ref(deleteOptionsClass());
        ref(statusClass());
        for (ResourceDefinition d : defs) {
            if (!d.verbs().contains("get")) {
                // Create-only reviews (authorization.k8s.io) are answered, not stored: no paths to document here.
                continue;
            }
            Class<?> kind = kinds.get(group + "/" + version + "/" + d.kind());
            Class<?> list = kinds.get(group + "/" + version + "/" + d.kind() + "List");
            if (kind == null || list == null) {
                throw new IllegalStateException("no fabric8 model class for " + group + "/" + version + " " + d.kind());
            }
            new Paths(d, ref(kind), ref(list)).addTo(paths);
        }
        ObjectNode components = doc.putObject("components").putObject("schemas");
        schemas.forEach(components::set);
        return doc;
    }

    private static Class<?> deleteOptionsClass() {
        return load(MODEL + ".DeleteOptions");
    }

    private static Class<?> statusClass() {
        return load(MODEL + ".Status");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, OpenApiGenerator.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Upstream's schema name for a fabric8 class, e.g. io.k8s.api.core.v1.Pod. */
    static String upstreamName(Class<?> c) {
        String pkg = c.getPackageName();
        String simple = c.getSimpleName();
        if (pkg.equals(MODEL)) {
            if (simple.equals("IntOrString")) {
                return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
            }
            if (simple.equals("Quantity")) {
                return "io.k8s.apimachinery.pkg.api.resource.Quantity";
            }
            return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
        }
        if (!pkg.startsWith(MODEL + ".")) {
            throw new IllegalArgumentException("not a fabric8 model class: " + c);
        }
        String rest = pkg.substring(MODEL.length() + 1);
        if (rest.equals("runtime")) {
            return "io.k8s.apimachinery.pkg.runtime." + simple;
        }
        // fabric8 packages are "<group>[.<version>]"; an unversioned package holds the v1 types.
        String[] parts = rest.split("\\.");
        String last = parts[parts.length - 1];
        boolean versioned = last.matches("v\\d+((alpha|beta)\\d+)?");
        String groupPart = versioned ? rest.substring(0, rest.length() - last.length() - 1) : rest;
        String ver = versioned ? last : "v1";
        if (groupPart.equals("apiextensions")) {
            return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + ver + "." + simple;
        }
        return "io.k8s.api." + groupPart + "." + ver + "." + simple;
    }

    /** Registers the schema of {@code c} (and, transitively, of what it references) and returns its name. */
    private String ref(Class<?> c) {
        String known = names.get(c);
        if (known != null) {
            return known;
        }
        String name = upstreamName(c);
        names.put(c, name);
        ObjectNode special = SPECIAL.get(c.getName());
        if (special != null) {
            schemas.put(name, special.deepCopy());
            return name;
        }
        ObjectNode schema = NODES.objectNode();
        schemas.put(name, schema);
        if (customJson(c)) {
            // Serialised by hand (JSONSchemaPropsOrArray, JSON, …): any JSON value, as upstream.
            schema.put("x-kubernetes-preserve-unknown-fields", true);
            return name;
        }
        schema.put("type", "object");
        ObjectNode properties = NODES.objectNode();
        Set<String> required = new LinkedHashSet<>(REQUIRED.getOrDefault(name, List.of()));
        PatchMeta patch = PatchMeta.forType(c.getSimpleName());
        for (Map.Entry<String, Field> p : properties(c).entrySet()) {
            ObjectNode property = property(p.getKey(), p.getValue().getGenericType());
            patchExtensions(property, patch.field(p.getKey()));
            properties.set(p.getKey(), property);
            JsonProperty jp = p.getValue().getAnnotation(JsonProperty.class);
            if (jp != null && jp.required()) {
                required.add(p.getKey());
            }
        }
        required.retainAll(properties.propertyNames());
        if (!required.isEmpty()) {
            ArrayNode r = schema.putArray("required");
            required.forEach(r::add);
        }
        schema.set("properties", properties);
        Group g = c.getAnnotation(Group.class);
        Version v = c.getAnnotation(Version.class);
        if (g != null && v != null) {
            schema.putArray("x-kubernetes-group-version-kind").addObject()
                    .put("group", g.value()).put("kind", c.getSimpleName()).put("version", v.value());
        }
        return name;
    }

    /**
     * Upstream's patch extensions on a property, from the same table the server's strategic merge
     * patch uses: kubectl's client-side apply computes its patches from them.
     */
    private static void patchExtensions(ObjectNode property, PatchMeta field) {
        switch (field.listStrategy()) {
            case MERGE_BY_KEY -> {
                property.put("x-kubernetes-patch-merge-key", field.mergeKey());
                property.put("x-kubernetes-patch-strategy", field.retainKeys() ? "merge,retainKeys" : "merge");
                property.put("x-kubernetes-list-type", "map");
                property.putArray("x-kubernetes-list-map-keys").add(field.mergeKey());
            }
            case MERGE_PRIMITIVES -> {
                property.put("x-kubernetes-patch-strategy", "merge");
                property.put("x-kubernetes-list-type", "set");
            }
            default -> {
                if (field.retainKeys()) {
                    property.put("x-kubernetes-patch-strategy", "retainKeys");
                } else if (field.replace()) {
                    property.put("x-kubernetes-patch-strategy", "replace");
                }
            }
        }
    }

    private static boolean customJson(Class<?> c) {
        JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
        JsonSerialize s = c.getAnnotation(JsonSerialize.class);
        return (d != null && d.using() != tools.jackson.databind.ValueDeserializer.None.class)
                || (s != null && s.using() != tools.jackson.databind.ValueSerializer.None.class);
    }

    /** JSON name → field, in @JsonPropertyOrder order, then declaration order (superclasses first). */
    private static Map<String, Field> properties(Class<?> c) {
        Deque<Class<?>> chain = new ArrayDeque<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            chain.push(k);
        }
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Class<?> k : chain) {
            for (Field f : k.getDeclaredFields()) {
                JsonProperty jp = f.getAnnotation(JsonProperty.class);
                if (jp == null || Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class)) {
                    continue;
                }
                byName.put(jp.value().isEmpty() ? f.getName() : jp.value(), f);
            }
        }
        Map<String, Field> ordered = new LinkedHashMap<>();
        JsonPropertyOrder order = c.getAnnotation(JsonPropertyOrder.class);
        if (order != null) {
            for (String n : order.value()) {
                if (byName.containsKey(n)) {
                    ordered.put(n, byName.get(n));
                }
            }
        }
        byName.forEach(ordered::putIfAbsent);
        return ordered;
    }

    /** A property's schema; nested objects are {@code allOf: [{$ref}]} as upstream writes them. */
    private ObjectNode property(String jsonName, Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode s = NODES.objectNode().put("type", "array");
                s.set("items", property(jsonName, args[0]));
                return s;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode s = NODES.objectNode().put("type", "object");
                s.set("additionalProperties", property(jsonName, args[1]));
                return s;
            }
            return property(jsonName, raw);
        }
        if (!(type instanceof Class<?> c)) {
            return NODES.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
        }
        if (c == String.class) {
            // fabric8 models meta/v1 Time as String; its fields are the ones named *Time/*Timestamp.
            if (jsonName.endsWith("Timestamp") || jsonName.endsWith("Time")) {
                schemas.putIfAbsent(TIME, NODES.objectNode().put("type", "string").put("format", "date-time"));
                return allOf(TIME);
            }
            return NODES.objectNode().put("type", "string");
        }
        if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int32");
        }
        if (c == Long.class || c == long.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int64");
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return NODES.objectNode().put("type", "number").put("format", "double");
        }
        if (c == Boolean.class || c == boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (c == byte[].class) {
            return NODES.objectNode().put("type", "string").put("format", "byte");
        }
        if (c.isEnum()) {
            ObjectNode s = NODES.objectNode().put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (Field f : c.getFields()) {
                if (f.isEnumConstant()) {
                    JsonProperty jp = f.getAnnotation(JsonProperty.class);
                    values.add(jp != null && !jp.value().isEmpty() ? jp.value() : f.getName());
                }
            }
            return s;
        }
        if (c.getName().startsWith(MODEL + ".")) {
            return allOf(ref(c));
        }
        if (c.isArray()) {
            ObjectNode s = NODES.objectNode().put("type", "array");
            s.set("items", property(jsonName, c.getComponentType()));
            return s;
        }
        if (Collection.class.isAssignableFrom(c)) {
            return NODES.objectNode().put("type", "array");
        }
        // Object, Map without type arguments, or anything else fabric8 leaves untyped: free-form JSON.
        return NODES.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
    }

    static ObjectNode allOf(String name) {
        ObjectNode s = NODES.objectNode();
        s.putArray("allOf").addObject().put("$ref", REF + name);
        return s;
    }

    static ObjectNode refTo(String name) {
        return NODES.objectNode().put("$ref", REF + name);
    }

    /** The REST paths of one resource, named and shaped as upstream's (collection, item, status). */
    private static final class Paths {
        private final ResourceDefinition d;
        private final String kindSchema;
        private final String listSchema;
        private final String prefix;
        private final String opGroup;
        private final String tag;

        Paths(ResourceDefinition d, String kindSchema, String listSchema) {
            this.d = d;
            this.kindSchema = kindSchema;
            this.listSchema = listSchema;
            this.prefix = "/" + OpenApi.path(d.group(), d.version());
            // Operation ids as upstream: listCoreV1NamespacedPod, patchRbacAuthorizationV1ClusterRole, …
            StringBuilder g = new StringBuilder();
            if (d.group().isEmpty()) {
                g.append("Core");
            } else {
                for (String part : d.group().replace(".k8s.io", "").split("\\.")) {
                    g.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
            this.opGroup = g.toString() + Character.toUpperCase(d.version().charAt(0)) + d.version().substring(1);
            this.tag = (d.group().isEmpty() ? "core" : d.group().replace(".k8s.io", "").replace('.', '_'))
                    + "_" + d.version();
        }

        void addTo(ObjectNode paths) {
            String scope = d.namespaced() ? "Namespaced" : "";
            String base = prefix + (d.namespaced() ? "/namespaces/{namespace}/" : "/") + d.plural();
            String k = d.kind();

            ObjectNode collection = pathItem(false);
            collection.set("get", op("list" + opGroup + scope + k, "list", listParams(), null, listSchema, 200));
            collection.set("post", op("create" + opGroup + scope + k, "post", writeParams(), body(kindSchema),
                    kindSchema, 201));
            collection.set("delete", op("delete" + opGroup + "Collection" + scope + k, "deletecollection",
                    concat(writeParams("dryRun"), deleteParams(), listParams()), body(DELETE_OPTIONS), STATUS, 200));
            paths.set(base, collection);

            ObjectNode item = pathItem(true);
            item.set("get", op("read" + opGroup + scope + k, "get", List.of(), null, kindSchema, 200));
            item.set("put", op("replace" + opGroup + scope + k, "put", writeParams(), body(kindSchema), kindSchema, 200));
            item.set("delete", op("delete" + opGroup + scope + k, "delete", concat(writeParams("dryRun"), deleteParams()),
                    body(DELETE_OPTIONS), STATUS, 200));
            item.set("patch", op("patch" + opGroup + scope + k, "patch", patchParams(), patchBody(), kindSchema, 200));
            paths.set(base + "/{name}", item);

            if (d.subresources().contains("status")) {
                ObjectNode status = pathItem(true);
                status.set("get", op("read" + opGroup + scope + k + "Status", "get", List.of(), null, kindSchema, 200));
                status.set("put", op("replace" + opGroup + scope + k + "Status", "put", writeParams(), body(kindSchema),
                        kindSchema, 200));
                status.set("patch", op("patch" + opGroup + scope + k + "Status", "patch", patchParams(), patchBody(),
                        kindSchema, 200));
                paths.set(base + "/{name}/status", status);
            }

            if (d.namespaced()) {
                ObjectNode all = NODES.objectNode();
                all.putArray("parameters").add(query("pretty", "string"));
                all.set("get", op("list" + opGroup + k + "ForAllNamespaces", "list", listParams(), null, listSchema, 200));
                paths.set(prefix + "/" + d.plural(), all);
            }
        }

        private ObjectNode pathItem(boolean named) {
            ObjectNode item = NODES.objectNode();
            ArrayNode params = item.putArray("parameters");
            if (named) {
                params.add(pathParam("name", "name of the " + d.kind()));
            }
            if (d.namespaced()) {
                params.add(pathParam("namespace", "object name and auth scope, such as for teams and projects"));
            }
            params.add(query("pretty", "string"));
            return item;
        }

        private ObjectNode op(String id, String action, List<ObjectNode> params, ObjectNode requestBody,
                String responseSchema, int status) {
            ObjectNode op = NODES.objectNode();
            op.putArray("tags").add(tag);
            op.put("operationId", id);
            if (!params.isEmpty()) {
                ArrayNode p = op.putArray("parameters");
                params.forEach(p::add);
            }
            if (requestBody != null) {
                op.set("requestBody", requestBody);
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(String.valueOf(status)).put("description",
                    status == 201 ? "Created" : "OK");
            ObjectNode content = ok.putObject("content");
            for (String type : List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")) {
                content.putObject(type).set("schema", refTo(responseSchema));
            }
            if (status == 201) {
                responses.set("200", ok.deepCopy().put("description", "OK"));
            }
            responses.putObject("401").put("description", "Unauthorized");
            op.put("x-kubernetes-action", action);
            op.putObject("x-kubernetes-group-version-kind")
                    .put("group", d.group()).put("kind", d.kind()).put("version", d.version());
            return op;
        }

        private static ObjectNode body(String schema) {
            ObjectNode b = NODES.objectNode();
            ObjectNode content = b.putObject("content");
            for (String type : List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")) {
                content.putObject(type).set("schema", refTo(schema));
            }
            return b.put("required", !schema.equals(DELETE_OPTIONS));
        }

        private static ObjectNode patchBody() {
            ObjectNode b = NODES.objectNode();
            ObjectNode content = b.putObject("content");
            for (String type : List.of("application/apply-patch+yaml", "application/json-patch+json",
                    "application/merge-patch+json", "application/strategic-merge-patch+json")) {
                content.putObject(type).set("schema", refTo(PATCH));
            }
            return b.put("required", true);
        }

        private static List<ObjectNode> listParams() {
            return List.of(query("allowWatchBookmarks", "boolean"), query("continue", "string"),
                    query("fieldSelector", "string"), query("labelSelector", "string"), query("limit", "integer"),
                    query("resourceVersion", "string"), query("resourceVersionMatch", "string"),
                    query("sendInitialEvents", "boolean"), query("timeoutSeconds", "integer"), query("watch", "boolean"));
        }

        private static List<ObjectNode> writeParams(String... only) {
            List<ObjectNode> all = List.of(query("dryRun", "string"), query("fieldManager", "string"),
                    query("fieldValidation", "string"));
            if (only.length == 0) {
                return all;
            }
            List<String> keep = List.of(only);
            return all.stream().filter(p -> keep.contains(p.get("name").asString())).toList();
        }

        /** kubectl decides from this list that the server validates fields itself (fieldValidation). */
        private static List<ObjectNode> patchParams() {
            return concat(writeParams(), List.of(query("force", "boolean")));
        }

        private static List<ObjectNode> deleteParams() {
            return List.of(query("gracePeriodSeconds", "integer"), query("orphanDependents", "boolean"),
                    query("propagationPolicy", "string"));
        }

        @SafeVarargs
        private static List<ObjectNode> concat(List<ObjectNode>... lists) {
            List<ObjectNode> all = new ArrayList<>();
            for (List<ObjectNode> l : lists) {
                all.addAll(l);
            }
            return all;
        }

        private static ObjectNode query(String name, String type) {
            ObjectNode p = NODES.objectNode().put("name", name).put("in", "query");
            p.putObject("schema").put("type", type);
            return p.put("uniqueItems", true);
        }

        private static ObjectNode pathParam(String name, String description) {
            ObjectNode p = NODES.objectNode().put("name", name).put("in", "path").put("description", description)
                    .put("required", true);
            p.putObject("schema").put("type", "string");
            return p.put("uniqueItems", true);
        }
    }
}
