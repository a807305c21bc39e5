package dev.okube.api.admission;

import org.osgi.annotation.versioning.ConsumerType;

/** An admission plugin that only accepts or rejects a write; it must not change the object. */
@ConsumerType
public interface ValidatingAdmission {
    /** The plugin's name, as in upstream's --enable-admission-plugins, e.g. "ResourceQuota". */
    String name();

    AdmissionResponse validate(AdmissionRequest request);
}
