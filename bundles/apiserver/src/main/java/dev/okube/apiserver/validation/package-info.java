/**
 * Object metadata validation as the Kubernetes 1.32 apiserver does it, producing field errors whose
 * texts, reasons and aggregate 422 message match upstream's, plus name generation for generateName.
 */
package dev.okube.apiserver.validation;
