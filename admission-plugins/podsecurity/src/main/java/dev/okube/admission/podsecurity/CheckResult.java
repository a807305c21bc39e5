package dev.okube.admission.podsecurity;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one check on one pod: allowed, or a short reason ("host namespaces") with a
 * detail naming what is wrong ("hostNetwork=true").
 */
record CheckResult(boolean allowed, String reason, String detail) {
    static final CheckResult ALLOWED = new CheckResult(true, "", "");
    static final String UNKNOWN_REASON = "unknown forbidden reason";

    static CheckResult forbidden(String reason, String detail) {
        return new CheckResult(false, reason, detail);
    }

    /** The failed checks of an evaluation, in the order they ran (upstream's AggregateCheckResult). */
    record Aggregate(List<String> reasons, List<String> details) {
        static Aggregate of(List<CheckResult> results) {
            List<String> reasons = new ArrayList<>();
            List<String> details = new ArrayList<>();
            for (CheckResult r : results) {
                if (!r.allowed()) {
                    reasons.add(r.reason().isEmpty() ? UNKNOWN_REASON : r.reason());
                    details.add(r.detail());
                }
            }
            return new Aggregate(List.copyOf(reasons), List.copyOf(details));
        }

        boolean allowed() {
            return reasons.isEmpty();
        }

        /** "privileged, host namespaces": the reasons alone, as namespace warnings list them. */
        String reasonText() {
            return String.join(", ", reasons);
        }

        /** "privileged (container \"c\" must not ...), host namespaces (hostNetwork=true)". */
        String detailText() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < reasons.size(); i++) {
                b.append(reasons.get(i));
                if (!details.get(i).isEmpty()) {
                    b.append(" (").append(details.get(i)).append(')');
                }
                if (i != reasons.size() - 1) {
                    b.append(", ");
                }
            }
            return b.toString();
        }
    }
}
