package dev.okube.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellAccessKeyTest {
    @TempDir
    Path dir;

    @Test
    void firstBootGeneratesAPrivateKeyAndAuthorisesItOnce() throws Exception {
        Path key = dir.resolve("data/okube/client.key");
        Path keys = dir.resolve("etc/keys.properties");
        Files.createDirectories(keys.getParent());
        Files.writeString(keys, "# comment\nokube=AAAAstale,_g_:admingroup\n");

        ShellAccessKey.ensure(key, keys);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String blob = ShellAccessKey.sshPublicKeyBlob(ShellAccessKey.readPrivateKey(key));
        assertTrue(blob.startsWith("AAAAB3NzaC1yc2E"), "an ssh-rsa blob: " + blob);
        List<String> lines = Files.readAllLines(keys);
        assertEquals(List.of("# comment", "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh",
                "okube=" + blob + ",_g_:admingroup"), lines);

        // A restart keeps the key and leaves keys.properties as it is.
        String before = Files.readString(key);
        ShellAccessKey.ensure(key, keys);
        assertEquals(before, Files.readString(key));
        assertEquals(lines, Files.readAllLines(keys));
    }
}
