package io.kplane.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality-of-service class of a pod, computed as Kubernetes' {@code ComputePodQOS} does.
 *
 * <p>Only {@code cpu} and {@code memory} count. Per container (init containers included): no
 * requests and no limits at all is BestEffort; request different from limit for cpu or memory is
 * Burstable; otherwise Guaranteed if both are set, BestEffort if both are unset, Burstable when one
 * is set and the other not. The pod is Burstable if any container is, or if BestEffort and
 * Guaranteed containers are mixed; else the common class. When pod-level resources
 * ({@code spec.resources}) are given they decide alone. Requests missing for a resource that has a
 * limit default to the limit first, as the API server's defaulting does.
 */
public enum QosClass {
  GUARANTEED("Guaranteed"),
  BURSTABLE("Burstable"),
  BEST_EFFORT("BestEffort");

  private static final List<String> QOS_RESOURCES = List.of("cpu", "memory");

  private final String value;

  QosClass(String value) {
    this.value = value;
  }

  /** The API value ({@code status.qosClass}). */
  public String value() {
    return value;
  }

  public static QosClass fromValue(String value) {
    for (QosClass c : values()) {
      if (c.value.equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown QoS class \"" + value + "\" (expected Guaranteed, Burstable or BestEffort)");
  }

  /** GetPodQOS: {@code status.qosClass} when set, else computed from the spec. */
  public static QosClass of(Pod pod) {
    PodStatus status = pod.status();
    if (status != null && status.qosClass() != null && !status.qosClass().isEmpty()) {
      return fromValue(status.qosClass());
    }
    return compute(pod.spec());
  }

  /** ComputePodQOS over the spec (a null spec has no containers: BestEffort). */
  public static QosClass compute(PodSpec spec) {
    if (spec == null) {
      return BEST_EFFORT;
    }
    if (spec.resources() != null) {
      return of(spec.resources());
    }
    QosClass pod = null;
    for (List<Container> group : List.of(spec.initContainers(), spec.containers())) {
      for (Container c : group) {
        QosClass q = of(c.resourcesOrEmpty());
        if (q == BURSTABLE) {
          return BURSTABLE;
        }
        if (pod == null) {
          pod = q;
        } else if (pod != q) {
          return BURSTABLE;
        }
      }
    }
    return pod == null ? BEST_EFFORT : pod;
  }

  /** The class of one set of requirements, after defaulting requests to limits. */
  public static QosClass of(ResourceRequirements resources) {
    if (resources.requests().isEmpty() && resources.limits().isEmpty()) {
      return BEST_EFFORT;
    }
    Map<String, Quantity> requests = new HashMap<>(resources.requests());
    resources.limits().forEach(requests::putIfAbsent);
    QosClass qos = null;
    for (String name : QOS_RESOURCES) {
      Quantity req = requests.getOrDefault(name, Quantity.ZERO);
      Quantity lim = resources.limits().getOrDefault(name, Quantity.ZERO);
      if (!req.equals(lim)) {
        return BURSTABLE;
      }
      boolean bestEffort = req.isZero();
      QosClass here = bestEffort ? BEST_EFFORT : GUARANTEED;
      if (qos == null) {
        qos = here;
      } else if (qos != here) {
        return BURSTABLE;
      }
    }
    return qos;
  }
}
