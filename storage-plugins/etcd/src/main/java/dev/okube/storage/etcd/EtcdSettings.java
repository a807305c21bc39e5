package dev.okube.storage.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link EtcdKeyValueStore} reaches etcd. Built from the component's configuration in OSGi, or
 * directly by tests and benchmarks that run the store on a plain class path.
 *
 * @param endpoints      client URLs ({@code http://host:port} or {@code https://host:port}), at least one
 * @param caFile         PEM file of the CA that signed etcd's server certificate; enables TLS
 * @param certFile       PEM client certificate for mutual TLS, with {@code keyFile}
 * @param keyFile        PKCS#8 PEM private key of the client certificate
 * @param connectTimeout TCP connect timeout per attempt
 * @param requestTimeout deadline of every request; exceeded requests fail with Timeout
 * @param namespace      prefix put in front of every key, so several clusters can share one etcd
 */
public record EtcdSettings(List<String> endpoints, Optional<Path> caFile, Optional<Path> certFile,
                           Optional<Path> keyFile, Duration connectTimeout, Duration requestTimeout,
                           String namespace) {

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is required");
        }
        Objects.requireNonNull(caFile, "caFile should not be null");
        Objects.requireNonNull(certFile, "certFile should not be null");
        Objects.requireNonNull(keyFile, "keyFile should not be null");
        Objects.requireNonNull(connectTimeout, "connectTimeout should not be null");
        Objects.requireNonNull(requestTimeout, "requestTimeout should not be null");
        Objects.requireNonNull(namespace, "namespace should not be null");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key and vice versa");
        }
    }

    /** Plain-text connection to the given endpoints with the default timeouts and no namespace. */
    public static EtcdSettings of(String... endpoints) {
        return new EtcdSettings(Arrays.asList(endpoints), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(10), "");
    }

    static EtcdSettings from(EtcdKeyValueStore.Config config) {
        return new EtcdSettings(
                // A .cfg file gives one string, so "http://a:2379,http://b:2379" is split here.
                Arrays.stream(config.endpoints()).flatMap(e -> Arrays.stream(e.split(",")))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList(),
                path(config.tls_ca_file()), path(config.tls_cert_file()), path(config.tls_key_file()),
                Duration.ofMillis(config.connect_timeout_ms()), Duration.ofMillis(config.request_timeout_ms()),
                config.namespace());
    }

    public EtcdSettings withRequestTimeout(Duration timeout) {
        return new EtcdSettings(endpoints, caFile, certFile, keyFile, connectTimeout, timeout, namespace);
    }

    public EtcdSettings withNamespace(String ns) {
        return new EtcdSettings(endpoints, caFile, certFile, keyFile, connectTimeout, requestTimeout, ns);
    }

    /** TLS is on when a CA is configured or any endpoint is https. */
    boolean tls() {
        return caFile.isPresent() || endpoints.stream().anyMatch(e -> e.regionMatches(true, 0, "https:", 0, 6));
    }

    private static Optional<Path> path(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.trim()));
    }
}
