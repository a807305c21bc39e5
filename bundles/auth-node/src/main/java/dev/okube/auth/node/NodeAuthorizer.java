package dev.okube.auth.node;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer;
import dev.okube.api.authorization.RuleSet;
import dev.okube.api.resources.ClusterResources;
import dev.okube.auth.node.NodeGraph.Kind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Node authorizer, as upstream's: requests of kubelets (user {@code system:node:<name>} in group
 * {@code system:nodes}) may read the secrets, config maps, claims, volumes, resource claims and volume
 * attachments the pods bound to that node reference, create tokens for those pods' service accounts,
 * use their own node lease, and read their own Node object; everything else a node may do is the
 * static {@link NodeRules}. What it does not allow gets no opinion (never a deny), so RBAC may still
 * grant it. Requests of anyone else get no opinion.
 */
@Component(service = Authorizer.class, immediate = true, configurationPid = NodeAuthorizer.PID)
@Designate(ocd = NodeAuthorizer.Config.class)
public final class NodeAuthorizer implements Authorizer {
    static final String PID = "dev.okube.auth.node";
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    private static final Logger LOG = LoggerFactory.getLogger(NodeAuthorizer.class);

    @ObjectClassDefinition(name = "okube Node authorizer",
            description = "Authorizes kubelets' requests by the pods bound to their node.")
    public @interface Config {
        @AttributeDefinition(description = "Subdivide nodes' access to Node and Pod objects, as upstream's "
                + "AuthorizeNodeWithSelectors: a node reads only its own Node object and the pods bound to it "
                + "(collections of pods still follow the static rules: field selectors are not known here).")
        boolean authorizeWithSelectors() default true;
    }

    private final NodeGraph graph;
    private final GraphPopulator populator;
    private final boolean withSelectors;

    @Activate
    public NodeAuthorizer(@Reference ClusterResources resources, Config config) {
        this(resources, config.authorizeWithSelectors());
    }

    NodeAuthorizer(ClusterResources resources, boolean withSelectors) {
        this.graph = new NodeGraph();
        this.withSelectors = withSelectors;
        this.populator = new GraphPopulator(resources, graph);
    }

    @Deactivate
    public void deactivate() {
        populator.close();
    }

    NodeGraph graph() {
        return graph;
    }

    @Override
    public String name() {
        return "Node";
    }

    @Override
    public RuleSet rules(UserInfo user, String namespace) {
        if (NodeIdentity.of(user) != null) {
            return new RuleSet(java.util.List.of(), java.util.List.of(), true,
                    "node authorizer does not support user rule resolution");
        }
        return new RuleSet(java.util.List.of(), java.util.List.of(), false, "");
    }

