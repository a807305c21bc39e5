/**
 * Admission: plugins that mutate or validate every write the apiserver accepts, after
 * authentication and authorization and before storage, as upstream's admission chain.
 *
 * <p>Plugins are whiteboard services: register a {@link dev.okube.api.admission.MutatingAdmission}
 * or {@link dev.okube.api.admission.ValidatingAdmission} and the apiserver calls it on the next
 * request. Mutating plugins run first, in order, then validating ones.
 */
@Export
@Version("1.0.0")
package dev.okube.api.admission;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
