package dev.okube.benchmarks.apiload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's parsing of kube:admission and the launcher's file handling, without a cluster. */
class AdmissionBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void pluginNamesAreTheThirdColumnOfKubeAdmissionOnceEach() {
        String table = """
                 # | Phase      | Plugin             | Bundle                   | Version | Calls | Denied | Errors | Mean µs | p99 µs
                ---+------------+--------------------+--------------------------+---------+-------+--------+--------+---------+-------
                 1 | mutating   | NamespaceLifecycle | dev.okube.namespacelifecycle | 0.1.0 |     3 |      0 |      0 |      22 |    139
                 2 | mutating   | LimitRanger        | dev.okube.limitranger    | 0.1.0   |     3 |      0 |      0 |      10 |     20
                10 | validating | LimitRanger        | dev.okube.limitranger    | 0.1.0   |     3 |      0 |      0 |      10 |     20
                Configured but not installed: RuntimeClass
                """;
        assertEquals(List.of("NamespaceLifecycle", "LimitRanger"), AdmissionBenchmark.pluginNames(table));
        assertEquals(List.of(), AdmissionBenchmark.pluginNames(
                " # | Phase | Plugin | Bundle | Version | Calls | Denied | Errors | Mean µs | p99 µs\n---+---\n"));
    }

    @Test
    void theLauncherCopiesTheDistributionWithoutItsStateAndDeletesIt() throws Exception {
        Path dist = dir.resolve("dist");
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("data/okube"));
        Files.writeString(dist.resolve("bin/start"), "#!/bin/sh\n");
        Files.writeString(dist.resolve("data/okube/admin.kubeconfig"), "old");
        Path home = dir.resolve("home");
        OkubeInstance.copyTree(dist, home, Set.of("data"));
        assertTrue(Files.exists(home.resolve("bin/start")));
        assertFalse(Files.exists(home.resolve("data")));
        OkubeInstance.deleteTree(home);
        assertFalse(Files.exists(home));
        assertTrue(OkubeInstance.freePort() > 0);
    }
}
