package dev.okube.admission.podsecurity;

import static dev.okube.admission.podsecurity.TestPods.assertAllowed;
import static dev.okube.admission.podsecurity.TestPods.assertForbidden;
import static dev.okube.admission.podsecurity.TestPods.meta;
import static dev.okube.admission.podsecurity.TestPods.pod;
import static dev.okube.admission.podsecurity.TestPods.spec;

import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each baseline check passing and failing, with upstream's messages. */
class BaselineChecksTest {

    private static CheckResult run(BiFunction<JsonNode, JsonNode, CheckResult> check, JsonNode pod) {
        return check.apply(meta(pod), spec(pod));
    }

    @Test
    void windowsHostProcessOnPodAndContainers() {
        JsonNode pod = pod("{'securityContext':{'windowsOptions':{'hostProcess':true}},'containers':["
                + "{'name':'a'},{'name':'b','securityContext':{}},{'name':'c','securityContext':{'windowsOptions':{}}},"
                + "{'name':'d','securityContext':{'windowsOptions':{'hostProcess':false}}},"
                + "{'name':'e','securityContext':{'windowsOptions':{'hostProcess':true}}},"
                + "{'name':'f','securityContext':{'windowsOptions':{'hostProcess':true}}}]}");
        assertForbidden(run(BaselineChecks::windowsHostProcess, pod), "hostProcess",
                "pod and containers \"e\", \"f\" must not set securityContext.windowsOptions.hostProcess=true");
        assertAllowed(run(BaselineChecks::windowsHostProcess, pod("{'containers':[{'name':'a',"
                + "'securityContext':{'windowsOptions':{'hostProcess':false}}}]}")));
    }

    @Test
    void hostNamespaces() {
        assertForbidden(run(BaselineChecks::hostNamespaces,
                pod("{'hostNetwork':true,'hostPID':true,'hostIPC':true,'containers':[{'name':'a'}]}")),
                "host namespaces", "hostNetwork=true, hostPID=true, hostIPC=true");
        assertForbidden(run(BaselineChecks::hostNamespaces, pod("{'hostPID':true}")),
                "host namespaces", "hostPID=true");
        assertAllowed(run(BaselineChecks::hostNamespaces,
                pod("{'hostNetwork':false,'hostPID':null,'containers':[{'name':'a'}]}")));
    }

    @Test
    void privilegedContainersIncludingInitAndEphemeral() {
        JsonNode pod = pod("{'initContainers':[{'name':'i','securityContext':{'privileged':true}}],"
                + "'containers':[{'name':'a'},{'name':'b','securityContext':{'privileged':false}},"
                + "{'name':'d','securityContext':{'privileged':true}}],"
                + "'ephemeralContainers':[{'name':'e','securityContext':{'privileged':true}}]}");
        assertForbidden(run(BaselineChecks::privileged, pod), "privileged",
                "containers \"i\", \"d\", \"e\" must not set securityContext.privileged=true");
        assertForbidden(run(BaselineChecks::privileged,
                pod("{'containers':[{'name':'c','securityContext':{'privileged':true}}]}")),
                "privileged", "container \"c\" must not set securityContext.privileged=true");
        assertAllowed(run(BaselineChecks::privileged, pod("{'containers':[{'name':'a','securityContext':null}]}")));
    }

    @Test
    void capabilitiesBeyondTheDefaultSet() {
        JsonNode pod = pod("{'containers':[{'name':'a','securityContext':{'capabilities':{'add':['FOO','CHOWN']}}},"
                + "{'name':'b','securityContext':{'capabilities':{'add':['BAR','BAZ','NET_BIND_SERVICE']}}},"
                + "{'name':'c','securityContext':{'capabilities':{'add':['CHOWN','KILL'],'drop':['ALL']}}}]}");
        assertForbidden(run(BaselineChecks::capabilities, pod), "non-default capabilities",
                "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in securityContext.capabilities.add");
        assertForbidden(run(BaselineChecks::capabilities,
                pod("{'containers':[{'name':'x','securityContext':{'capabilities':{'add':['NET_RAW']}}}]}")),
                "non-default capabilities",
                "container \"x\" must not include \"NET_RAW\" in securityContext.capabilities.add");
        assertAllowed(run(BaselineChecks::capabilities, pod("{'containers':[{'name':'a','securityContext':"
                + "{'capabilities':{'add':['AUDIT_WRITE','CHOWN','DAC_OVERRIDE','FOWNER','FSETID','KILL','MKNOD',"
                + "'NET_BIND_SERVICE','SETFCAP','SETGID','SETPCAP','SETUID','SYS_CHROOT']}}}]}")));
    }

