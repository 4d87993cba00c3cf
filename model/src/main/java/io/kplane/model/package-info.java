/**
 * Kubernetes API objects as immutable records with the Kubernetes JSON shape, plus
 * {@code Quantity}, {@code LabelSelector} and the JSON/YAML codec. Depends on nothing of ours.
 */
package io.kplane.model;
