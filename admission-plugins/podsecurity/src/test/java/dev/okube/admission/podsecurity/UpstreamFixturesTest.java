package dev.okube.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parity with upstream: runs every pod fixture of pod-security-admission's test/testdata
 * ({@code <level>/v1.<minor>/<pass|fail>/*.yaml}, ~4,500 pods generated from upstream's fixtures)
 * through our evaluator at that level and version, and expects pass fixtures allowed and fail
 * fixtures denied. The fixtures are upstream's and not copied here: point the test at a checkout
 * with {@code -Dpodsecurity.upstream.testdata=<pod-security-admission>/test/testdata}; without it
 * the test is skipped.
 */
class UpstreamFixturesTest {
    /** Fixture name prefix (the check) to the text its failure must contain, as upstream's fixtures expect. */
    private static final java.util.Map<String, String> EXPECTED = java.util.Map.ofEntries(
            java.util.Map.entry("allowprivilegeescalation", "allowPrivilegeEscalation"),
            java.util.Map.entry("apparmorprofile", "forbidden AppArmor profile"),
            java.util.Map.entry("capabilities_baseline", "capabilities"),
            java.util.Map.entry("capabilities_restricted", "unrestricted capabilities"),
            java.util.Map.entry("hostnamespaces", "host namespaces"),
            java.util.Map.entry("hostpathvolumes", "hostPath"),
            java.util.Map.entry("hostports", "hostPort"),
            java.util.Map.entry("hostprobesandhostlifecycle", "probe or lifecycle host"),
            java.util.Map.entry("privileged", "privileged"),
            java.util.Map.entry("procmount", "procMount"),
            java.util.Map.entry("procmount_restricted", "procMount"),
            java.util.Map.entry("restrictedvolumes", "restricted volume types"),
            java.util.Map.entry("runasnonroot", "runAsNonRoot"),
            java.util.Map.entry("runasuser", "runAsUser"),
            java.util.Map.entry("seccompprofile_baseline", "seccompProfile"),
            java.util.Map.entry("seccompprofile_restricted", "seccompProfile"),
            java.util.Map.entry("selinuxoptions", "seLinuxOptions"),
            java.util.Map.entry("sysctls", "forbidden sysctl"),
            java.util.Map.entry("windowshostprocess", "hostProcess"));

    @Test
    void everyUpstreamFixtureGetsUpstreamsVerdict() throws IOException {
        String dir = System.getProperty("podsecurity.upstream.testdata", "");
        Assumptions.assumeTrue(!dir.isEmpty() && Files.isDirectory(Path.of(dir)),
                "set -Dpodsecurity.upstream.testdata to pod-security-admission's test/testdata to run");
        Evaluator evaluator = new Evaluator(Evaluator.defaultChecks());
        YAMLMapper yaml = YAMLMapper.builder().build();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(dir))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            Path rel = Path.of(dir).relativize(file);
            if (rel.getNameCount() != 4) {
                continue;
            }
            LevelVersion lv = new LevelVersion(Level.parse(rel.getName(0).toString()),
                    Version.parse(rel.getName(1).toString()));
            boolean expectAllowed = rel.getName(2).toString().equals("pass");
            JsonNode pod = yaml.readTree(file.toFile());
            defaultVolumes(pod);
            CheckResult.Aggregate result = evaluator.aggregate(lv, pod.path("metadata"), pod.path("spec"));
            checked++;
            if (result.allowed() != expectAllowed) {
                wrong.add(rel + (expectAllowed ? " denied: " + result.detailText() : " allowed"));
            } else if (!expectAllowed) {
                // A failing fixture must fail for its own check (upstream's expected error substring).
                String check = rel.getName(3).toString().replaceAll("[0-9]*\\.yaml$", "");
                String expected = EXPECTED.get(check);
                if (expected == null || !result.detailText().contains(expected)) {
                    wrong.add(rel + " denied without " + expected + ": " + result.detailText());
                }
            }
        }
        assertTrue(checked > 1000, "fixtures found: " + checked);
        assertEquals(List.of(), wrong, checked + " fixtures checked");
        System.out.println("UpstreamFixturesTest: " + checked + " upstream fixtures, all with upstream's verdict (failures for their own check)");
    }

    /**
     * The fixtures are pods as a client sends them; admission sees them after the apiserver's
     * defaulting, which gives a volume without a source an emptyDir (upstream's "implicit empty
     * dir" fixture relies on it, and okube's PodDefaults does the same).
     */
    private static void defaultVolumes(JsonNode pod) {
        for (JsonNode volume : PodJson.array(pod.path("spec").path("volumes"))) {
            if (volume.size() == 1 && volume.has("name")) {
                ((tools.jackson.databind.node.ObjectNode) volume).putObject("emptyDir");
            }
        }
    }
}
