/**
 * Authorization: whiteboard {@link dev.okube.api.authorization.Authorizer} services decide whether a
 * user may perform a request, as upstream's authorizer chain (first allow or deny wins; no opinion
 * passes to the next).
 */
@Export
@Version("1.0.0")
package dev.okube.api.authorization;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
