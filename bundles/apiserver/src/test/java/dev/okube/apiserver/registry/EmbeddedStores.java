package dev.okube.apiserver.registry;

import dev.okube.api.admission.UserInfo;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real embedded store for registry tests: no fsync, small cache, progress only on request. */
final class EmbeddedStores {
    static final WriteOptions WRITE = new WriteOptions(new UserInfo("test-admin", "", List.of("system:masters"),
            Map.of()), false, "test");
    static final WriteOptions DRY_RUN = new WriteOptions(WRITE.user(), true, "test");
    static final Registry RESOURCES = new Registry(BuiltinResources.definitions());

    private EmbeddedStores() {
    }

    static EmbeddedKeyValueStore open(Path dir) throws java.io.IOException {
        return new EmbeddedKeyValueStore(EmbeddedKeyValueStore.config(dir, false));
    }

    static ResourceDefinition def(String group, String plural) {
        return RESOURCES.find(group, "v1", plural).orElseThrow();
    }
}
