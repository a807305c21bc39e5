package dev.okube.itests;

import dev.okube.storage.tck.EtcdProcess;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real etcd for Pax Exam tests, started in the driver JVM (where @Configuration runs) and
 * stopped when that JVM exits. Kept out of the test class so the class loads inside Karaf, where
 * the launcher is absent.
 */
final class ExamEtcd {
    private static EtcdProcess etcd;

    private ExamEtcd() {
    }

    static synchronized String endpoint() {
        if (etcd == null) {
            try {
                etcd = EtcdProcess.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(etcd::close));
        }
        return etcd.endpoint();
    }
}
