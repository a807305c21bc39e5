package dev.okube.apiserver.registry;

import dev.okube.api.admission.UserInfo;

/**
 * Options of a write: who writes, and whether it is a dry run ({@code dryRun=All}).
 *
 * @param user         the requesting user, for admission
 * @param dryRun       run every step but storage
 * @param fieldManager the manager recorded for the write
 */
public record WriteOptions(UserInfo user, boolean dryRun, String fieldManager) {
}
