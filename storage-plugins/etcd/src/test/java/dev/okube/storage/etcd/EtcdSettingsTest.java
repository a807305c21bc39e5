package dev.okube.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Configuration as ConfigAdmin hands it over, and the key-range arithmetic. */
class EtcdSettingsTest {

    @Test
    void cfgFileEndpointsAreSplitAndTlsFollowsTheFiles() {
        EtcdSettings s = EtcdSettings.from(config(new String[] {" http://a:2379, http://b:2379 ", ""}, "", "", ""));
        assertEquals(List.of("http://a:2379", "http://b:2379"), s.endpoints());
        assertFalse(s.tls());
        assertEquals(Duration.ofMillis(1500), s.connectTimeout());
        assertEquals(Duration.ofMillis(2500), s.requestTimeout());
        assertEquals("/ns", s.namespace());

        EtcdSettings tls = EtcdSettings.from(config(new String[] {"https://a:2379"}, "/ca.pem", "/c.pem", "/k.pem"));
        assertTrue(tls.tls());
        assertEquals(Optional.of(Path.of("/ca.pem")), tls.caFile());
        assertTrue(EtcdSettings.of("https://a:2379").tls(), "https alone turns TLS on (system trust)");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.from(config(new String[] {" "}, "", "", "")));
        assertThrows(IllegalArgumentException.class,
                () -> EtcdSettings.from(config(new String[] {"http://a:2379"}, "", "/c.pem", "")));
    }

    @Test
    void prefixEndIncrementsTheLastByteThatCanBe() {
        assertArrayEquals(bytes("/a0"), EtcdKeyValueStore.prefixEnd(bytes("/a/")));
        assertArrayEquals(new byte[] {'a', 2}, EtcdKeyValueStore.prefixEnd(new byte[] {'a', 1, (byte) 0xff}));
        assertArrayEquals(new byte[] {0}, EtcdKeyValueStore.prefixEnd(new byte[] {(byte) 0xff, (byte) 0xff}));
        assertArrayEquals(new byte[] {0}, EtcdKeyValueStore.prefixEnd(new byte[0]));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static EtcdKeyValueStore.Config config(String[] endpoints, String ca, String cert, String key) {
        return new EtcdKeyValueStore.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EtcdKeyValueStore.Config.class;
            }

            @Override
            public String[] endpoints() {
                return endpoints;
            }

            @Override
            public String tls_ca_file() {
                return ca;
            }

            @Override
            public String tls_cert_file() {
                return cert;
            }

            @Override
            public String tls_key_file() {
                return key;
            }

            @Override
            public long connect_timeout_ms() {
                return 1500;
            }

            @Override
            public long request_timeout_ms() {
                return 2500;
            }

            @Override
            public String namespace() {
                return "/ns";
            }
        };
    }
}