    @Override
    public Verdict authorize(AuthorizationRequest request) {
        String nodeName = NodeIdentity.of(request.user());
        if (nodeName == null) {
            return Verdict.noOpinion();
        }
        if (nodeName.isEmpty()) {
            LOG.debug("NODE DENY: unknown node for user {}", request.user().name());
            return noOpinion("unknown node for user \"" + request.user().name() + "\"");
        }
        if (request.resourceRequest()) {
            String group = nz(request.group());
            String resource = nz(request.resource());
            if (group.isEmpty()) {
                switch (resource) {
                    case "secrets":
                        return readNamespaced(nodeName, Kind.SECRET, request);
                    case "configmaps":
                        return readNamespaced(nodeName, Kind.CONFIGMAP, request);
                    case "persistentvolumeclaims":
                        if ("status".equals(request.subresource())) {
                            return statusUpdate(nodeName, Kind.PVC, request);
                        }
                        return get(nodeName, Kind.PVC, request);
                    case "persistentvolumes":
                        return get(nodeName, Kind.PV, request);
                    case "serviceaccounts":
                        return createToken(nodeName, request);
                    case "nodes":
                        if (withSelectors) {
                            return node(nodeName, request);
                        }
                        break;
                    case "pods":
                        if (withSelectors) {
                            return pod(nodeName, request);
                        }
                        break;
                    default:
                        break;
                }
            } else if (group.equals("resource.k8s.io") && resource.equals("resourceclaims")) {
                return get(nodeName, Kind.RESOURCECLAIM, request);
            } else if (group.equals("storage.k8s.io") && resource.equals("volumeattachments")) {
                return get(nodeName, Kind.VOLUMEATTACHMENT, request);
            } else if (group.equals("storage.k8s.io") && resource.equals("csinodes")) {
                return csiNode(nodeName, request);
            } else if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
                return lease(nodeName, request);
            }
        }
        return NodeRules.allow(request) ? allow() : Verdict.noOpinion();
    }

    /** get/list/watch of one named object in a namespace (secrets, config maps). */
    private Verdict readNamespaced(String nodeName, Kind kind, AuthorizationRequest request) {
        switch (request.verb()) {
            case "get":
            case "list":
            case "watch":
                break;
            default:
                return noOpinion("can only read resources of this type");
        }
        if (!nz(request.subresource()).isEmpty()) {
            return noOpinion("cannot read subresource");
        }
        if (nz(request.namespace()).isEmpty()) {
            return noOpinion("can only read namespaced object of this type");
        }
        return related(nodeName, kind, request);
    }

    /** get of one named object (claims, volumes, resource claims, volume attachments). */
    private Verdict get(String nodeName, Kind kind, AuthorizationRequest request) {
        if (!"get".equals(request.verb())) {
            return noOpinion("can only get individual resources of this type");
        }
        if (!nz(request.subresource()).isEmpty()) {
            return noOpinion("cannot get subresource");
        }
        return related(nodeName, kind, request);
    }

    /** update/patch of a status subresource of a related object (persistent volume claims). */
    private Verdict statusUpdate(String nodeName, Kind kind, AuthorizationRequest request) {
        if (!"update".equals(request.verb()) && !"patch".equals(request.verb())) {
            return noOpinion("can only get/update/patch this type");
        }
        if (!"status".equals(request.subresource())) {
            return noOpinion("can only update status subresource");
        }
        return related(nodeName, kind, request);
    }

    private Verdict related(String nodeName, Kind kind, AuthorizationRequest request) {
        String name = nz(request.name());
        if (name.isEmpty()) {
            return noOpinion("No Object name found");
        }
        String namespace = nz(request.namespace());
        if (!graph.related(nodeName, kind, namespace, name)) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("NODE DENY: node '{}' cannot get {} {}/{}{}", nodeName, kind.label(), namespace, name,
                        graph.knows(kind, namespace, name) ? ", no relationship to this object was found in the "
                                + "node authorizer graph" : " (unknown)");
            }
            return noOpinion("no relationship found between node '" + nodeName + "' and this object");
        }
        return allow();
    }

    /** create of the token subresource of a service account a pod on the node runs as. */
    private Verdict createToken(String nodeName, AuthorizationRequest request) {
        if (!"create".equals(request.verb()) || nz(request.name()).isEmpty()) {
            return noOpinion("can only create tokens for individual service accounts");
        }
        if (!"token".equals(request.subresource())) {
            return noOpinion("can only create token subresource of serviceaccount");
        }
        if (!graph.related(nodeName, Kind.SERVICEACCOUNT, nz(request.namespace()), request.name())) {
            return noOpinion("no relationship found between node '" + nodeName + "' and this object");
        }
        return allow();
    }

    /** The node's lease in kube-node-lease, named as the node (create is checked by NodeRestriction). */
    private Verdict lease(String nodeName, AuthorizationRequest request) {
        String verb = request.verb();
        switch (verb) {
            case "get":
            case "create":
            case "update":
            case "patch":
            case "delete":
                break;
            default:
                return noOpinion("can only get, create, update, patch, or delete a node lease");
        }
        if (!NODE_LEASE_NAMESPACE.equals(request.namespace())) {
            return noOpinion("can only access leases in the \"" + NODE_LEASE_NAMESPACE + "\" system namespace");
        }
        if (!verb.equals("create") && !nodeName.equals(request.name())) {
            return noOpinion("can only access node lease with the same name as the requesting node");
        }
        return allow();
    }

    /** The node's CSINode object, named as the node (create is checked by NodeRestriction). */
    private Verdict csiNode(String nodeName, AuthorizationRequest request) {
        String verb = request.verb();
        switch (verb) {
            case "get":
            case "create":
            case "update":
            case "patch":
            case "delete":
                break;
            default:
                return noOpinion("can only get, create, update, patch, or delete a CSINode");
        }
        if (!nz(request.subresource()).isEmpty()) {
            return noOpinion("cannot authorize CSINode subresources");
        }
        if (!verb.equals("create") && !nodeName.equals(request.name())) {
            return noOpinion("can only access CSINode with the same name as the requesting node");
        }
        return allow();
    }

    /** Node objects: the node reads only its own; writes are left to NodeRestriction. */
    private Verdict node(String nodeName, AuthorizationRequest request) {
        String subresource = nz(request.subresource());
        String verb = request.verb();
        if (subresource.isEmpty()) {
            switch (verb) {
                case "create":
                case "update":
                case "patch":
                    return allow();
                case "get":
                case "list":
                case "watch": {
                    String name = nz(request.name());
                    if (name.equals(nodeName)) {
                        return allow();
                    }
                    if (name.isEmpty()) {
                        return noOpinion("node '" + nodeName + "' cannot read all nodes, only its own Node object");
                    }
                    return noOpinion("node '" + nodeName + "' cannot read '" + name + "', only its own Node object");
                }
                default:
                    break;
            }
        } else if (subresource.equals("status") && (verb.equals("update") || verb.equals("patch"))) {
            return allow();
        }
        return Verdict.noOpinion();
    }

    /** Pods: a node reads those bound to it; mirror pods, status and evictions are left to NodeRestriction. */
    private Verdict pod(String nodeName, AuthorizationRequest request) {
        String subresource = nz(request.subresource());
        String verb = request.verb();
        switch (subresource) {
            case "":
                switch (verb) {
                    case "get":
                        return get(nodeName, Kind.POD, request);
                    case "list":
                    case "watch":
                        if (!nz(request.name()).isEmpty()) {
                            return related(nodeName, Kind.POD, request);
                        }
                        // Upstream allows only a spec.nodeName=<node> field selector here; the request does
                        // not carry field selectors, so collections follow the static rules (as upstream
                        // without AuthorizeNodeWithSelectors).
                        return NodeRules.allow(request) ? allow() : Verdict.noOpinion();
                    case "create":
                    case "delete":
                        return allow();
                    default:
                        break;
                }
                break;
            case "status":
                if (verb.equals("update") || verb.equals("patch")) {
                    return allow();
                }
                break;
            case "eviction":
                if (verb.equals("create")) {
                    return allow();
                }
                break;
            default:
                break;
        }
        return Verdict.noOpinion();
    }

    private static Verdict allow() {
        return new Verdict(Decision.ALLOW, "");
    }

    private static Verdict noOpinion(String reason) {
        return new Verdict(Decision.NO_OPINION, reason);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
