package dev.okube.apiserver.openapi;

import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI v3 documents, one per group-version, as kube-openapi's handler3 serves them. The
 * documents are generated at build time (see the test-scope OpenApiGenerator) from the fabric8 model
 * and packed into this bundle next to this class; here they are only loaded, hashed and indexed.
 */
public final class OpenApi {
    private static final Logger LOG = LoggerFactory.getLogger(OpenApi.class);

    /** Where the build writes the documents, relative to the bundle's root. */
    public static final String RESOURCE_DIR = "/dev/okube/apiserver/openapi/";

    /** One group-version document: its index key ("api/v1"), bytes and upstream-style hash. */
    public record Document(String path, byte[] json, String hash) {
        /** The URL the index advertises; the hash makes it immutable, so clients may cache it for good. */
        public String serverRelativeURL() {
            return "/openapi/v3/" + path + "?hash=" + hash;
        }
    }

    private volatile Map<String, Document> documents;
    private volatile byte[] index;

    /** @param jsonByPath document bytes keyed by index path ("api/v1", "apis/apps/v1"), in index order */
    public OpenApi(Map<String, byte[]> jsonByPath) {
        Map<String, Document> docs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : jsonByPath.entrySet()) {
            docs.put(e.getKey(), new Document(e.getKey(), e.getValue(), hash(e.getValue())));
        }
        publish(docs);
    }

    /** Adds or replaces a document (a custom resource's group-version); the index and its hashes follow. */
    public synchronized void put(String path, byte[] json) {
        Map<String, Document> docs = new LinkedHashMap<>(documents);
        docs.put(path, new Document(path, json, hash(json)));
        publish(docs);
    }

    /** Drops a document, when its group-version is no longer served. */
    public synchronized void remove(String path) {
        Map<String, Document> docs = new LinkedHashMap<>(documents);
        if (docs.remove(path) != null) {
            publish(docs);
        }
    }

    private void publish(Map<String, Document> docs) {
        StringBuilder sb = new StringBuilder("{\"paths\":{");
        boolean first = true;
        for (Document d : docs.values()) {
            // Paths and hashes are [a-z0-9./-] and hex: nothing to escape.
            sb.append(first ? "" : ",").append('"').append(d.path()).append("\":{\"serverRelativeURL\":\"")
                    .append(d.serverRelativeURL()).append("\"}");
            first = false;
        }
        index = sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
        documents = Collections.unmodifiableMap(docs);
    }

    /** Every group-version of {@link BuiltinResources} whose document the build packed. */
    public static OpenApi load() {
        Map<String, byte[]> docs = new LinkedHashMap<>();
        for (ResourceDefinition d : BuiltinResources.definitions()) {
            String path = path(d.group(), d.version());
            if (docs.containsKey(path)) {
                continue;
            }
            try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE_DIR + fileName(d.group(), d.version()))) {
                if (in != null) {
                    docs.put(path, in.readAllBytes());
                } else {
                    // Built with -Dmaven.test.skip: kubectl's default validation will then fail for this group.
                    LOG.warn("no OpenAPI v3 document packed for {}", path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new OpenApi(docs);
    }

    /** The index key upstream uses: "api/v1" for core, "apis/apps/v1" otherwise. */
    public static String path(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    /** The packed file name of a group-version's document: "api__v1.json", "apis__apps__v1.json". */
    public static String fileName(String group, String version) {
        return path(group, version).replace("/", "__") + ".json";
    }

    /** kube-openapi's ETag and {@code hash}: the upper-case hex SHA-512 of the document. */
    public static String hash(byte[] json) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is a required JDK algorithm", e);
        }
    }

    /** {@code GET /openapi/v3}: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}. */
    public byte[] index() {
        return index.clone();
    }

    /** The document for "api/v1" or "apis/apps/v1", or null. */
    public Document document(String path) {
        return documents.get(path);
    }

    public Map<String, Document> documents() {
        return documents;
    }
}
