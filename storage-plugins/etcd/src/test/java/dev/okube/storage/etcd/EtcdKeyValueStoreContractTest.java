package dev.okube.storage.etcd;

import dev.okube.api.storage.KeyValueStore;
import dev.okube.storage.tck.EtcdProcess;
import dev.okube.storage.tck.KeyValueStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared contract against one real etcd per class; each test gets its own client. */
class EtcdKeyValueStoreContractTest extends KeyValueStoreContract {
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected KeyValueStore openStore() {
        return new EtcdKeyValueStore(EtcdSettings.of(etcd.endpoint()));
    }

    @Override
    protected void closeStore(KeyValueStore store) {
        ((EtcdKeyValueStore) store).close();
    }

    @Override
    protected KeyValueStore restartStore(KeyValueStore store) throws Exception {
        ((EtcdKeyValueStore) store).close();
        etcd.restart();
        return openStore();
    }
}
