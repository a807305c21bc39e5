package dev.okube.storage.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Child process of {@link CrashSafetyTest}: writes keys from 32 threads until it is killed and prints
 * each write once the store acknowledged it.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        MvccStore store = new MvccStore(Path.of(args[0]), MvccStore.Options.DEFAULTS);
        byte[] value = new byte[256];
        System.out.println("READY END");
        System.out.flush();
        CountDownLatch never = new CountDownLatch(1);
        for (int t = 0; t < 32; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String key = "/crash/" + id + "/" + i;
                    long rev = store.create(key, value, 0).join().revision();
                    synchronized (System.out) {
                        // Only lines ending in END count: a kill may cut the last line short.
                        System.out.println("ACK " + key + " " + rev + " END");
                        System.out.flush();
                    }
                }
            });
            thread.start();
        }
        never.await();
    }
}
