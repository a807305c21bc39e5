package dev.okube.apiserver.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kubernetes API schema as protobuf descriptors, and the JSON facts about each field that only the Go types carry.
 *
 * <p>Both come from resources made by {@code src/build/protobuf/generate.sh} from the v1.32 API sources. Kinds are
 * found generically: a top-level message of an API group package that has object or list {@code metadata} and is not
 * embedded as a single field of another message (that rule drops PodTemplateSpec, JobTemplateSpec and the like).
 *
 * <p>client-java-proto's generated classes cannot be the schema: they predate 1.28 and have no coordination, discovery,
 * events, node, apiextensions v1 or autoscaling v2 messages. Where they overlap, GeneratedClassesTest checks that both
 * agree on the wire.
 */
final class KubeSchema {
    static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String API = "k8s.io.api.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.";

    /** Proto package names lose the group's domain; these are the groups that are not simply NAME.k8s.io. */
    private static final Map<String, String> GROUPS = Map.of(
            "core", "",
            "apps", "apps",
            "batch", "batch",
            "autoscaling", "autoscaling",
            "policy", "policy",
            "rbac", "rbac.authorization.k8s.io",
            "flowcontrol", "flowcontrol.apiserver.k8s.io",
            "apiserverinternal", "internal.apiserver.k8s.io");

    /**
     * How encoding/json writes one proto field: its JSON name, whether the Go field is a pointer, omitempty or inline,
     * and whether the Go sources described it at all.
     */
    record Field(String json, boolean pointer, boolean omitEmpty, boolean inline, boolean known) {
    }

    private static final class Holder {
        static final KubeSchema INSTANCE = load();
    }

    private final List<FileDescriptor> files;
    private final Map<String, Descriptor> kinds;
    private final Map<String, Map<String, Field>> fields;

    private KubeSchema(List<FileDescriptor> files, Map<String, Descriptor> kinds, Map<String, Map<String, Field>> fields) {
        this.files = files;
        this.kinds = kinds;
        this.fields = fields;
    }

    static KubeSchema get() {
        return Holder.INSTANCE;
    }

    Descriptor kind(String apiVersion, String kind) {
        return kinds.get(apiVersion + "/" + kind);
    }

    /** Any message of the schema by its full proto name, kinds or not; null if absent. */
    Descriptor message(String fullName) {
        for (FileDescriptor file : files) {
            String pkg = file.getPackage();
            if (fullName.startsWith(pkg + ".") && fullName.indexOf('.', pkg.length() + 1) < 0) {
                Descriptor d = file.findMessageTypeByName(fullName.substring(pkg.length() + 1));
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    /** "apiVersion/kind" of every decodable kind, sorted. */
    Set<String> kinds() {
        return Collections.unmodifiableSet(new TreeSet<>(kinds.keySet()));
    }

    /** The JSON facts for a field; a field the Go sources did not describe keeps its proto name and is written when present. */
    Field field(FieldDescriptor field) {
        Field f = fields.getOrDefault(field.getContainingType().getFullName(), Map.of()).get(field.getName());
        return f != null ? f : new Field(field.getName(), true, false, false, false);
    }

    private static KubeSchema load() {
        try {
            List<FileDescriptor> files = files();
            return new KubeSchema(files, kinds(files), fields());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kubernetes protobuf schema", e);
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("invalid Kubernetes protobuf schema", e);
        }
    }

    private static List<FileDescriptor> files() throws IOException, DescriptorValidationException {
        FileDescriptorSet set;
        try (InputStream in = resource("kubernetes.desc")) {
            set = FileDescriptorSet.parseFrom(in);
        }
        // protoc --include_imports writes dependencies before their dependents, so one pass resolves everything.
        Map<String, FileDescriptor> built = new HashMap<>();
        for (FileDescriptorProto proto : set.getFileList()) {
            FileDescriptor[] deps = proto.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
            built.put(proto.getName(), FileDescriptor.buildFrom(proto, deps));
        }
        return List.copyOf(built.values());
    }

    private static Map<String, Descriptor> kinds(List<FileDescriptor> files) {
        Set<String> embedded = new HashSet<>();
        for (FileDescriptor file : files) {
            for (Descriptor message : file.getMessageTypes()) {
                for (FieldDescriptor field : message.getFields()) {
                    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
                        embedded.add(field.getMessageType().getFullName());
                    }
                }
            }
        }
        Map<String, Descriptor> kinds = new HashMap<>();
        Set<String> apiVersions = new HashSet<>();
        Descriptor deleteOptions = null;
        for (FileDescriptor file : files) {
            if (file.getPackage().equals(META.substring(0, META.length() - 1))) {
                deleteOptions = file.findMessageTypeByName("DeleteOptions");
            }
            String apiVersion = apiVersion(file.getPackage());
            if (apiVersion == null) {
                continue;
            }
            for (Descriptor message : file.getMessageTypes()) {
                if (isKind(message) && !embedded.contains(message.getFullName())) {
                    kinds.put(apiVersion + "/" + message.getName(), message);
                    apiVersions.add(apiVersion);
                }
            }
        }
        // DeleteOptions is registered in every group version (and meta.k8s.io/v1), so a client may send it as any of them.
        apiVersions.add("meta.k8s.io/v1");
        for (String apiVersion : apiVersions) {
            kinds.put(apiVersion + "/DeleteOptions", deleteOptions);
        }
        return Map.copyOf(kinds);
    }

    private static boolean isKind(Descriptor message) {
        FieldDescriptor metadata = message.findFieldByName("metadata");
        if (metadata == null || metadata.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return false;
        }
        String type = metadata.getMessageType().getFullName();
        return type.equals(META + "ObjectMeta") || type.equals(META + "ListMeta");
    }

    /** "k8s.io.api.apps.v1" → "apps/v1", "k8s.io.api.core.v1" → "v1"; null for packages that hold no API group. */
    static String apiVersion(String protoPackage) {
        String rest;
        if (protoPackage.startsWith(API)) {
            rest = protoPackage.substring(API.length());
        } else if (protoPackage.startsWith(APIEXTENSIONS)) {
            rest = protoPackage.substring(APIEXTENSIONS.length());
        } else {
            return null;
        }
        int dot = rest.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String name = rest.substring(0, dot);
        String version = rest.substring(dot + 1);
        String group = GROUPS.getOrDefault(name, name + ".k8s.io");
        return group.isEmpty() ? version : group + "/" + version;
    }

    private static Map<String, Map<String, Field>> fields() throws IOException {
        Map<String, Map<String, Field>> fields = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resource("kubernetes-fields.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    continue;
                }
                Map<String, Field> byName = new HashMap<>();
                for (String entry : line.substring(tab + 1).split(" ")) {
                    int eq = entry.indexOf('=');
                    int colon = entry.lastIndexOf(':');
                    String flags = entry.substring(colon + 1);
                    byName.put(entry.substring(0, eq), new Field(entry.substring(eq + 1, colon),
                            flags.indexOf('p') >= 0, flags.indexOf('o') >= 0, flags.indexOf('i') >= 0, true));
                }
                fields.put(line.substring(0, tab), Map.copyOf(byName));
            }
        }
        return Map.copyOf(fields);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = KubeSchema.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name + " next to " + KubeSchema.class.getName());
        }
        return in;
    }
}
