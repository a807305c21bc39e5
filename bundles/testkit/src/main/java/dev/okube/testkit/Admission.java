package dev.okube.testkit;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.UserInfo;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds admission requests and objects for plugins' unit tests. */
public final class Admission {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final UserInfo ADMIN = new UserInfo("admin", "", List.of("system:masters", "system:authenticated"),
            Map.of());

    private Admission() {
    }

    /** Parses JSON, allowing single quotes for readable tests: {@code json("{'kind':'Pod'}")}. */
    public static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    /** A CREATE of a namespaced core object, by the admin. */
    public static AdmissionRequest create(String resource, String kind, ObjectNode object) {
        return create("", "v1", resource, kind, object, ADMIN);
    }

    public static AdmissionRequest create(String group, String version, String resource, String kind,
            ObjectNode object, UserInfo user) {
        ObjectNode meta = object.withObjectProperty("metadata");
        return new AdmissionRequest(Operation.CREATE, group, version, kind, resource, "",
                meta.path("namespace").asString(""), meta.path("name").asString(""), object, null, user, false);
    }

    public static AdmissionRequest update(String group, String version, String resource, String kind,
            ObjectNode object, ObjectNode oldObject, UserInfo user) {
        ObjectNode meta = object.withObjectProperty("metadata");
        return new AdmissionRequest(Operation.UPDATE, group, version, kind, resource, "",
                meta.path("namespace").asString(""), meta.path("name").asString(""), object, oldObject, user, false);
    }
}
