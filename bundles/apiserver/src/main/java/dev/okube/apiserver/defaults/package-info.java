/**
 * Upstream Kubernetes' (1.32) defaulting of built-in kinds, applied to objects kept as JSON trees.
 *
 * <p>The REST layer calls {@link dev.okube.apiserver.defaults.Defaults#apply} wherever upstream
 * decodes into a versioned type (a request body, and an object read back from storage), and
 * {@link dev.okube.apiserver.defaults.Defaults#prepareForCreate} on create, after system metadata is
 * set, for the values upstream's registry strategies add. Everything else in the package is internal.
 */
package dev.okube.apiserver.defaults;