    @Test
    void hostPathVolumes() {
        assertForbidden(run(BaselineChecks::hostPathVolumes, pod("{'volumes':[{'name':'a','hostPath':{'path':'/'}},"
                + "{'name':'b','hostPath':{'path':'/x'}},{'name':'c','emptyDir':{}}]}")),
                "hostPath volumes", "volumes \"a\", \"b\"");
        assertForbidden(run(BaselineChecks::hostPathVolumes, pod("{'volumes':[{'name':'h','hostPath':{'path':'/'}}]}")),
                "hostPath volumes", "volume \"h\"");
        assertAllowed(run(BaselineChecks::hostPathVolumes, pod("{'volumes':[{'name':'s','secret':{'secretName':'x'}},"
                + "{'name':'n','nfs':{'server':'s','path':'/'}}]}")));
    }

    @Test
    void hostPortsSortedAsText() {
        JsonNode pod = pod("{'containers':[{'name':'a','ports':[{'containerPort':80}]},"
                + "{'name':'b','ports':[{'containerPort':80,'hostPort':20},{'containerPort':81,'hostPort':0}]},"
                + "{'name':'c','ports':[{'containerPort':80,'hostPort':30},{'containerPort':80,'hostPort':10}]}]}");
        assertForbidden(run(BaselineChecks::hostPorts, pod), "hostPort", "containers \"b\", \"c\" use hostPorts 10, 20, 30");
        assertForbidden(run(BaselineChecks::hostPorts,
                pod("{'containers':[{'name':'b','ports':[{'containerPort':80,'hostPort':20}]}]}")),
                "hostPort", "container \"b\" uses hostPort 20");
        assertForbidden(run(BaselineChecks::hostPorts,
                pod("{'containers':[{'name':'b','ports':[{'hostPort':8080},{'hostPort':443}]}]}")),
                "hostPort", "container \"b\" uses hostPorts 443, 8080");
        assertAllowed(run(BaselineChecks::hostPorts, pod("{'containers':[{'name':'a','ports':[{'containerPort':8080,"
                + "'hostPort':0}]}]}")));
    }

