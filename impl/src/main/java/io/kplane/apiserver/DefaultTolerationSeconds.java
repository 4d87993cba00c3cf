package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The DefaultTolerationSeconds admission plugin (kube-apiserver's
 * plugin/pkg/admission/defaulttolerationseconds, enabled by default): a pod created without a
 * toleration for the {@code node.kubernetes.io/not-ready} or {@code node.kubernetes.io/unreachable}
 * NoExecute taint gets one with {@code tolerationSeconds} (300 s each by default, kube-apiserver's
 * {@code --default-not-ready-toleration-seconds} / {@code --default-unreachable-toleration-seconds}).
 * That is why an ordinary pod survives a node's short outage for five minutes: the node lifecycle
 * controller itself evicts a pod without a matching toleration at once.
 *
 * <p>As upstream, a toleration counts as present when its key is the taint's key or empty and its
 * effect is NoExecute or empty, whatever its operator and value. Applied on create only: upstream
 * also admits updates, but an update cannot remove tolerations, so a pod that passed create keeps
 * them. Runs after the request's managedFields are recorded, so the added tolerations belong to no
 * field manager (admission mutations are not a client's intent).
 *
 * @param notReadySeconds    tolerationSeconds of the added not-ready toleration
 * @param unreachableSeconds tolerationSeconds of the added unreachable toleration
 */
public record DefaultTolerationSeconds(long notReadySeconds, long unreachableSeconds) {
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final DefaultTolerationSeconds UPSTREAM = new DefaultTolerationSeconds(300, 300);

  public DefaultTolerationSeconds {
    if (notReadySeconds < 0 || unreachableSeconds < 0) {
      throw new IllegalArgumentException("default toleration seconds must not be negative");
    }
  }

  /** Adds the missing not-ready/unreachable tolerations to a pod about to be created. */
  void admit(ObjectNode pod) {
    ObjectNode spec = Defaults.obj(pod, "spec");
    boolean notReady = false;
    boolean unreachable = false;
    JsonNode existing = spec.path("tolerations");
    for (JsonNode t : existing) {
      String key = t.path("key").asText("");
      String effect = t.path("effect").asText("");
      boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
      notReady |= noExecute && (key.isEmpty() || key.equals(NOT_READY));
      unreachable |= noExecute && (key.isEmpty() || key.equals(UNREACHABLE));
    }
    if (notReady && unreachable) {
      return;
    }
    ArrayNode list = existing instanceof ArrayNode a ? a : spec.putArray("tolerations");
    if (!notReady) {
      add(list, NOT_READY, notReadySeconds);
    }
    if (!unreachable) {
      add(list, UNREACHABLE, unreachableSeconds);
    }
  }

  private static void add(ArrayNode list, String key, long seconds) {
    ObjectNode t = list.addObject();
    t.put("key", key);
    t.put("operator", "Exists");
    t.put("effect", "NoExecute");
    if (seconds == (int) seconds) {
      t.put("tolerationSeconds", (int) seconds);   // the node a decode of the stored bytes yields
    } else {
      t.put("tolerationSeconds", seconds);
    }
  }
}
