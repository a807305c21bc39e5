package dev.okube.api.admission;

import java.util.List;

/**
 * A plugin's verdict. A denial carries the HTTP code, the Status reason and the message the client
 * sees (upstream plugins mostly answer 403 Forbidden or 422 Invalid).
 *
 * @param allowed  whether the request may proceed
 * @param code     the HTTP status of a denial
 * @param reason   the Status reason of a denial, e.g. "Forbidden"
 * @param message  the Status message of a denial
 * @param warnings texts returned to the client as Warning headers, allowed or not
 */
public record AdmissionResponse(boolean allowed, int code, String reason, String message, List<String> warnings) {
    private static final AdmissionResponse ALLOW = new AdmissionResponse(true, 200, "", "", List.of());

    public AdmissionResponse {
        warnings = List.copyOf(warnings);
    }

    public static AdmissionResponse allow() {
        return ALLOW;
    }

    public static AdmissionResponse deny(int code, String reason, String message) {
        return new AdmissionResponse(false, code, reason, message, List.of());
    }

    public AdmissionResponse withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new AdmissionResponse(allowed, code, reason, message, all);
    }
}