    @Test
    void appArmorFieldsAndAnnotations() {
        assertForbidden(run(BaselineChecks::appArmorProfile,
                pod("{'securityContext':{'appArmorProfile':{'type':'Unconfined'}}}")),
                "forbidden AppArmor profile", "pod must not set AppArmor profile type to \"Unconfined\"");
        assertForbidden(run(BaselineChecks::appArmorProfile, pod("{'securityContext':{'appArmorProfile':"
                + "{'type':'RuntimeDefault'}},'initContainers':[{'name':'bar','securityContext':"
                + "{'appArmorProfile':{'type':'Unconfined'}}}],'containers':[{'name':'foo'}]}")),
                "forbidden AppArmor profile", "container \"bar\" must not set AppArmor profile type to \"Unconfined\"");
        JsonNode annotated = pod("{'name':'p','annotations':{"
                + "'container.apparmor.security.beta.kubernetes.io/':'bogus',"
                + "'container.apparmor.security.beta.kubernetes.io/a':'',"
                + "'container.apparmor.security.beta.kubernetes.io/b':'runtime/default',"
                + "'container.apparmor.security.beta.kubernetes.io/c':'localhost/',"
                + "'container.apparmor.security.beta.kubernetes.io/d':'localhost/foo',"
                + "'container.apparmor.security.beta.kubernetes.io/e':'unconfined',"
                + "'container.apparmor.security.beta.kubernetes.io/f':'unknown'}}", "{}");
        assertForbidden(run(BaselineChecks::appArmorProfile, annotated), "forbidden AppArmor profiles",
                "annotations must not set AppArmor profile type to "
                        + "\"container.apparmor.security.beta.kubernetes.io/=\"bogus\"\", "
                        + "\"container.apparmor.security.beta.kubernetes.io/e=\"unconfined\"\", "
                        + "\"container.apparmor.security.beta.kubernetes.io/f=\"unknown\"\"");
        JsonNode both = pod("{'name':'p','annotations':{'container.apparmor.security.beta.kubernetes.io/c':"
                + "'unconfined'}}", "{'securityContext':{'appArmorProfile':{'type':'Unconfined'}},"
                + "'containers':[{'name':'c','securityContext':{'appArmorProfile':{'type':'Unconfined'}}}]}");
        assertForbidden(run(BaselineChecks::appArmorProfile, both), "forbidden AppArmor profiles",
                "pod and container \"c\" and annotation must not set AppArmor profile type to \"Unconfined\", "
                        + "\"container.apparmor.security.beta.kubernetes.io/c=\"unconfined\"\"");
        assertAllowed(run(BaselineChecks::appArmorProfile, pod("{'name':'p','annotations':{'env':'prod',"
                + "'container.apparmor.security.beta.kubernetes.io/x':'localhost/sec-profile01'}}",
                "{'containers':[{'name':'foo','securityContext':{'appArmorProfile':{'type':'Localhost',"
                        + "'localhostProfile':'p'}}}]}")));
    }

    @Test
    void seLinuxOptionsTypeUserAndRole() {
        JsonNode pod = pod("{'securityContext':{'seLinuxOptions':{'type':'foo','user':'u','role':'r'}},"
                + "'containers':[{'name':'a','securityContext':{'seLinuxOptions':{}}},"
                + "{'name':'b','securityContext':{'seLinuxOptions':{'type':'container_t'}}},"
                + "{'name':'e','securityContext':{'seLinuxOptions':{'type':'bar'}}},"
                + "{'name':'f','securityContext':{'seLinuxOptions':{'user':'x'}}},"
                + "{'name':'g','securityContext':{'seLinuxOptions':{'role':'y'}}}]}");
        assertForbidden(BaselineChecks.seLinuxOptions(spec(pod), BaselineChecks.SELINUX_TYPES_1_31), "seLinuxOptions",
                "pod and containers \"e\", \"f\", \"g\" set forbidden securityContext.seLinuxOptions: "
                        + "types \"bar\", \"foo\"; user may not be set; role may not be set");
        assertForbidden(BaselineChecks.seLinuxOptions(spec(pod("{'securityContext':{'seLinuxOptions':{'type':'bad'}}}")),
                BaselineChecks.SELINUX_TYPES_1_0), "seLinuxOptions",
                "pod set forbidden securityContext.seLinuxOptions: type \"bad\"");
        assertForbidden(BaselineChecks.seLinuxOptions(spec(pod("{'securityContext':{'seLinuxOptions':{'user':'bad'}}}")),
                BaselineChecks.SELINUX_TYPES_1_0), "seLinuxOptions",
                "pod set forbidden securityContext.seLinuxOptions: user may not be set");
        JsonNode engine = pod("{'securityContext':{'seLinuxOptions':{'type':'container_engine_t','level':'s0'}}}");
        assertForbidden(BaselineChecks.seLinuxOptions(spec(engine), BaselineChecks.SELINUX_TYPES_1_0), "seLinuxOptions",
                "pod set forbidden securityContext.seLinuxOptions: type \"container_engine_t\"");
        assertAllowed(BaselineChecks.seLinuxOptions(spec(engine), BaselineChecks.SELINUX_TYPES_1_31));
    }

