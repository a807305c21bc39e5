package dev.okube.apiserver.registry;

import dev.okube.api.admission.UserInfo;
import java.util.function.Consumer;

/**
 * Options of a write: who writes, whether it is a dry run ({@code dryRun=All}), and where warnings
 * for the client go.
 *
 * @param user         the requesting user, for admission
 * @param dryRun       run every step but storage
 * @param fieldManager the manager recorded for the write
 * @param warnings     receives warnings from admission plugins (HTTP Warning headers for API requests)
 */
public record WriteOptions(UserInfo user, boolean dryRun, String fieldManager, Consumer<String> warnings) {
    private static final Consumer<String> IGNORED = w -> { };

    /** Options whose warnings nobody reads (in-process writes). */
    public WriteOptions(UserInfo user, boolean dryRun, String fieldManager) {
        this(user, dryRun, fieldManager, IGNORED);
    }

    public WriteOptions withDryRun(boolean dryRun) {
        return new WriteOptions(user, dryRun, fieldManager, warnings);
    }

    public WriteOptions withFieldManager(String fieldManager) {
        return new WriteOptions(user, dryRun, fieldManager, warnings);
    }
}
