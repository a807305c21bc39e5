/** The scheduler's status, read by the shell's {@code kube:scheduler} command. */
@Export
@Version("1.0.0")
package dev.okube.scheduler.status;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
