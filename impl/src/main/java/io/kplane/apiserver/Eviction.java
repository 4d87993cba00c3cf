package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.LabelSelector;
import io.kplane.model.Selector;
import io.kplane.model.Status;
import io.kplane.model.StatusCause;
import io.kplane.model.StatusDetails;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pods/eviction} subresource's rules (kube-apiserver's eviction REST): a pod whose
 * eviction would break its PodDisruptionBudget is refused with 429 TooManyRequests; otherwise the
 * budget's {@code status.disruptionsAllowed} is decremented and the pod noted in
 * {@code status.disruptedPods} (so the disruption controller does not count it healthy while its
 * deletion is under way) in the same compare-and-swap write, and then the pod is deleted.
 *
 * <p>Pure functions over the stored JSON; {@link HttpApi} does the reads and writes.
 */
final class Eviction {

    /** Upstream's MaxDisruptedPodSize: evictions not yet confirmed by the disruption controller. */
    static final int MAX_DISRUPTED_PODS = 2000;

    private Eviction() {}

    /**
     * Pods whose eviction never consults a budget (upstream {@code canIgnorePDB}): finished, still
     * pending, or already being deleted.
     */
    static boolean ignoresBudgets(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || pod.path("metadata").has("deletionTimestamp");
    }

    /**
     * The budgets in the pod's namespace whose selector matches its labels. A nil or empty
     * selector matches nothing here (upstream guards eviction so, although policy/v1 reads an
     * empty selector as "every pod" elsewhere).
     */
    static List<ObjectNode> budgetsOf(JsonNode pod, List<ObjectNode> budgets) {
        Map<String, String> labels = new HashMap<>();
        pod.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode pdb : budgets) {
            JsonNode sel = pdb.path("spec").path("selector");
            if (!sel.isObject()) {
                continue;
            }
            Selector s;
            try {
                s = Selector.of(io.kplane.model.Json.convert(sel, LabelSelector.class));
            } catch (RuntimeException bad) {
                continue;
            }
            if (!s.isEverything() && s.matches(labels)) {
                out.add(pdb);
            }
        }
        return out;
    }

    /** 500 as kube-apiserver: a pod covered by two budgets cannot be evicted. */
    static ApiException moreThanOneBudget() {
        return new ApiException(Status.internalError(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."));
    }

    /**
     * Whether an unready pod may go without using up the budget: with the default
     * unhealthyPodEvictionPolicy IfHealthyBudget, when the budget is met even without it
     * (currentHealthy ≥ desiredHealthy > 0); with AlwaysAllow, always.
     */
    static boolean unhealthyMayGo(JsonNode pod, JsonNode pdb) {
        if (ready(pod)) {
            return false;
        }
        if ("AlwaysAllow".equals(pdb.path("spec").path("unhealthyPodEvictionPolicy").asText(""))) {
            return true;
        }
        JsonNode st = pdb.path("status");
        long desired = st.path("desiredHealthy").asLong(0);
        return desired > 0 && st.path("currentHealthy").asLong(0) >= desired;
    }

    static boolean ready(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /**
     * The budget after admitting the eviction of {@code podName} at {@code now} (upstream
     * {@code checkAndDecrement}), or the refusal: 429 while the controller has not yet observed
     * the budget's generation or when no disruption is allowed, 403 for a negative allowance or an
     * overfull disruptedPods map.
     */
    static ObjectNode decrement(ObjectNode pdb, String podName, Instant now) {
        String name = pdb.path("metadata").path("name").asText();
        JsonNode st = pdb.path("status");
        if (st.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(0)) {
            throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.",
                    "The disruption budget " + name + " is still being processed by the server.");
        }
        long allowed = st.path("disruptionsAllowed").asLong(0);
        if (allowed < 0) {
            throw ApiException.forbidden("pdb disruptions allowed is negative");
        }
        if (st.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw ApiException.forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.",
                    "The disruption budget " + name + " needs " + st.path("desiredHealthy").asLong(0)
                            + " healthy pods and has " + st.path("currentHealthy").asLong(0) + " currently");
        }
        ObjectNode status = Defaults.obj(pdb, "status");
        status.put("disruptionsAllowed", allowed - 1);
        ObjectNode disrupted = Defaults.obj(status, "disruptedPods");
        disrupted.put(podName, DateTimeFormatter.ISO_INSTANT.format(now));
        if (allowed - 1 == 0) {
            setDisruptionAllowed(status, false, now);
        }
        return pdb;
    }

    /** The DisruptionAllowed condition (SufficientPods / InsufficientPods), as the controller writes it too. */
    static void setDisruptionAllowed(ObjectNode status, boolean allowed, Instant now) {
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        String s = allowed ? "True" : "False";
        for (JsonNode c : conditions) {
            if ("DisruptionAllowed".equals(c.path("type").asText())) {
                if (!s.equals(c.path("status").asText())) {
                    ((ObjectNode) c).put("status", s);
                    ((ObjectNode) c).put("reason", allowed ? "SufficientPods" : "InsufficientPods");
                    ((ObjectNode) c).put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now));
                }
                ((ObjectNode) c).put("observedGeneration", status.path("observedGeneration").asLong(0));
                return;
            }
        }
        ObjectNode c = conditions.addObject();
        c.put("type", "DisruptionAllowed");
        c.put("status", s);
        c.put("reason", allowed ? "SufficientPods" : "InsufficientPods");
        c.put("message", "");
        c.put("observedGeneration", status.path("observedGeneration").asLong(0));
        c.put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now));
    }

    private static ApiException tooManyRequests(String message, String cause) {
        StatusDetails details = new StatusDetails(null, null, null, null,
                List.of(StatusCause.of("DisruptionBudget", cause, null)), 0, null);
        return new ApiException(Status.failure(429, "TooManyRequests", message, details));
    }
}
