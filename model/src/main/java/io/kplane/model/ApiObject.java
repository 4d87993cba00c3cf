package io.kplane.model;

import java.util.Map;

/**
 * Anything with {@code apiVersion} and {@code kind} at the top level: the objects themselves
 * ({@link KubeObject}), lists ({@link KubeList}) and {@link Status}. Reading JSON into this type
 * dispatches on {@code apiVersion}/{@code kind} (see {@link Kinds}).
 */
public interface ApiObject {
  String apiVersion();

  String kind();

  /** Fields this model does not know; written back unchanged. */
  Map<String, Object> extra();
}