    @Test
    void procMount() {
        JsonNode pod = pod("{'containers':[{'name':'a'},{'name':'b','securityContext':{}},"
                + "{'name':'c','securityContext':{'procMount':'Default'}},"
                + "{'name':'d','securityContext':{'procMount':'Unmasked'}},"
                + "{'name':'e','securityContext':{'procMount':'other'}}]}");
        assertForbidden(run(BaselineChecks::procMount, pod), "procMount",
                "containers \"d\", \"e\" must not set securityContext.procMount to \"Unmasked\", \"other\"");
        assertAllowed(run(BaselineChecks::procMount,
                pod("{'containers':[{'name':'c','securityContext':{'procMount':'Default'}}]}")));
    }

    @Test
    void seccompAnnotationsBefore119() {
        JsonNode pod = pod("{'name':'p','annotations':{'seccomp.security.alpha.kubernetes.io/pod':'unconfined',"
                + "'container.seccomp.security.alpha.kubernetes.io/a':'unconfined',"
                + "'container.seccomp.security.alpha.kubernetes.io/b':'unknown',"
                + "'container.seccomp.security.alpha.kubernetes.io/c':'runtime/default',"
                + "'container.seccomp.security.alpha.kubernetes.io/z':'unconfined'}}",
                "{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}");
        assertForbidden(run(BaselineChecks::seccompAnnotations, pod), "seccompProfile",
                "forbidden annotations container.seccomp.security.alpha.kubernetes.io/a=\"unconfined\", "
                        + "container.seccomp.security.alpha.kubernetes.io/b=\"unknown\", "
                        + "seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"");
        assertForbidden(run(BaselineChecks::seccompAnnotations, pod("{'name':'p','annotations':"
                + "{'seccomp.security.alpha.kubernetes.io/pod':'unconfined'}}", "{}")), "seccompProfile",
                "forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"");
        assertAllowed(run(BaselineChecks::seccompAnnotations, pod("{'name':'p','annotations':{"
                + "'seccomp.security.alpha.kubernetes.io/pod':'docker/default',"
                + "'container.seccomp.security.alpha.kubernetes.io/a':'localhost/x'}}", "{'containers':[{'name':'a'}]}")));
    }

    @Test
    void seccompFieldFrom119() {
        JsonNode pod = pod("{'securityContext':{'seccompProfile':{'type':'Unconfined'}},'containers':["
                + "{'name':'a'},{'name':'b','securityContext':{'seccompProfile':{'type':'RuntimeDefault'}}},"
                + "{'name':'c','securityContext':{'seccompProfile':{'type':'Unconfined'}}},"
                + "{'name':'d','securityContext':{'seccompProfile':{'type':'Unconfined'}}}]}");
        assertForbidden(run(BaselineChecks::seccompProfile, pod), "seccompProfile",
                "pod and containers \"c\", \"d\" must not set securityContext.seccompProfile.type to \"Unconfined\"");
        // Baseline does not require a profile, only forbids bad ones.
        assertAllowed(run(BaselineChecks::seccompProfile, pod("{'containers':[{'name':'a'},{'name':'b',"
                + "'securityContext':{'seccompProfile':{'type':'Localhost','localhostProfile':'p.json'}}}]}")));
    }

    @Test
    void sysctlsGrowWithVersions() {
        JsonNode pod = pod("{'securityContext':{'sysctls':[{'name':'a','value':'1'},{'name':'b','value':'2'}]}}");
        assertForbidden(BaselineChecks.sysctls(spec(pod), BaselineChecks.SYSCTLS_1_37), "forbidden sysctls", "a, b");
        JsonNode reserved = pod("{'securityContext':{'sysctls':[{'name':'net.ipv4.ip_local_reserved_ports',"
                + "'value':'1024-4999'}]}}");
        assertForbidden(BaselineChecks.sysctls(spec(reserved), BaselineChecks.SYSCTLS_1_0), "forbidden sysctls",
                "net.ipv4.ip_local_reserved_ports");
        assertAllowed(BaselineChecks.sysctls(spec(reserved), BaselineChecks.SYSCTLS_1_27));
        JsonNode keepalive = pod("{'securityContext':{'sysctls':[{'name':'net.ipv4.tcp_keepalive_time','value':'7200'}]}}");
        assertForbidden(BaselineChecks.sysctls(spec(keepalive), BaselineChecks.SYSCTLS_1_27), "forbidden sysctls",
                "net.ipv4.tcp_keepalive_time");
        assertAllowed(BaselineChecks.sysctls(spec(keepalive), BaselineChecks.SYSCTLS_1_29));
        JsonNode rmem = pod("{'securityContext':{'sysctls':[{'name':'net.ipv4.tcp_rmem','value':'4096 87380 16777216'}]}}");
        assertForbidden(BaselineChecks.sysctls(spec(rmem), BaselineChecks.SYSCTLS_1_29), "forbidden sysctls",
                "net.ipv4.tcp_rmem");
        assertAllowed(BaselineChecks.sysctls(spec(rmem), BaselineChecks.SYSCTLS_1_32));
        JsonNode lowat = pod("{'securityContext':{'sysctls':[{'name':'net.ipv4.tcp_notsent_lowat','value':'16384'}]}}");
        assertForbidden(BaselineChecks.sysctls(spec(lowat), BaselineChecks.SYSCTLS_1_32), "forbidden sysctls",
                "net.ipv4.tcp_notsent_lowat");
        assertAllowed(BaselineChecks.sysctls(spec(lowat), BaselineChecks.SYSCTLS_1_37));
        assertAllowed(BaselineChecks.sysctls(spec(pod("{'securityContext':{'sysctls':[{'name':'kernel.shm_rmid_forced',"
                + "'value':'1'},{'name':'net.ipv4.ping_group_range','value':'0 1'}]}}")), BaselineChecks.SYSCTLS_1_0));
    }

    @Test
    void probeAndLifecycleHostsSorted() {
        JsonNode pod = pod("{'initContainers':[{'name':'init','startupProbe':{'tcpSocket':{'port':1,"
                + "'host':'invalid.init.host'}}}],'containers':["
                + "{'name':'b','livenessProbe':{'httpGet':{'port':80,'host':'b.com'}}},"
                + "{'name':'a','readinessProbe':{'httpGet':{'port':80,'host':''}},"
                + "'lifecycle':{'preStop':{'httpGet':{'port':80,'host':'a.com'}},'postStart':{'tcpSocket':{'port':1,"
                + "'host':'b.com'}}}}]}");
        assertForbidden(run(BaselineChecks::hostProbesAndLifecycle, pod), "probe or lifecycle host",
                "containers \"a\", \"b\", \"init\" use probe or lifecycle hosts \"a.com\", \"b.com\", \"invalid.init.host\"");
        assertForbidden(run(BaselineChecks::hostProbesAndLifecycle,
                pod("{'containers':[{'name':'a','livenessProbe':{'httpGet':{'port':80,'host':'8.8.8.8'}}}]}")),
                "probe or lifecycle host", "container \"a\" uses probe or lifecycle host \"8.8.8.8\"");
        assertAllowed(run(BaselineChecks::hostProbesAndLifecycle, pod("{'containers':[{'name':'a',"
                + "'livenessProbe':{'httpGet':{'port':80,'path':'/'}},'readinessProbe':{'tcpSocket':{'port':80}}}]}")));
    }

    @Test
    void nullsAndWrongTypesReadAsUnset() {
        JsonNode pod = pod("{'hostNetwork':'true','securityContext':null,'volumes':[{'name':'v','hostPath':null}],"
                + "'containers':[{'name':'a','securityContext':{'privileged':'yes','capabilities':null,"
                + "'procMount':null,'seLinuxOptions':null},'ports':null}]}");
        assertAllowed(run(BaselineChecks::hostNamespaces, pod));
        assertAllowed(run(BaselineChecks::privileged, pod));
        assertAllowed(run(BaselineChecks::capabilities, pod));
        assertAllowed(run(BaselineChecks::hostPathVolumes, pod));
        assertAllowed(run(BaselineChecks::hostPorts, pod));
        assertAllowed(run(BaselineChecks::procMount, pod));
        assertAllowed(BaselineChecks.seLinuxOptions(spec(pod), BaselineChecks.SELINUX_TYPES_1_31));
        assertAllowed(run(BaselineChecks::appArmorProfile, pod));
    }
}
