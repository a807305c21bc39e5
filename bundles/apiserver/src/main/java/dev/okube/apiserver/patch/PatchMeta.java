package dev.okube.apiserver.patch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a JSON path's list merges and by which key, and which maps retain keys: upstream's patch metadata
 * for built-in kinds.
 *
 * <p>The facts live in one hand-written table, {@code patch-meta.txt} next to this class, transcribed from the
 * {@code patchStrategy}/{@code patchMergeKey} struct tags of k8s.io/api. A {@code PatchMeta} is a position in
 * that type graph: the tags of the field that led here, and the Go type whose fields {@link #field} descends
 * into (for a list, the element type).
 */
public final class PatchMeta {
    /** How a list field merges under a strategic merge patch. */
    public enum Strategy {
        /** No merge tag: the patch's list replaces the original. */
        ATOMIC,
        /** {@code patchStrategy:"merge"} with a {@code patchMergeKey}: elements matched by that key. */
        MERGE_BY_KEY,
        /** {@code patchStrategy:"merge"} without a key: a list of primitives merged as a set. */
        MERGE_PRIMITIVES
    }

    private static final String RESOURCE = "patch-meta.txt";
    private static final Table TABLE = load();
    private static final PatchMeta NONE = new PatchMeta(TABLE, null, Strategy.ATOMIC, null, false, false);

    private final Table table;
    private final String type;
    private final Strategy strategy;
    private final String mergeKey;
    private final boolean retainKeys;
    private final boolean replace;

    private PatchMeta(Table table, String type, Strategy strategy, String mergeKey, boolean retainKeys,
            boolean replace) {
        this.table = table;
        this.type = type;
        this.strategy = strategy;
        this.mergeKey = mergeKey;
        this.retainKeys = retainKeys;
        this.replace = replace;
    }

    /** The metadata for a kind's root ("" group for core); unknown kinds: plain JSON merge semantics (every list atomic). */
    public static PatchMeta forKind(String group, String version, String kind) {
        String root = TABLE.kinds.get(kindKey(group, version, kind));
        return root == null ? NONE : new PatchMeta(TABLE, root, Strategy.ATOMIC, null, false, false);
    }

    /**
     * The metadata of a Go type's fields, by the type's name ("PodSpec", "Container"); a type the
     * table does not list has no tags. OpenAPI generation uses this, so OpenAPI and patching share
     * one source of merge keys.
     */
    public static PatchMeta forType(String goType) {
        return TABLE.types.containsKey(goType) ? new PatchMeta(TABLE, goType, Strategy.ATOMIC, null, false, false) : NONE;
    }

    /** Whether the table has the kind: upstream serves strategic merge patches only for kinds compiled into Go types. */
    public static boolean knows(String group, String version, String kind) {
        return TABLE.kinds.containsKey(kindKey(group, version, kind));
    }

    /** The root of another table in this class's format: for tests that use upstream's test types. */
    static PatchMeta fromTable(String text, String rootType) {
        try {
            Table t = parse(new BufferedReader(new java.io.StringReader(text)));
            requireType(t.types, rootType);
            return new PatchMeta(t, rootType, Strategy.ATOMIC, null, false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metadata that knows no tags: what {@link #forKind} gives for kinds outside the table. */
    public static PatchMeta none() {
        return NONE;
    }

    /** Descends into an object field, or for a list field into its elements' type. */
    public PatchMeta field(String name) {
        Map<String, PatchMeta> fields = type == null ? null : table.types.get(type);
        PatchMeta f = fields == null ? null : fields.get(name);
        return f == null ? NONE : f;
    }

    public Strategy listStrategy() {
        return strategy;
    }

    /** The merge key for {@link Strategy#MERGE_BY_KEY}, otherwise null. */
    public String mergeKey() {
        return mergeKey;
    }

    /** Whether this map field carries {@code patchStrategy:"retainKeys"} (e.g. a Deployment's strategy). */
    public boolean retainKeys() {
        return retainKeys;
    }

    /** Whether this map field carries {@code patchStrategy:"replace"}: the patch's map replaces the original. */
    public boolean replace() {
        return replace;
    }

    /** The Go type name this position descends into, or null when the table has none (used in error messages). */
    public String typeName() {
        return type;
    }

    @Override
    public String toString() {
        return "PatchMeta[" + (type == null ? "-" : type) + " " + strategy + (mergeKey == null ? "" : " key=" + mergeKey)
                + (retainKeys ? " retainKeys" : "") + (replace ? " replace" : "") + "]";
    }

    private static String kindKey(String group, String version, String kind) {
        return (group == null || group.isEmpty() ? "core" : group) + "/" + version + "/" + kind;
    }

    private record Table(Map<String, String> kinds, Map<String, Map<String, PatchMeta>> types) {
    }

    private static Table load() {
        try (InputStream in = PatchMeta.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the table; a malformed line or a reference to an undeclared type fails class loading, not a patch. */
    private static Table parse(BufferedReader in) throws IOException {
        Map<String, String> kinds = new HashMap<>();
        Map<String, Map<String, PatchMeta>> types = new HashMap<>();
        Table table = new Table(kinds, types);
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "kind" -> {
                    if (words.length != 3) {
                        throw new IllegalStateException(RESOURCE + ":" + n + ": kind needs <group>/<version>/<Kind> <Type>");
                    }
                    kinds.put(words[1], words[2]);
                }
                case "type" -> {
                    Map<String, PatchMeta> fields = new HashMap<>();
                    for (int i = 2; i < words.length; i++) {
                        parseField(table, words[i], fields, n);
                    }
                    if (types.put(words[1], fields) != null) {
                        throw new IllegalStateException(RESOURCE + ":" + n + ": type " + words[1] + " declared twice");
                    }
                }
                default -> throw new IllegalStateException(RESOURCE + ":" + n + ": unknown line " + line);
            }
        }
        for (String t : kinds.values()) {
            requireType(types, t);
        }
        for (Map<String, PatchMeta> fields : types.values()) {
            for (PatchMeta f : fields.values()) {
                if (f.type != null) {
                    requireType(types, f.type);
                }
            }
        }
        return table;
    }

    private static void requireType(Map<String, Map<String, PatchMeta>> types, String t) {
        if (!types.containsKey(t)) {
            throw new IllegalStateException(RESOURCE + ": type " + t + " is referenced but not declared");
        }
    }

    private static void parseField(Table table, String spec, Map<String, PatchMeta> fields, int line) {
        int slash = spec.indexOf('/');
        String head = slash < 0 ? spec : spec.substring(0, slash);
        int colon = head.indexOf(':');
        String name = colon < 0 ? head : head.substring(0, colon);
        String type = colon < 0 ? null : head.substring(colon + 1);
        Strategy strategy = Strategy.ATOMIC;
        String key = null;
        boolean retain = false;
        boolean replace = false;
        if (slash >= 0) {
            for (String flag : spec.substring(slash + 1).split(",")) {
                if (flag.equals("merge")) {
                    strategy = Strategy.MERGE_PRIMITIVES;
                } else if (flag.startsWith("merge=")) {
                    strategy = Strategy.MERGE_BY_KEY;
                    key = flag.substring("merge=".length());
                } else if (flag.equals("retainKeys")) {
                    retain = true;
                } else if (flag.equals("replace")) {
                    replace = true;
                } else {
                    throw new IllegalStateException(RESOURCE + ":" + line + ": unknown flag " + flag + " in " + spec);
                }
            }
        }
        if (name.isEmpty() || (type != null && type.isEmpty())) {
            throw new IllegalStateException(RESOURCE + ":" + line + ": malformed field " + spec);
        }
        fields.put(name, new PatchMeta(table, type, strategy, key, retain, replace));
    }
}
