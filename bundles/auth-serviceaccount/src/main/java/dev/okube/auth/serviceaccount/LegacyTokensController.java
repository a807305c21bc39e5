package dev.okube.auth.serviceaccount;

import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's tokens controller: a Secret of type {@code kubernetes.io/service-account-token} that
 * names a service account in its {@code kubernetes.io/service-account.name} annotation gets a legacy
 * token, the namespace and the cluster CA ({@code data.token}, {@code data.namespace},
 * {@code data["ca.crt"]}) and the account's uid annotation; such a Secret whose account is gone (or
 * was recreated with another uid) is deleted, and so are an account's token Secrets when the account
 * is deleted. Watch handlers only enqueue keys; one worker syncs them, retrying failures with backoff.
 */
@Component(immediate = true, configurationPid = ServiceAccountIssuer.PID)
public final class LegacyTokensController {
    static final String TOKEN_TYPE = "kubernetes.io/service-account-token";
    static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
    private static final ResourceType SECRETS = ResourceType.core("secrets");
    private static final ResourceType SERVICE_ACCOUNTS = ResourceType.core("serviceaccounts");
    private static final Logger LOG = LoggerFactory.getLogger(LegacyTokensController.class);
    /** How long a token Secret whose account is missing waits for the account to show up in the cache. */
    static final long MISSING_ACCOUNT_GRACE_MS = 1000;

    private final ClusterResources resources;
    private final ServiceAccountTokenIssuer issuer;
    private final Path caFile;
    private final ScheduledExecutorService worker;
    private final Map<String, Boolean> pending = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final AutoCloseable secretWatch;
    private final AutoCloseable accountWatch;

