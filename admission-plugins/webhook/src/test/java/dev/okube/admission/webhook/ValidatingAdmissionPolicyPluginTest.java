package dev.okube.admission.webhook;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Admission;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ValidatingAdmissionPolicyPluginTest {
    private static final ResourceType CONFIGMAPS = ResourceType.core("configmaps");
    private static final String DEPLOYMENTS = "'matchConstraints':{'resourceRules':[{'apiGroups':['apps'],"
            + "'apiVersions':['v1'],'operations':['CREATE','UPDATE'],'resources':['deployments']}]}";

    private InMemoryClusterResources cluster;
    private ValidatingAdmissionPolicyPlugin plugin;

    @BeforeEach
    void start() {
        cluster = new InMemoryClusterResources().serve(ValidatingAdmissionPolicyPlugin.POLICIES,
                ValidatingAdmissionPolicyPlugin.BINDINGS, ValidatingAdmissionPolicyPlugin.NAMESPACES, CONFIGMAPS);
        cluster.put(ValidatingAdmissionPolicyPlugin.NAMESPACES,
                json("{'metadata':{'name':'default','labels':{'env':'test'}}}"));
        cluster.put(ValidatingAdmissionPolicyPlugin.NAMESPACES,
                json("{'metadata':{'name':'prod','labels':{'env':'prod'}}}"));
        plugin = new ValidatingAdmissionPolicyPlugin(cluster);
    }

    @AfterEach
    void stop() {
        plugin.deactivate();
    }

    private void policy(String name, String spec) {
        cluster.put(ValidatingAdmissionPolicyPlugin.POLICIES,
                json("{'metadata':{'name':'" + name + "'},'spec':{" + spec + "}}"));
    }

    private void binding(String name, String policy, String actions, String extra) {
        cluster.put(ValidatingAdmissionPolicyPlugin.BINDINGS, json("{'metadata':{'name':'" + name + "'},"
                + "'spec':{'policyName':'" + policy + "','validationActions':[" + actions + "]"
                + (extra.isEmpty() ? "" : "," + extra) + "}}"));
    }

    private static AdmissionRequest deployment(String namespace, int replicas) {
        return Admission.create("apps", "v1", "deployments", "Deployment", json("{'apiVersion':'apps/v1',"
                + "'kind':'Deployment','metadata':{'name':'web','namespace':'" + namespace + "','labels':{'app':'web'}},"
                + "'spec':{'replicas':" + replicas + "}}"), Admission.ADMIN);
    }

    @Test
    void denialHasUpstreamsMessageAndReason() {
        policy("max-replicas", DEPLOYMENTS + ",'validations':[{'expression':'object.spec.replicas <= 5',"
                + "'message':'too many replicas'}]");
        binding("max-replicas-binding", "max-replicas", "'Deny'", "");
        assertTrue(plugin.validate(deployment("default", 3)).allowed());
        AdmissionResponse r = plugin.validate(deployment("default", 7));
        assertFalse(r.allowed());
        assertEquals(422, r.code());
        assertEquals("Invalid", r.reason());
        assertEquals("ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: "
                + "too many replicas", r.message());
    }

    @Test
    void aPolicyWithoutBindingDoesNothing() {
        policy("max-replicas", DEPLOYMENTS + ",'validations':[{'expression':'object.spec.replicas <= 5'}]");
        assertTrue(plugin.validate(deployment("default", 7)).allowed());
        binding("b", "max-replicas", "'Deny'", "");
        assertFalse(plugin.validate(deployment("default", 7)).allowed());
        cluster.delete(ValidatingAdmissionPolicyPlugin.BINDINGS, "", "b");
        assertTrue(plugin.validate(deployment("default", 7)).allowed());
    }

    @Test
    void messageExpressionReasonAndFallbacks() {
        policy("p", DEPLOYMENTS + ",'validations':["
                + "{'expression':'object.spec.replicas <= 5','messageExpression':"
                + "'\\\"replicas \\\" + string(object.spec.replicas) + \\\" > 5\\\"','reason':'Forbidden'}]");
        binding("b", "p", "'Deny'", "");
        AdmissionResponse r = plugin.validate(deployment("default", 9));
        assertEquals(403, r.code());
        assertEquals("Forbidden", r.reason());
        assertEquals("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: replicas 9 > 5", r.message());

        policy("p", DEPLOYMENTS + ",'validations':[{'expression':'object.spec.replicas <= 5','messageExpression':"
                + "'object.spec.replicas','message':'static'}]");
        assertTrue(plugin.validate(deployment("default", 9)).message().endsWith(": static"),
                "a non-string messageExpression falls back to message");
        policy("p", DEPLOYMENTS + ",'validations':[{'expression':'object.spec.replicas <= 5'}]");
        assertTrue(plugin.validate(deployment("default", 9)).message()
                .endsWith(": failed expression: object.spec.replicas <= 5"));
    }

    @Test
    void paramsFromAConfigMapInTheRequestsNamespaceOrNamed() {
        cluster.put(CONFIGMAPS, json("{'metadata':{'name':'limits','namespace':'default'},'data':{'max':'2'}}"));
        cluster.put(CONFIGMAPS, json("{'metadata':{'name':'limits','namespace':'prod'},'data':{'max':'10'}}"));
        policy("p", "'paramKind':{'apiVersion':'v1','kind':'ConfigMap'}," + DEPLOYMENTS
                + ",'validations':[{'expression':'object.spec.replicas <= int(params.data.max)',"
                + "'messageExpression':'\\\"at most \\\" + params.data.max + \\\" (\\\" + params.kind + \\\")\\\"'}]");
        binding("b", "p", "'Deny'", "'paramRef':{'name':'limits','parameterNotFoundAction':'Deny'}");
        assertEquals("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: at most 2 (ConfigMap)",
                plugin.validate(deployment("default", 3)).message());
        assertTrue(plugin.validate(deployment("prod", 3)).allowed(), "prod's own ConfigMap allows 10");

        cluster.delete(CONFIGMAPS, "prod", "limits");
        AdmissionResponse r = plugin.validate(deployment("prod", 3));
        assertEquals("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed to configure binding: "
                + "no params found for policy binding with `Deny` parameterNotFoundAction", r.message());

        binding("b", "p", "'Deny'", "'paramRef':{'name':'limits','parameterNotFoundAction':'Allow'}");
        assertTrue(plugin.validate(deployment("prod", 3)).allowed());

        binding("b", "p", "'Deny'", "'paramRef':{'name':'limits','namespace':'default'}");
        assertFalse(plugin.validate(deployment("prod", 3)).allowed(), "an explicit namespace wins");
    }

    @Test
    void paramSelectorEvaluatesEveryMatchingParam() {
        cluster.put(CONFIGMAPS, json("{'metadata':{'name':'a','namespace':'default','labels':{'limit':'yes'}},"
                + "'data':{'max':'8'}}"));
        cluster.put(CONFIGMAPS, json("{'metadata':{'name':'b','namespace':'default','labels':{'limit':'yes'}},"
                + "'data':{'max':'4'}}"));
        policy("p", "'paramKind':{'apiVersion':'v1','kind':'ConfigMap'}," + DEPLOYMENTS
                + ",'validations':[{'expression':'object.spec.replicas <= int(params.data.max)',"
                + "'messageExpression':'\\\"limit \\\" + params.metadata.name'}]");
        binding("b", "p", "'Deny'", "'paramRef':{'selector':{'matchLabels':{'limit':'yes'}}}");
        assertTrue(plugin.validate(deployment("default", 3)).allowed());
        assertTrue(plugin.validate(deployment("default", 5)).message().endsWith("limit b"));
    }

    @Test
    void warnActionWarnsAndAllows() {
        policy("p", DEPLOYMENTS + ",'validations':[{'expression':'object.spec.replicas <= 5','message':'many'}]");
        binding("b", "p", "'Warn','Audit'", "");
        AdmissionResponse r = plugin.validate(deployment("default", 7));
        assertTrue(r.allowed());
        assertEquals(List.of("Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': many"),
                r.warnings());
        binding("b", "p", "'Deny','Warn'", "");
        r = plugin.validate(deployment("default", 7));
        assertFalse(r.allowed());
        assertEquals(1, r.warnings().size());
    }

    @Test
    void evaluationErrorsFollowTheFailurePolicy() {
        policy("p", DEPLOYMENTS + ",'validations':[{'expression':'object.spec.missing > 1'}]");
        binding("b", "p", "'Deny'", "");
        AdmissionResponse r = plugin.validate(deployment("default", 1));
        assertFalse(r.allowed());
        assertTrue(r.message().startsWith("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: "
                + "expression 'object.spec.missing > 1' resulted in error: "), r.message());
        policy("p", "'failurePolicy':'Ignore'," + DEPLOYMENTS
                + ",'validations':[{'expression':'object.spec.missing > 1'}]");
        assertTrue(plugin.validate(deployment("default", 1)).allowed());
    }

    @Test
    void matchConstraintsSelectorsExclusionsAndBindingMatchResources() {
        policy("p", "'matchConstraints':{'resourceRules':[{'apiGroups':['apps'],'apiVersions':['v1'],"
                + "'operations':['CREATE'],'resources':['deployments']}],"
                + "'excludeResourceRules':[{'apiGroups':['apps'],'apiVersions':['v1'],'operations':['CREATE'],"
                + "'resources':['deployments'],'resourceNames':['exempt']}],"
                + "'namespaceSelector':{'matchLabels':{'env':'prod'}}},"
                + "'validations':[{'expression':'false','message':'no'}]");
        binding("b", "p", "'Deny'", "");
        assertTrue(plugin.validate(deployment("default", 1)).allowed(), "namespace env=test does not match");
        assertFalse(plugin.validate(deployment("prod", 1)).allowed());
        AdmissionRequest exempt = Admission.create("apps", "v1", "deployments", "Deployment",
                json("{'metadata':{'name':'exempt','namespace':'prod'},'spec':{}}"), Admission.ADMIN);
        assertTrue(plugin.validate(exempt).allowed(), "excluded by name");
        AdmissionRequest pod = Admission.create("pods", "Pod", json("{'metadata':{'name':'x','namespace':'prod'}}"));
        assertTrue(plugin.validate(pod).allowed(), "pods are not in the rules");

        binding("b", "p", "'Deny'", "'matchResources':{'objectSelector':{'matchLabels':{'app':'other'}}}");
        assertTrue(plugin.validate(deployment("prod", 1)).allowed(), "the binding narrows to app=other");
    }

    @Test
    void matchConditionsVariablesRequestAndNamespaceObject() {
        policy("p", DEPLOYMENTS + ",'matchConditions':[{'name':'not-admin','expression':"
                + "'request.userInfo.username != \\\"system:admin\\\"'}],"
                + "'variables':[{'name':'limit','expression':'namespaceObject.metadata.labels.env == \\\"prod\\\" ? 10 : 2'}],"
                + "'validations':[{'expression':'object.spec.replicas <= variables.limit','messageExpression':"
                + "'request.operation + \\\" of \\\" + request.name + \\\" in \\\" + request.namespace + \\\" over \\\" "
                + "+ string(variables.limit)'}]");
        binding("b", "p", "'Deny'", "");
        assertEquals("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: CREATE of web in default over 2",
                plugin.validate(deployment("default", 3)).message());
        assertTrue(plugin.validate(deployment("prod", 3)).allowed());
        AdmissionRequest byAdmin = Admission.create("apps", "v1", "deployments", "Deployment",
                json("{'metadata':{'name':'web','namespace':'default'},'spec':{'replicas':30}}"),
                new dev.okube.api.admission.UserInfo("system:admin", "", List.of(), java.util.Map.of()));
        assertTrue(plugin.validate(byAdmin).allowed(), "the match condition excludes system:admin");
    }

    @Test
    void oldObjectOnUpdate() {
        policy("p", DEPLOYMENTS + ",'validations':[{'expression':"
                + "'oldObject == null || object.spec.replicas >= oldObject.spec.replicas','message':'no scaling down'}]");
        binding("b", "p", "'Deny'", "");
        ObjectNode newer = json("{'metadata':{'name':'web','namespace':'default'},'spec':{'replicas':1}}");
        ObjectNode older = json("{'metadata':{'name':'web','namespace':'default'},'spec':{'replicas':3}}");
        AdmissionRequest down = Admission.update("apps", "v1", "deployments", "Deployment", newer, older,
                Admission.ADMIN);
        assertTrue(plugin.validate(down).message().endsWith("no scaling down"));
        assertTrue(plugin.validate(deployment("default", 1)).allowed());
    }

    @Test
    void policiesThatDoNotCompileAreRefusedAtCreate() {
        ObjectNode bad = json("{'metadata':{'name':'bad'},'spec':{" + DEPLOYMENTS
                + ",'validations':[{'expression':'object.spec.replicas <='}]}}");
        AdmissionRequest create = new AdmissionRequest(Operation.CREATE, "admissionregistration.k8s.io", "v1",
                "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "", "", "bad", bad, null, Admission.ADMIN,
                false);
        AdmissionResponse r = plugin.validate(create);
        assertEquals(422, r.code());
        assertTrue(r.message().startsWith("ValidatingAdmissionPolicy.admissionregistration.k8s.io \"bad\" is invalid: "
                + "spec.validations[0].expression: Invalid value: \"object.spec.replicas <=\": compilation failed: "),
                r.message());
        // stored anyway (e.g. before this plugin was installed): evaluation fails by failurePolicy
        cluster.put(ValidatingAdmissionPolicyPlugin.POLICIES, bad);
        binding("b", "bad", "'Deny'", "");
        assertTrue(plugin.validate(deployment("default", 1)).message().contains("compilation failed"));
    }

    @Test
    void unknownParamKindIsAConfigurationError() {
        policy("p", "'paramKind':{'apiVersion':'example.com/v1','kind':'Limit'}," + DEPLOYMENTS
                + ",'validations':[{'expression':'true'}]");
        binding("b", "p", "'Deny'", "'paramRef':{'name':'x'}");
        assertEquals("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed to configure binding: "
                + "failed to find resource referenced by paramKind: 'example.com/v1, Kind=Limit'",
                plugin.validate(deployment("default", 1)).message());
        assertEquals(ResourceType.of("", "policies"), ValidatingAdmissionPolicyPlugin.paramType(
                new Policy("x", false, "v1", "Policy", null, List.of(), List.of(), List.of())));
        assertEquals(ResourceType.of("networking.k8s.io", "ingresses"), ValidatingAdmissionPolicyPlugin.paramType(
                new Policy("x", false, "networking.k8s.io/v1", "Ingress", null, List.of(), List.of(), List.of())));
    }
}
