package dev.okube.admission.podpreset;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PodPresetKindTest {
    final PodPresetKind kind = new PodPresetKind();

    List<String> validate(String spec) {
        ObjectNode preset = json("{'apiVersion':'settings.k8s.io/v1alpha1','kind':'PodPreset','metadata':{'name':'p',"
                + "'namespace':'ns'},'spec':" + spec + "}");
        kind.applyDefaults(preset);
        return kind.validate(preset);
    }

    @Test
    void theKindIsNamespacedSettingsV1alpha1() {
        assertEquals("settings.k8s.io", kind.group());
        assertEquals("v1alpha1", kind.version());
        assertEquals("PodPreset", kind.kind());
        assertEquals("podpresets", kind.plural());
        assertTrue(kind.namespaced());
    }

    @Test
    void aWellFormedPresetIsValid() {
        assertEquals(List.of(), validate("{'selector':{'matchLabels':{'role':'frontend'}},"
                + "'env':[{'name':'DB_PORT','value':'6379'},{'name':'POD','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}],"
                + "'envFrom':[{'prefix':'CFG_','configMapRef':{'name':'cfg'}}],"
                + "'volumeMounts':[{'mountPath':'/cache','name':'cache-volume'}],"
                + "'volumes':[{'name':'cache-volume','emptyDir':{}}]}"));
        assertEquals(List.of(), validate("{'selector':{},'env':[{'name':'A','value':'1'}]}"), "an empty selector matches all");
    }

    @Test
    void selectorAndSomethingToInjectAreRequired() {
        assertEquals(List.of("spec.selector: Required value",
                "spec.volumes.env.envFrom.volumeMounts: Required value: must specify at least one"), validate("{}"));
        assertEquals(List.of("spec: Required value"), kind.validate(json("{'metadata':{'name':'p'}}")));
    }

    @Test
    void selectorsAreChecked() {
        assertEquals(List.of("spec.selector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator",
                "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
                validate("{'selector':{'matchExpressions':[{'key':'a','operator':'Near'},{'key':'b','operator':'In'}]},"
                        + "'env':[{'name':'A','value':'1'}]}"));
        List<String> errors = validate("{'selector':{'matchLabels':{'bad key':'v'}},'env':[{'name':'A','value':'1'}]}");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("spec.selector.matchLabels: Invalid value: \"bad key\": name part must consist"),
                errors.get(0));
    }

    @Test
    void envAndEnvFromAreChecked() {
        assertEquals(List.of("spec.env[0].name: Required value",
                "spec.env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of "
                        + "printable ASCII characters other than '='",
                "spec.env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
                "spec.env[3].valueFrom.configMapKeyRef.key: Required value",
                "spec.envFrom[0]: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
                "spec.envFrom[1]: Invalid value: \"\": may not have more than one field specified at a time"),
                validate("{'selector':{},'env':[{'value':'x'},{'name':'A=B'},"
                        + "{'name':'C','value':'v','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}},"
                        + "{'name':'D','valueFrom':{'configMapKeyRef':{'name':'cm'}}}],"
                        + "'envFrom':[{'prefix':'P'},{'configMapRef':{'name':'a'},'secretRef':{'name':'b'}}]}"));
    }

    @Test
    void volumesAndMountsAreChecked() {
        assertEquals(List.of("spec.volumes[1].name: Duplicate value: \"v\"",
                "spec.volumes[2]: Required value: must specify a volume type",
                "spec.volumes[3].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                        + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.volumes[4].secret: Forbidden: may not specify more than 1 volume type",
                "spec.volumeMounts[0].name: Not found: \"missing\"",
                "spec.volumeMounts[1].mountPath: Required value",
                "spec.volumeMounts[2].mountPath: Invalid value: \"/a\": must be unique",
                "spec.volumeMounts[3].subPath: Invalid value: \"../x\": must not contain '..'"),
                validate("{'selector':{},'volumes':[{'name':'v','emptyDir':{}},{'name':'v','emptyDir':{}},{'name':'w'},"
                        + "{'name':'Bad_Name','emptyDir':{}},{'name':'two','emptyDir':{},'secret':{'secretName':'s'}}],"
                        + "'volumeMounts':[{'name':'missing','mountPath':'/a'},{'name':'v'},{'name':'v','mountPath':'/a'},"
                        + "{'name':'v','mountPath':'/b','subPath':'../x'}]}"));
    }

    @Test
    void defaultsMatchWhatPodsGet() {
        ObjectNode preset = json("{'spec':{'volumes':[{'name':'c','configMap':{'name':'cm'}}],"
                + "'env':[{'name':'N','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]}}");
        kind.applyDefaults(preset);
        assertEquals(420, preset.at("/spec/volumes/0/configMap/defaultMode").asInt());
        assertEquals("v1", preset.at("/spec/env/0/valueFrom/fieldRef/apiVersion").asString());
    }
}
