package dev.okube.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionChainStatus;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.Json;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The admission chain's order, enabled set, failures, budgets and statistics. */
class AdmissionPluginsTest {
    private final List<String> calls = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    static AdmissionPlugins.Config config(String[] order, String[] disabled, int budgetMs, String[] failOpen) {
        return new AdmissionPlugins.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AdmissionPlugins.Config.class;
            }

            @Override
            public String[] order() {
                return order;
            }

            @Override
            public String[] disabled() {
                return disabled;
            }

            @Override
            public int timeout_ms() {
                return budgetMs;
            }

            @Override
            public String[] timeouts() {
                return new String[] {"Slow=5000", "broken pair"};
            }

            @Override
            public String[] fail_open() {
                return failOpen;
            }
        };
    }

    private static AdmissionRequest request() {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "p").put("namespace", "default");
        return new AdmissionRequest(AdmissionRequest.Operation.CREATE, "", "v1", "Pod", "pods", "", "default", "p", pod,
                null, new UserInfo("u", "", List.of(), Map.of()), false);
    }

    private MutatingAdmission mutating(String name, Function<AdmissionRequest, AdmissionResponse> body) {
        return new MutatingAdmission() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AdmissionResponse admit(AdmissionRequest request) {
                calls.add(name);
                return body.apply(request);
            }
        };
    }

    private ValidatingAdmission validating(String name, Function<AdmissionRequest, AdmissionResponse> body) {
        return new ValidatingAdmission() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AdmissionResponse validate(AdmissionRequest request) {
                calls.add(name);
                return body.apply(request);
            }
        };
    }

    private void run(AdmissionPlugins chain) {
        AdmissionRequest request = request();
        chain.mutate(request, warnings::add);
        chain.validate(request, warnings::add);
    }

    @Test
    void configuredOrderFirstThenArrivalAndDisabledNeverRun() {
        AdmissionPlugins chain = new AdmissionPlugins(config(new String[] {"B", "A"}, new String[] {"Off"}, 1000,
                new String[0]));
        chain.add(mutating("Z", r -> AdmissionResponse.allow()));
        chain.add(mutating("A", r -> AdmissionResponse.allow()));
        chain.add(mutating("Off", r -> AdmissionResponse.allow()));
        chain.add(mutating("B", r -> AdmissionResponse.allow()));
        chain.add(validating("V", r -> AdmissionResponse.allow()));
        chain.add(validating("A", r -> AdmissionResponse.allow()));
        run(chain);
        assertEquals(List.of("B", "A", "Z", "A", "V"), calls);
        assertEquals(List.of("B", "A", "Z", "A", "V"), chain.plugins().stream().map(AdmissionChainStatus.Plugin::name)
                .toList());
        assertEquals(List.of(), chain.missing());

        calls.clear();
        // From a .cfg file a list arrives as one comma-separated string.
        chain.modified(config(new String[] {"Z, C"}, new String[] {"A"}, 1000, new String[0]));
        run(chain);
        assertEquals(List.of("Z", "Off", "B", "V"), calls);
        assertEquals(List.of("C"), chain.missing());
    }

    @Test
    void aDenialStopsTheRequestWithThePluginsStatus() {
        AdmissionPlugins chain = new AdmissionPlugins(config(new String[0], new String[0], 1000, new String[0]));
        chain.add(mutating("Warns", r -> AdmissionResponse.allow().withWarning("careful")));
        chain.add(validating("No", r -> AdmissionResponse.deny(403, "Forbidden", "pods \"p\" is forbidden: no")));
        chain.add(validating("Never", r -> AdmissionResponse.allow()));
        ApiException e = assertThrows(ApiException.class, () -> run(chain));
        assertEquals(403, e.code());
        assertEquals("Forbidden", e.reason());
        assertEquals("pods \"p\" is forbidden: no", e.getMessage());
        assertEquals(List.of("careful"), warnings);
        assertEquals(List.of("Warns", "No"), calls);
        AdmissionChainStatus.Plugin no = chain.plugins().stream().filter(p -> p.name().equals("No")).findFirst().orElseThrow();
        assertEquals(1, no.calls());
        assertEquals(1, no.denials());
        assertEquals("validating", no.phase());
    }

    @Test
    void aThrowingPluginFailsTheRequestNamingItUnlessFailOpen() {
        AdmissionPlugins chain = new AdmissionPlugins(config(new String[0], new String[0], 1000, new String[0]));
        chain.add(mutating("Broken", r -> {
            throw new IllegalStateException("boom");
        }));
        ApiException e = assertThrows(ApiException.class, () -> run(chain));
        assertEquals(500, e.code());
        assertEquals("Internal error occurred: admission plugin \"Broken\" failed: java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals(1, chain.plugins().get(0).errors());

        chain.modified(config(new String[0], new String[0], 1000, new String[] {"Broken"}));
        run(chain); // skipped
    }

    @Test
    void aPluginOverItsBudgetIsInterruptedAndFailsTheRequest() {
        AdmissionPlugins chain = new AdmissionPlugins(config(new String[0], new String[0], 50, new String[0]));
        chain.add(validating("Hangs", r -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException("interrupted");
            }
            return AdmissionResponse.allow();
        }));
        long start = System.nanoTime();
        ApiException e = assertThrows(ApiException.class, () -> run(chain));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the watchdog interrupted the plugin");
        assertEquals("Internal error occurred: admission plugin \"Hangs\" exceeded its time budget of 50 ms", e.getMessage());
        assertTrue(!Thread.currentThread().isInterrupted(), "the request thread is left uninterrupted");
        chain.deactivate();
    }

    @Test
    void aPluginRemovedDuringItsCallDoesNotFailTheRequest() {
        AdmissionPlugins chain = new AdmissionPlugins(config(new String[0], new String[0], 1000, new String[0]));
        MutatingAdmission[] self = new MutatingAdmission[1];
        self[0] = mutating("Leaving", r -> {
            chain.remove(self[0]);
            throw new NoClassDefFoundError("its bundle was refreshed");
        });
        chain.add(self[0]);
        run(chain);
        assertEquals(List.of(), chain.plugins());
    }

    @Test
    void mutatingPluginsChangeTheObjectInOrder() {
        AdmissionPlugins chain = new AdmissionPlugins(config(new String[] {"First", "Second"}, new String[0], 1000,
                new String[0]));
        chain.add(mutating("Second", r -> {
            r.object().withObjectProperty("metadata").withObjectProperty("labels").put("second",
                    r.object().path("metadata").path("labels").path("first").asString());
            return AdmissionResponse.allow();
        }));
        chain.add(mutating("First", r -> {
            r.object().withObjectProperty("metadata").withObjectProperty("labels").put("first", "1");
            return AdmissionResponse.allow();
        }));
        AdmissionRequest request = request();
        chain.mutate(request, warnings::add);
        assertEquals("1", request.object().path("metadata").path("labels").path("second").asString());
    }
}
