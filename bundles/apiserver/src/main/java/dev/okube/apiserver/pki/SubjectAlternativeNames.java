package dev.okube.apiserver.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DNS names and IP addresses a serving certificate must carry.
 *
 * @param dnsNames    lower-case DNS names, in order
 * @param ipAddresses IP addresses, in order (compared by their bytes, without IPv6 scope)
 */
public record SubjectAlternativeNames(Set<String> dnsNames, Set<InetAddress> ipAddresses) {
    /** The names in-cluster clients use for the apiserver (the "kubernetes" Service in "default"). */
    public static final List<String> SERVICE_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    public SubjectAlternativeNames {
        dnsNames = dnsNames.stream().map(d -> d.toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        ipAddresses = ipAddresses.stream().map(SubjectAlternativeNames::withoutScope)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        dnsNames = java.util.Collections.unmodifiableSet(dnsNames);
        ipAddresses = java.util.Collections.unmodifiableSet(ipAddresses);
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty();
    }

    /**
     * What the apiserver's serving certificate covers: localhost and the loopback addresses, the host's
     * name and the addresses it resolves to, the configured bind and advertise addresses (names or IPs;
     * a wildcard bind address adds nothing), and the in-cluster service names.
     */
    public static SubjectAlternativeNames forApiServer(String hostName, Collection<InetAddress> hostAddresses,
            String... configuredAddresses) {
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        dns.add("localhost");
        ips.add(literal("127.0.0.1"));
        ips.add(literal("::1"));
        if (hostName != null && !hostName.isBlank()) {
            addHostOrIp(hostName.trim(), dns, ips);
        }
        ips.addAll(hostAddresses);
        for (String address : configuredAddresses) {
            if (address == null || address.isBlank() || isWildcard(address.trim())) {
                continue;
            }
            addHostOrIp(address.trim(), dns, ips);
        }
        dns.addAll(SERVICE_NAMES);
        return new SubjectAlternativeNames(dns, ips);
    }

    /** The local host's name and the addresses it resolves to; empty when it has no name that resolves. */
    public static SubjectAlternativeNames localHost() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            String name = local.getHostName();
            Set<InetAddress> addresses = new LinkedHashSet<>(List.of(InetAddress.getAllByName(name)));
            return new SubjectAlternativeNames(Set.of(name), addresses);
        } catch (UnknownHostException | SecurityException e) {
            return new SubjectAlternativeNames(Set.of(), Set.of());
        }
    }

    /** The SANs of a certificate. */
    public static SubjectAlternativeNames of(X509Certificate cert) {
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    if (type == 2) {
                        dns.add((String) name.get(1));
                    } else if (type == 7) {
                        ips.add(literal((String) name.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subjectAltName in " + cert.getSubjectX500Principal(), e);
        }
        return new SubjectAlternativeNames(dns, ips);
    }

    /** The names and addresses of {@code required} that this set lacks. */
    public SubjectAlternativeNames missing(SubjectAlternativeNames required) {
        Set<String> dns = new LinkedHashSet<>(required.dnsNames);
        dns.removeAll(dnsNames);
        Set<InetAddress> ips = new LinkedHashSet<>(required.ipAddresses);
        ips.removeAll(ipAddresses);
        return new SubjectAlternativeNames(dns, ips);
    }

    @Override
    public String toString() {
        return "DNS " + dnsNames + ", IP " + ipAddresses.stream().map(InetAddress::getHostAddress).toList();
    }

    private static void addHostOrIp(String value, Set<String> dns, Set<InetAddress> ips) {
        String v = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (isIpLiteral(v)) {
            ips.add(literal(v));
        } else {
            dns.add(v);
        }
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-fA-F:.%a-zA-Z0-9]+"));
    }

    /** Parses an IP literal without any name lookup. */
    static InetAddress literal(String ip) {
        if (!isIpLiteral(ip)) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        try {
            return InetAddress.getByName(ip); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
