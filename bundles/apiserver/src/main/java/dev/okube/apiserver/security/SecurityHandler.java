package dev.okube.apiserver.security;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.Authorizer.Verdict;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.ApiHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Authentication, impersonation and authorization in front of every handler, in upstream's filter
 * order: who is asking (the authenticator chain; 401 when nobody vouches), as whom
 * ({@code Impersonate-*} headers, each allowed by the {@code impersonate} verb), and whether they
 * may (the authorizer chain; 403 otherwise). Handlers behind it read the user with {@link Users#of}.
 */
public final class SecurityHandler extends Handler.Wrapper {
    private static final String IMPERSONATE_USER = "impersonate-user";
    private static final String IMPERSONATE_UID = "impersonate-uid";
    private static final String IMPERSONATE_GROUP = "impersonate-group";
    private static final String IMPERSONATE_EXTRA = "impersonate-extra-";

    private final AuthenticatorChain authenticators;
    private final AuthorizerChain authorizers;

    public SecurityHandler(Handler handler, AuthenticatorChain authenticators, AuthorizerChain authorizers) {
        super(handler);
        this.authenticators = authenticators;
        this.authorizers = authorizers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>()).add(field.getValue());
        }
        AuthenticationResult authn = authenticators.authenticate(
                new AuthenticationRequest(headers, clientCertificates(request), Request.getRemoteAddr(request)));
        if (authn.outcome() != Outcome.AUTHENTICATED) {
            refuse(request, response, callback, new ApiException(401, "Unauthorized", "Unauthorized"));
            return true;
        }
        UserInfo user = authn.user();
        try {
            user = impersonate(user, headers);
        } catch (ApiException e) {
            refuse(request, response, callback, e);
            return true;
        }
        Fields query = Request.extractQueryParameters(request);
        String watch = query.getValue("watch");
        RequestAttributes attributes = RequestAttributes.parse(request.getMethod(),
                request.getHttpURI().getDecodedPath(), "true".equals(watch) || "1".equals(watch));
        Verdict verdict = authorizers.authorize(toRequest(user, attributes));
        if (verdict.decision() != Decision.ALLOW) {
            refuse(request, response, callback, forbidden(user, attributes, verdict.reason()));
            return true;
        }
        Users.set(request, user);
        return super.handle(request, response, callback);
    }

    private static List<X509Certificate> clientCertificates(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                && ssl.peerCertificates() != null) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ssl.peerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        }
        return List.of();
    }

    static AuthorizationRequest toRequest(UserInfo user, RequestAttributes a) {
        return new AuthorizationRequest(user, a.verb(), a.resourceRequest(), a.group(), a.version(), a.resource(),
                a.subresource(), a.namespace(), a.name(), a.path());
    }

    /** The impersonated user, when the request asks for one and its user may impersonate every part of it. */
    private UserInfo impersonate(UserInfo requester, Map<String, List<String>> headers) {
        List<String> users = headers.getOrDefault(IMPERSONATE_USER, List.of());
        List<String> groups = headers.getOrDefault(IMPERSONATE_GROUP, List.of());
        List<String> uids = headers.getOrDefault(IMPERSONATE_UID, List.of());
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().startsWith(IMPERSONATE_EXTRA)) {
                String key = URLDecoder.decode(h.getKey().substring(IMPERSONATE_EXTRA.length()), StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT);
                extra.computeIfAbsent(key, k -> new ArrayList<>()).addAll(h.getValue());
            }
        }
        if (users.isEmpty()) {
            if (!groups.isEmpty() || !uids.isEmpty() || !extra.isEmpty()) {
                throw ApiException.badRequest("requested " + describe(groups, uids, extra) + " without impersonating a user");
            }
            return requester;
        }
        String name = users.get(0);
        String[] sa = Users.serviceAccount(name);
        check(requester, sa != null
                ? new RequestAttributes(true, "impersonate", "", "", "serviceaccounts", "", sa[0], sa[1], "")
                : new RequestAttributes(true, "impersonate", "", "", "users", "", "", name, ""));
        for (String group : groups) {
            check(requester, new RequestAttributes(true, "impersonate", "", "", "groups", "", "", group, ""));
        }
        for (String uid : uids) {
            check(requester, new RequestAttributes(true, "impersonate", "authentication.k8s.io", "", "uids", "", "",
                    uid, ""));
        }
        for (Map.Entry<String, List<String>> e : extra.entrySet()) {
            for (String value : e.getValue()) {
                check(requester, new RequestAttributes(true, "impersonate", "authentication.k8s.io", "", "userextras",
                        e.getKey(), "", value, ""));
            }
        }
        List<String> finalGroups = new ArrayList<>(groups);
        if (sa != null && groups.isEmpty()) {
            finalGroups.add("system:serviceaccounts");
            finalGroups.add("system:serviceaccounts:" + sa[0]);
        }
        String implied = name.equals(Users.ANONYMOUS) ? Users.UNAUTHENTICATED : Users.AUTHENTICATED;
        if (!finalGroups.contains(implied)) {
            finalGroups.add(implied);
        }
        return new UserInfo(name, uids.isEmpty() ? "" : uids.get(0), finalGroups, extra);
    }

    private void check(UserInfo requester, RequestAttributes wanted) {
        Verdict verdict = authorizers.authorize(toRequest(requester, wanted));
        if (verdict.decision() != Decision.ALLOW) {
            throw forbidden(requester, wanted, verdict.reason());
        }
    }

    private static String describe(List<String> groups, List<String> uids, Map<String, List<String>> extra) {
        List<String> parts = new ArrayList<>();
        groups.forEach(g -> parts.add("group \"" + g + "\""));
        uids.forEach(u -> parts.add("uid \"" + u + "\""));
        extra.forEach((k, v) -> parts.add("extra \"" + k + "\""));
        return String.join(", ", parts);
    }

    /** Upstream's Forbidden answer: its message names the user, the verb and what was asked. */
    static ApiException forbidden(UserInfo user, RequestAttributes a, String reason) {
        String why;
        if (!a.resourceRequest()) {
            why = "User \"" + user.name() + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
        } else {
            String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
            why = "User \"" + user.name() + "\" cannot " + a.verb() + " resource \"" + resource + "\" in API group \""
                    + a.group() + "\"" + (a.namespace().isEmpty() ? " at the cluster scope"
                    : " in the namespace \"" + a.namespace() + "\"");
        }
        if (reason != null && !reason.isEmpty()) {
            why += ": " + reason;
        }
        if (!a.resourceRequest()) {
            return ApiException.forbidden("forbidden: " + why, "", "", "");
        }
        String qualified = a.group().isEmpty() ? a.resource() : a.resource() + "." + a.group();
        String message = a.name().isEmpty() ? qualified + " is forbidden: " + why
                : qualified + " \"" + a.name() + "\" is forbidden: " + why;
        return ApiException.forbidden(message, a.name(), a.group(), a.resource());
    }

    private static void refuse(Request request, Response response, Callback callback, ApiException e) {
        try {
            // Read away an unread body so the connection stays usable for the client's next request.
            Content.Source.consumeAll(request);
        } catch (Exception ignored) {
            // The connection will be closed instead.
        }
        ApiHandler.writeError(response, callback, e);
    }

}
