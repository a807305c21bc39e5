package dev.okube.api.admission;

import org.osgi.annotation.versioning.ConsumerType;

/** An admission plugin that may change the object being written (set defaults, inject fields). */
@ConsumerType
public interface MutatingAdmission {
    /** The plugin's name, as in upstream's --enable-admission-plugins, e.g. "ServiceAccount". */
    String name();

    /** Changes {@code request.object()} in place if it wants to; a denial stops the request. */
    AdmissionResponse admit(AdmissionRequest request);
}
