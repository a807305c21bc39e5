package dev.okube.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.KeyValueStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The storage backend is chosen by the installed feature, not by code: booting with
 * okube-storage-etcd makes the apiserver keep cluster state in a real etcd, and the embedded store
 * (which the apiserver feature pulls in only when nothing else provides a store) stays out.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EtcdBackendIT {
    @Inject
    private BundleContext context;

    @Inject
    private KeyValueStore store;

    @Configuration
    public Option[] config() {
        return new Option[] {
            composite(OkubeKaraf.distribution()),
            editConfigurationFilePut("etc/dev.okube.storage.etcd.cfg", "endpoints", ExamEtcd.endpoint()),
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot",
                    "eventadmin,feature,shell,ssh,jaas,deployer,bundle,config,log,package,service,system,diagnostic,"
                            + "kar,scr,okube-storage-etcd,okube-all-in-one"),
        };
    }

    @Test
    public void theApiserverStoresInEtcdAndTheEmbeddedStoreIsNotInstalled() throws Exception {
        assertEquals("etcd", store.name());
        for (Bundle b : context.getBundles()) {
            assertTrue(b.getSymbolicName() + " must not be installed", !b.getSymbolicName().equals("dev.okube.embedded"));
        }
        KubeconfigTls tls = KubeconfigTls.await(
                Paths.get(System.getProperty("karaf.data"), "okube", "admin.kubeconfig"), java.time.Duration.ofSeconds(60));
        String server = tls.server();
        HttpClient http = tls.adminHttp();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> created;
        do {
            created = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/namespaces/default/configmaps"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                            + "\"metadata\":{\"name\":\"in-etcd\"},\"data\":{\"k\":\"v\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() == 201) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals(created.body(), 201, created.statusCode());
        KeyValue kv = store.get("/registry/core/configmaps/default/in-etcd").get(10, TimeUnit.SECONDS);
        assertNotNull("the configmap is in etcd", kv);
        assertTrue(new String(kv.value(), StandardCharsets.UTF_8).contains("\"k\":\"v\""));
        Matcher rv = Pattern.compile("\"resourceVersion\":\"(\\d+)\"").matcher(created.body());
        assertTrue(rv.find());
        assertEquals("resourceVersion is etcd's mod revision", kv.modRevision(), Long.parseLong(rv.group(1)));
        assertNull(store.get("/registry/core/configmaps/default/nosuch").get(10, TimeUnit.SECONDS));
    }
}
