#!/usr/bin/env python3
"""A recording stand-in for the API server, used to capture the protobuf bodies under src/test/resources/protobuf/.

Usage: record-server.py PORT OUTDIR, then run kubectl with a kubeconfig whose server is http://127.0.0.1:PORT and a
fresh --cache-dir. It answers /version (minor 32, or $REC_MINOR: the dispatcher on PATH runs the kubectl of that
minor), legacy discovery for
the resources below, and every POST with 201 and a minimal object; each POST body is written to OUTDIR/RESOURCE.bin
(or OUTDIR/$REC_NAME.bin). The *.json next to each fixture is `kubectl ... --dry-run=client -o json` for the same
command line: Go's JSON of the very object kubectl serialized.
"""
import json, sys, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
OUT = sys.argv[2]
def res(name, kind, namespaced, verbs=("create","get","list")):
    return {"name": name, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind, "verbs": list(verbs)}
DISC = {
 "/api": {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]},
 "/apis": {"kind":"APIGroupList","apiVersion":"v1","groups":[
   {"name":g,"versions":[{"groupVersion":g+"/v1","version":"v1"}],"preferredVersion":{"groupVersion":g+"/v1","version":"v1"}}
   for g in ("apps","authorization.k8s.io","batch","rbac.authorization.k8s.io","scheduling.k8s.io","policy","networking.k8s.io")]},
 "/api/v1": {"kind":"APIResourceList","groupVersion":"v1","resources":[res("namespaces","Namespace",False),res("configmaps","ConfigMap",True),res("secrets","Secret",True),res("pods","Pod",True),res("services","Service",True),res("serviceaccounts","ServiceAccount",True),
   {"name":"serviceaccounts/token","namespaced":True,"kind":"TokenRequest","group":"authentication.k8s.io","version":"v1","verbs":["create"]},
   res("resourcequotas","ResourceQuota",True)]},
 "/apis/rbac.authorization.k8s.io/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"rbac.authorization.k8s.io/v1","resources":[res("roles","Role",True),res("rolebindings","RoleBinding",True),res("clusterroles","ClusterRole",False),res("clusterrolebindings","ClusterRoleBinding",False)]},
 "/apis/scheduling.k8s.io/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"scheduling.k8s.io/v1","resources":[res("priorityclasses","PriorityClass",False)]},
 "/apis/policy/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"policy/v1","resources":[res("poddisruptionbudgets","PodDisruptionBudget",True)]},
 "/apis/networking.k8s.io/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"networking.k8s.io/v1","resources":[res("ingresses","Ingress",True)]},
 "/apis/apps/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[res("deployments","Deployment",True)]},
 "/apis/batch/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"batch/v1","resources":[res("jobs","Job",True),res("cronjobs","CronJob",True)]},
 "/apis/authorization.k8s.io/v1": {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"authorization.k8s.io/v1","resources":[res("selfsubjectaccessreviews","SelfSubjectAccessReview",False,("create",)),res("selfsubjectrulesreviews","SelfSubjectRulesReview",False,("create",))]},
}
KINDS = {"namespaces":("v1","Namespace"),"configmaps":("v1","ConfigMap"),"secrets":("v1","Secret"),"deployments":("apps/v1","Deployment"),"services":("v1","Service"),"serviceaccounts":("v1","ServiceAccount"),"jobs":("batch/v1","Job"),"cronjobs":("batch/v1","CronJob"),
 "selfsubjectaccessreviews":("authorization.k8s.io/v1","SelfSubjectAccessReview"),"token":("authentication.k8s.io/v1","TokenRequest"),"pods":("v1","Pod"),
 "resourcequotas":("v1","ResourceQuota"),"roles":("rbac.authorization.k8s.io/v1","Role"),"rolebindings":("rbac.authorization.k8s.io/v1","RoleBinding"),
 "clusterroles":("rbac.authorization.k8s.io/v1","ClusterRole"),"clusterrolebindings":("rbac.authorization.k8s.io/v1","ClusterRoleBinding"),
 "priorityclasses":("scheduling.k8s.io/v1","PriorityClass"),"poddisruptionbudgets":("policy/v1","PodDisruptionBudget"),"ingresses":("networking.k8s.io/v1","Ingress"),"selfsubjectrulesreviews":("authorization.k8s.io/v1","SelfSubjectRulesReview")}
class H(BaseHTTPRequestHandler):
    def send(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type","application/json"); self.send_header("Content-Length",str(len(b))); self.end_headers(); self.wfile.write(b)
    def do_GET(self):
        p = self.path.split("?")[0]
        sys.stderr.write("GET %s\n" % self.path)
        if p == "/version":
            minor = os.environ.get("REC_MINOR", "32")
            return self.send(200, {"major":"1","minor":minor,"gitVersion":"v1.%s.0" % minor,"gitCommit":"fake","gitTreeState":"clean","buildDate":"2024-12-11T00:00:00Z","goVersion":"go1.23.4","compiler":"gc","platform":"linux/amd64"})
        if p in DISC: return self.send(200, DISC[p])
        self.send(404, {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404})
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length","0")))
        p = self.path.split("?")[0]
        resource = p.rstrip("/").split("/")[-1]
        name = os.environ.get("REC_NAME", resource)
        open(os.path.join(OUT, name + ".bin"), "wb").write(body)
        sys.stderr.write("POST %s %s %d\n" % (self.path, self.headers.get("Content-Type"), len(body)))
        av, kind = KINDS.get(resource, ("v1","Unknown"))
        obj = {"apiVersion":av,"kind":kind,"metadata":{"name":"x","namespace":"default"}}
        if kind == "SelfSubjectAccessReview": obj["status"] = {"allowed": True}
        if kind == "SelfSubjectRulesReview": obj["status"] = {"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],"nonResourceRules":[],"incomplete":False}
        if kind == "TokenRequest": obj["status"] = {"token": "t0k3n", "expirationTimestamp": "2030-01-01T00:00:00Z"}
        self.send(201, obj)
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
