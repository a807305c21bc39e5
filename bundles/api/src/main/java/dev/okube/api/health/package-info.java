/**
 * Health checks contributed to the apiserver's {@code /healthz}, {@code /livez} and {@code /readyz}
 * (whiteboard: register a {@link dev.okube.api.health.HealthCheck} service and it appears as
 * {@code /readyz/<name>}).
 */
@Export
@Version("1.0.0")
package dev.okube.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
