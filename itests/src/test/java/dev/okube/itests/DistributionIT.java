package dev.okube.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.osgi.framework.Constants;

/** Boots the real okube distribution and checks what a user sees first. Runs inside Karaf. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {
    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return OkubeKaraf.distribution();
    }

    @Test
    public void everyOkubeBundleIsActive() {
        List<String> okube = new ArrayList<>();
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("dev.okube.")) {
                okube.add(b.getSymbolicName());
                // A fragment (the fabric8 model fragment) is never started: resolved is its working state.
                boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                if (b.getState() != (fragment ? Bundle.RESOLVED : Bundle.ACTIVE)) {
                    notActive.add(b.getSymbolicName() + " in state " + b.getState());
                }
            }
        }
        assertTrue("okube bundles found: " + okube, okube.containsAll(List.of("dev.okube.api", "dev.okube.apiserver")));
        assertEquals("bundles not active", List.of(), notActive);
    }

    @Test
    public void apiserverAnswersReadyzAndVersionAtTheKubeconfigAddress() throws Exception {
        Path kubeconfig = Paths.get(System.getProperty("karaf.data"), "okube", "admin.kubeconfig");
        KubeconfigTls tls = KubeconfigTls.await(kubeconfig, Duration.ofSeconds(60));
        String server = tls.server();
        assertTrue(server, server.startsWith("https://"));
        HttpClient http = tls.adminHttp();

        HttpResponse<String> ready = awaitReady(http, server);
        assertEquals(ready.body(), 200, ready.statusCode());
        assertEquals("ok", ready.body());

        HttpResponse<String> version = http.send(HttpRequest.newBuilder(URI.create(server + "/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, version.statusCode());
        assertTrue(version.body(), version.body().contains("\"major\":\"1\",\"minor\":\"32\""));
    }

    /** /readyz can answer 500 while contributed checks are still starting; wait for it to settle. */
    private static HttpResponse<String> awaitReady(HttpClient http, String server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> r;
        do {
            r = http.send(HttpRequest.newBuilder(URI.create(server + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return r;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return r;
    }
}
