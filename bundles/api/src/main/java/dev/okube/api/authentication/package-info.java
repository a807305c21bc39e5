/**
 * Authentication: whiteboard {@link dev.okube.api.authentication.Authenticator} services turn a
 * request's credentials (client certificate, bearer token) into a user, as upstream's union
 * authenticator: they are tried in order (configuration, then service ranking) and the first that
 * authenticates decides. A {@link dev.okube.api.authentication.ServiceAccountTokenIssuer} service
 * signs service-account tokens for the TokenRequest API.
 */
@Export
@Version("1.0.0")
package dev.okube.api.authentication;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
