package dev.okube.api.authentication;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The credentials of one HTTP request.
 *
 * @param headers            request headers, names in lower case, values in order
 * @param clientCertificates the client's certificate chain, leaf first, already verified by the TLS
 *                           layer against the cluster CA; empty when the client sent none
 * @param remoteAddress      the client's address, for logs
 */
public record AuthenticationRequest(Map<String, List<String>> headers, List<X509Certificate> clientCertificates,
        String remoteAddress) {
    public AuthenticationRequest {
        Objects.requireNonNull(headers, "headers should not be null");
        clientCertificates = List.copyOf(clientCertificates);
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The token of an {@code Authorization: Bearer <token>} header, if present and not empty. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }
}