    @Activate
    public LegacyTokensController(ServiceAccountIssuer.Config config, @Reference ClusterResources resources,
            @Reference ServiceAccountTokenIssuer issuer) {
        this(resources, issuer, ServiceAccountIssuer.path(config.ca_file()), Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okube-serviceaccount-tokens");
            t.setDaemon(true);
            return t;
        }));
    }

    LegacyTokensController(ClusterResources resources, ServiceAccountTokenIssuer issuer, Path caFile,
            ScheduledExecutorService worker) {
        this.resources = resources;
        this.issuer = issuer;
        this.caFile = caFile;
        this.worker = worker;
        this.secretWatch = resources.watch(SECRETS, this::onSecret);
        this.accountWatch = resources.watch(SERVICE_ACCOUNTS, this::onServiceAccount);
    }

    @Deactivate
    void close() {
        for (AutoCloseable watch : new AutoCloseable[] {secretWatch, accountWatch}) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing a watch failed", e);
            }
        }
        worker.shutdownNow();
    }

    private void onSecret(ResourceEvent event) {
        if (event.type() != ResourceEvent.Type.DELETED && isTokenSecret(event.object())) {
            enqueue("secret/" + namespace(event.object()) + "/" + name(event.object()), 0);
        }
    }

    private void onServiceAccount(ResourceEvent event) {
        if (event.type() == ResourceEvent.Type.DELETED) {
            enqueue("account/" + namespace(event.object()) + "/" + name(event.object()) + "/" + uid(event.object()), 0);
        }
    }

    private void enqueue(String key, long delayMs) {
        if (pending.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        try {
            worker.schedule(() -> {
                pending.remove(key);
                process(key);
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(key); // shutting down
        }
    }

    private void process(String key) {
        String[] parts = key.split("/", 4);
        try {
            boolean done = parts[0].equals("secret") ? syncSecret(parts[1], parts[2], failures.containsKey(key))
                    : deleteTokens(parts[1], parts[2], parts[3]);
            if (done) {
                failures.remove(key);
            } else {
                failures.merge(key, 1, Integer::sum);
                enqueue(key, MISSING_ACCOUNT_GRACE_MS);
            }
        } catch (RuntimeException e) {
            int n = failures.merge(key, 1, Integer::sum);
            long delay = Math.min(30_000, 100L << Math.min(n, 9));
            LOG.warn("syncing {} failed (attempt {}), retrying in {} ms: {}", key, n, delay, e.toString());
            enqueue(key, delay);
        }
    }

    /**
     * Brings one token Secret up to date. Returns false when its account is missing for the first
     * time (the caller retries after a grace period, in case the account's cache lags), true when done.
     *
     * @param confirmMissing whether a missing account was already seen once: the Secret is then deleted
     */
    boolean syncSecret(String namespace, String name, boolean confirmMissing) {
        Optional<ObjectNode> found = resources.get(SECRETS, namespace, name);
        if (found.isEmpty() || !isTokenSecret(found.get())) {
            return true;
        }
        ObjectNode secret = found.get();
        ObjectNode annotations = (ObjectNode) secret.path("metadata").path("annotations");
        String accountName = annotations.path(NAME_ANNOTATION).asString("");
        String accountUid = annotations.path(UID_ANNOTATION).asString("");
        Optional<ObjectNode> account = resources.get(SERVICE_ACCOUNTS, namespace, accountName)
                .filter(sa -> accountUid.isEmpty() || accountUid.equals(uid(sa)));
        if (account.isEmpty()) {
            if (!confirmMissing) {
                return false;
            }
            LOG.info("deleting token secret {}/{}: service account {} {}", namespace, name, accountName,
                    accountUid.isEmpty() ? "does not exist" : "with uid " + accountUid + " does not exist");
            try {
                resources.delete(SECRETS, namespace, name);
            } catch (ResourceException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            return true;
        }
        ObjectNode sa = account.get();
        byte[] ca = readCa();
        ObjectNode data = secret.path("data").isObject() ? (ObjectNode) secret.get("data") : null;
        boolean needsToken = data == null || data.path("token").asString("").isEmpty();
        boolean needsNamespace = data == null || data.path("namespace").asString("").isEmpty();
        boolean needsCa = ca != null && (data == null || !Base64.getEncoder().encodeToString(ca)
                .equals(data.path("ca.crt").asString("")));
        boolean needsUid = !uid(sa).equals(accountUid);
        if (!needsToken && !needsNamespace && !needsCa && !needsUid) {
            return true;
        }
        ObjectNode copy = secret.deepCopy();
        ObjectNode newData = copy.withObjectProperty("data");
        if (ca != null) {
            newData.put("ca.crt", Base64.getEncoder().encodeToString(ca));
        }
        newData.put("namespace", base64(namespace));
        if (needsToken) {
            newData.put("token", base64(issuer.issueLegacy(namespace, accountName, uid(sa), name)));
        }
        ObjectNode newAnnotations = copy.withObjectProperty("metadata").withObjectProperty("annotations");
        newAnnotations.put(NAME_ANNOTATION, accountName);
        newAnnotations.put(UID_ANNOTATION, uid(sa));
        resources.update(SECRETS, copy);
        return true;
    }

    /** Deletes the token Secrets of a deleted service account (those naming its name and, when they name one, its uid). */
    boolean deleteTokens(String namespace, String accountName, String accountUid) {
        for (ObjectNode secret : resources.list(SECRETS, namespace)) {
            if (!isTokenSecret(secret)) {
                continue;
            }
            ObjectNode annotations = (ObjectNode) secret.path("metadata").path("annotations");
            String uid = annotations.path(UID_ANNOTATION).asString("");
            if (accountName.equals(annotations.path(NAME_ANNOTATION).asString(""))
                    && (uid.isEmpty() || uid.equals(accountUid))) {
                try {
                    resources.delete(SECRETS, namespace, name(secret));
                } catch (ResourceException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
        }
        return true;
    }

    private byte[] readCa() {
        try {
            byte[] ca = Files.readAllBytes(caFile);
            return ca.length == 0 ? null : ca;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster CA " + caFile + ": " + e.getMessage(), e);
        }
    }

    static boolean isTokenSecret(ObjectNode secret) {
        return TOKEN_TYPE.equals(secret.path("type").asString(""))
                && !secret.path("metadata").path("annotations").path(NAME_ANNOTATION).asString("").isEmpty();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String namespace(ObjectNode o) {
        return o.path("metadata").path("namespace").asString("");
    }

    private static String name(ObjectNode o) {
        return o.path("metadata").path("name").asString("");
    }

    private static String uid(ObjectNode o) {
        return o.path("metadata").path("uid").asString("");
    }
}
