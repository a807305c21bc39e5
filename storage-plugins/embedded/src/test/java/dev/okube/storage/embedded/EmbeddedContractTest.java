package dev.okube.storage.embedded;

import dev.okube.api.storage.KeyValueStore;
import dev.okube.storage.tck.KeyValueStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store against the shared contract, with real fsync, in a fresh directory per test. */
class EmbeddedContractTest extends KeyValueStoreContract {
    @TempDir
    Path dir;

    @Override
    protected KeyValueStore openStore() throws Exception {
        return new MvccStore(dir, MvccStore.Options.DEFAULTS);
    }

    @Override
    protected void closeStore(KeyValueStore store) {
        ((MvccStore) store).close();
    }

    @Override
    protected KeyValueStore restartStore(KeyValueStore store) throws Exception {
        ((MvccStore) store).close();
        return openStore();
    }
}
