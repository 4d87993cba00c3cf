package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code metadata} of every stored object (metav1.ObjectMeta). */
public record ObjectMeta(
    String name,
    String generateName,
    String namespace,
    String uid,
    String resourceVersion,
    Long generation,
    Instant creationTimestamp,
    Instant deletionTimestamp,
    Long deletionGracePeriodSeconds,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<OwnerReference> ownerReferences,
    List<String> finalizers,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ObjectMeta {
    labels = Immutable.map(labels);
    annotations = Immutable.map(annotations);
    ownerReferences = Immutable.list(ownerReferences);
    finalizers = Immutable.list(finalizers);
    extra = Immutable.map(extra);
  }

  /** Metadata with just a namespace (null for cluster-scoped objects) and a name. */
  public static ObjectMeta of(String namespace, String name) {
    return new ObjectMeta(name, null, namespace, null, null, null, null, null, null, null, null, null, null, null);
  }

  public ObjectMeta withName(String name) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withGenerateName(String generateName) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withNamespace(String namespace) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withUid(String uid) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withResourceVersion(String resourceVersion) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withGeneration(Long generation) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withCreationTimestamp(Instant creationTimestamp) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withDeletionTimestamp(Instant deletionTimestamp) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withDeletionGracePeriodSeconds(Long deletionGracePeriodSeconds) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withLabels(Map<String, String> labels) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withLabel(String key, String value) {
    return withLabels(Immutable.with(labels, key, value));
  }

  public ObjectMeta withAnnotations(Map<String, String> annotations) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withAnnotation(String key, String value) {
    return withAnnotations(Immutable.with(annotations, key, value));
  }

  public ObjectMeta withOwnerReferences(List<OwnerReference> ownerReferences) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  public ObjectMeta withFinalizers(List<String> finalizers) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, extra);
  }

  /** The owner reference with {@code controller: true}, or null. */
  public OwnerReference controllerRef() {
    for (OwnerReference ref : ownerReferences) {
      if (Boolean.TRUE.equals(ref.controller())) {
        return ref;
      }
    }
    return null;
  }
}
