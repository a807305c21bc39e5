package dev.okube.apiserver;

import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.Authorizer.Verdict;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The authorizer chain over the Authorizer services installed right now, as upstream's union
 * authorizer: the first allow or deny decides; no opinion passes on. With no authorizer installed
 * at all (a development cluster, which also has no authentication yet) everything is allowed.
 */
final class Authorizers {
    private final List<Authorizer> authorizers = new CopyOnWriteArrayList<>();

    void add(Authorizer authorizer) {
        authorizers.add(authorizer);
    }

    void remove(Authorizer authorizer) {
        authorizers.remove(authorizer);
    }

    /** Whether any authorizer is installed, i.e. whether rules can only be partly known. */
    boolean any() {
        return !authorizers.isEmpty();
    }

    Verdict authorize(AuthorizationRequest request) {
        if (authorizers.isEmpty()) {
            return new Verdict(Decision.ALLOW, "no authorizer is installed: every request is allowed");
        }
        for (Authorizer authorizer : authorizers) {
            Verdict verdict;
            try {
                verdict = authorizer.authorize(request);
            } catch (RuntimeException e) {
                return new Verdict(Decision.DENY, "authorizer " + authorizer.name() + " failed: " + e);
            }
            if (verdict != null && verdict.decision() != Decision.NO_OPINION) {
                return verdict;
            }
        }
        return new Verdict(Decision.DENY, "");
    }
}
