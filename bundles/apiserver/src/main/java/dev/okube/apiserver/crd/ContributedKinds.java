package dev.okube.apiserver.crd;

import dev.okube.api.resources.ResourceKind;
import dev.okube.apiserver.openapi.OpenApi;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.ResourceStrategy;
import dev.okube.apiserver.rest.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kinds contributed by bundles as {@link ResourceKind} services: served like a custom resource
 * without a schema (unknown fields kept), with the bundle's own defaulting and validation, for as
 * long as the service is registered. Stored objects stay when the bundle goes, as a CRD's would
 * if it were only stopped being served.
 */
public final class ContributedKinds {
    private static final Logger LOG = LoggerFactory.getLogger(ContributedKinds.class);
    private final Registry registry;
    private final GenericRegistry store;
    private final Map<ResourceKind, ResourceDefinition> served = new ConcurrentHashMap<>();
    private final OpenApi openApi;

    public ContributedKinds(Registry registry, GenericRegistry store) {
        this(registry, store, null);
    }

    /**
     * @param openApi where each contributed group-version's OpenAPI v3 document is published (kubectl
     *                validates against it before create and apply), or null for none
     */
    public ContributedKinds(Registry registry, GenericRegistry store, OpenApi openApi) {
        this.registry = registry;
        this.store = store;
        this.openApi = openApi;
    }

    public void add(ResourceKind kind) {
        if (kind.group().isEmpty()) {
            LOG.warn("ignored contributed kind {}: it names no API group", kind.kind());
            return;
        }
        if (registry.find(kind.group(), kind.version(), kind.plural()).isPresent()) {
            LOG.warn("ignored contributed kind {}/{} {}: the resource {} is served already", kind.group(),
                    kind.version(), kind.kind(), kind.plural());
            return;
        }
        ObjectNode schema = Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        Set<String> subresources = kind.hasStatus() ? Set.of("status") : Set.of();
        CustomResourceStrategy base = new CustomResourceStrategy(schema, kind.namespaced(), kind.hasStatus(), null, null);
        ResourceDefinition def = new ResourceDefinition(kind.group(), kind.version(), kind.kind(), kind.plural(),
                kind.kind().toLowerCase(java.util.Locale.ROOT), kind.shortNames(), List.of(), kind.namespaced(),
                subresources, ResourceDefinition.ALL_VERBS, new Strategy(base, kind));
        served.put(kind, def);
        registry.add(def);
        publishOpenApi(def.group(), def.version());
        LOG.info("serving {}/{} {}, contributed by a bundle", kind.group(), kind.version(), kind.kind());
    }

    public void remove(ResourceKind kind) {
        ResourceDefinition def = served.remove(kind);
        if (def != null) {
            registry.remove(def);
            store.forget(def);
            publishOpenApi(def.group(), def.version());
            LOG.info("stopped serving {}/{} {}: its bundle went away", def.group(), def.version(), def.kind());
        }
    }

    /**
     * (Re)publishes the OpenAPI v3 document of a contributed group-version, as a CRD's: the kinds with
     * a schemaless object schema, and their paths; removed when the group-version has no kind left.
     */
    private synchronized void publishOpenApi(String group, String version) {
        if (openApi == null) {
            return;
        }
        String path = OpenApi.path(group, version);
        List<ResourceDefinition> defs = new ArrayList<>();
        for (ResourceDefinition d : served.values()) {
            if (d.group().equals(group) && d.version().equals(version)) {
                defs.add(d);
            }
        }
        if (defs.isEmpty()) {
            openApi.remove(path);
            return;
        }
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes CRD Swagger").put("version", "v0.1.0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (ResourceDefinition d : defs) {
            ObjectNode schema = Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
            schemas.set(CrdOpenApi.schemaName(d), CrdOpenApi.kindSchema(d, schema));
            CrdOpenApi.addPaths(paths, d);
        }
        openApi.put(path, Json.bytes(doc));
    }

    /** The schemaless custom-resource strategy plus the contributing bundle's defaults and validation. */
    private record Strategy(CustomResourceStrategy base, ResourceKind kind) implements ResourceStrategy {
        @Override
        public void applyDefaults(ObjectNode object) {
            base.applyDefaults(object);
            kind.applyDefaults(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            base.prepareForCreate(object);
        }

        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old, boolean statusUpdate) {
            base.prepareForUpdate(object, old, statusUpdate);
        }

        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public List<FieldProblem> validateCreate(ObjectNode object) {
            return withKind(base.validateCreate(object), object);
        }

        @Override
        public List<FieldProblem> validateUpdate(ObjectNode object, ObjectNode old) {
            return withKind(base.validateUpdate(object, old), object);
        }

        private List<FieldProblem> withKind(List<FieldProblem> problems, ObjectNode object) {
            List<FieldProblem> all = new ArrayList<>(problems);
            for (String error : kind.validate(object)) {
                int colon = error.indexOf(": ");
                String field = colon < 0 ? "" : error.substring(0, colon);
                String body = colon < 0 ? error : error.substring(colon + 2);
                String reason = body.startsWith("Required value") ? "FieldValueRequired"
                        : body.startsWith("Unsupported value") ? "FieldValueNotSupported"
                        : body.startsWith("Duplicate value") ? "FieldValueDuplicate"
                        : body.startsWith("Forbidden") ? "FieldValueForbidden" : "FieldValueInvalid";
                all.add(new FieldProblem(reason, field, body));
            }
            return all;
        }

        @Override
        public List<Column> columns() {
            return base.columns();
        }

        @Override
        public List<Object> cells(JsonNode object, Instant now) {
            return base.cells(object, now);
        }

        @Override
        public Map<String, String> selectableFields(JsonNode object) {
            return base.selectableFields(object);
        }
    }
}
