package dev.okube.scheduler.plugins.coscheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class PodGroupTest {
    @Test
    void theTypedKindReadsAndWritesTheCrdsJson() {
        PodGroup pg = Serialization.unmarshal("{\"apiVersion\":\"scheduling.x-k8s.io/v1alpha1\",\"kind\":\"PodGroup\","
                + "\"metadata\":{\"name\":\"pg1\",\"namespace\":\"ns\"},\"spec\":{\"minMember\":3,\"minResources\":{\"cpu\":\"3\"},"
                + "\"scheduleTimeoutSeconds\":10},\"status\":{\"phase\":\"Running\",\"running\":3,\"futureField\":1}}", PodGroup.class);
        assertEquals(3, pg.getSpec().getMinMember());
        assertEquals(new Quantity("3"), pg.getSpec().getMinResources().get("cpu"));
        assertEquals(10, pg.getSpec().getScheduleTimeoutSeconds());
        assertEquals("Running", pg.getStatus().getPhase());
        assertEquals("scheduling.x-k8s.io/v1alpha1", pg.getApiVersion());
        assertEquals("PodGroup", pg.getKind());
        assertEquals("podgroups", pg.getPlural());
        assertEquals("Namespaced", pg.getScope());
        String json = Serialization.asJson(pg);
        assertEquals(true, json.contains("\"minMember\":3") && !json.contains("\"scheduled\""), json);
    }
}
