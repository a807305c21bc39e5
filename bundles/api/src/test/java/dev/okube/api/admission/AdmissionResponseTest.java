package dev.okube.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionResponseTest {
    @Test
    void warningsAccumulateWithoutChangingTheVerdict() {
        AdmissionResponse allowed = AdmissionResponse.allow().withWarning("a").withWarning("b");
        assertTrue(allowed.allowed());
        assertEquals(List.of("a", "b"), allowed.warnings());
        assertEquals(List.of(), AdmissionResponse.allow().warnings(), "the shared allow stays empty");
        AdmissionResponse denied = AdmissionResponse.deny(403, "Forbidden", "no").withWarning("w");
        assertFalse(denied.allowed());
        assertEquals(403, denied.code());
        assertEquals("Forbidden", denied.reason());
    }

    @Test
    void userInfoKeepsItsOwnCopies() {
        List<String> groups = new ArrayList<>(List.of("system:masters"));
        UserInfo user = new UserInfo("admin", "", groups, Map.of());
        groups.add("late");
        assertEquals(List.of("system:masters"), user.groups());
    }
}
