/**
 * Label and field selectors as the Kubernetes 1.32 apiserver parses and applies them, with upstream's
 * error texts for 400 BadRequest answers, and the selectable fields of each built-in kind.
 */
package dev.okube.apiserver.selection;
