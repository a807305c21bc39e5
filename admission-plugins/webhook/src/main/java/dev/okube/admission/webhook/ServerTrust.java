package dev.okube.admission.webhook;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for one webhook, as upstream's webhook client: the chain must lead to a CA of the
 * configuration's caBundle (only those; the JDK's roots when the bundle is empty), and the leaf must
 * name the expected server in its subjectAltNames: the URL's host, or {@code name.namespace.svc} for
 * a service reference even though the connection goes to the service's address. As Go, no fallback
 * to the subject's common name.
 */
final class ServerTrust extends X509ExtendedTrustManager {
    private final X509TrustManager chain;
    private final String serverName;

    private ServerTrust(X509TrustManager chain, String serverName) {
        this.chain = chain;
        this.serverName = serverName;
    }

    /** An SSL context trusting {@code caBundlePem} (null or empty: the JDK's roots) for {@code serverName}. */
    static SSLContext context(byte[] caBundlePem, String serverName) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caBundlePem == null || caBundlePem.length == 0) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            try {
                store.load(null, null);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            }
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caBundlePem));
            if (certs.isEmpty()) {
                throw new CertificateException("caBundle holds no PEM certificate");
            }
            int i = 0;
            for (java.security.cert.Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            factory.init(store);
        }
        X509TrustManager delegate = null;
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                delegate = x;
            }
        }
        if (delegate == null) {
            throw new GeneralSecurityException("no X.509 trust manager available");
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ServerTrust(delegate, serverName)}, null);
        return context;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        try {
            chain.checkServerTrusted(certs, authType);
        } catch (CertificateException e) {
            // no cause: callers report the deepest message, and this one is the useful one
            throw new CertificateException("x509: certificate signed by unknown authority (" + e.getMessage() + ")");
        }
        verifyName(certs[0], serverName);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("a webhook client does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(certs, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }

    static void verifyName(X509Certificate leaf, String host) throws CertificateException {
        List<String> names = new ArrayList<>();
        boolean ip = isIpLiteral(host);
        InetAddress wanted = null;
        if (ip) {
            try {
                wanted = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new CertificateException(e);
            }
        }
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("x509: cannot parse subjectAltNames: " + e.getMessage(), e);
        }
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                names.add(value);
                if (ip && type == 7) {
                    try {
                        if (InetAddress.getByName(value).equals(wanted)) {
                            return;
                        }
                    } catch (UnknownHostException e) {
                        // not an address; keep looking
                    }
                } else if (!ip && type == 2 && dnsMatches(value, host)) {
                    return;
                }
            }
        }
        if (names.isEmpty()) {
            throw new CertificateException("x509: certificate relies on legacy Common Name field, use SANs instead");
        }
        throw new CertificateException("x509: certificate is valid for " + String.join(", ", names) + ", not " + host);
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
