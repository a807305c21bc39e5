/**
 * Server-side printing for {@code kubectl get}: the {@code meta.k8s.io/v1} Table columns and cells that upstream's
 * {@code pkg/printers/internalversion} produces (Kubernetes 1.32), computed from stored JSON objects.
 *
 * <p>{@link dev.okube.apiserver.tables.Tables#forKind} gives the {@link dev.okube.apiserver.tables.TableConvertor}
 * of a kind. Like upstream's server, cells always include the {@code -o wide} columns (priority 1); kubectl hides
 * them unless asked. The REST layer wraps the result as
 * {@code {"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":..},"columnDefinitions":[..],
 * "rows":[{"cells":[..],"object":{PartialObjectMetadata}}]}}; upstream additionally marks rows of Succeeded and
 * Failed pods with {@code "conditions":[{"type":"Completed","status":"True","reason":<phase>,"message":..}]}.
 * Objects are printed as stored: fields a real server fills in by defaulting (replicas, service type...) print as
 * absent when the store lacks them.
 */
package dev.okube.apiserver.tables;
