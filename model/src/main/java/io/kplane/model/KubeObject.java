package io.kplane.model;

/**
 * A Kubernetes object with {@link ObjectMeta}. Every record of this package that is stored by the
 * API server implements it; {@link GenericObject} stands in for kinds this model does not know.
 */
public interface KubeObject extends ApiObject {
  ObjectMeta metadata();

  /** A copy with other metadata (the API server sets uid, resourceVersion, timestamps). */
  KubeObject withMetadata(ObjectMeta metadata);

  default String name() {
    return metadata() == null ? null : metadata().name();
  }

  default String namespace() {
    return metadata() == null ? null : metadata().namespace();
  }
}
