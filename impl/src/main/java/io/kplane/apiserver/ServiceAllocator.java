package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import io.kplane.model.StatusCause;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Cluster IPs and node ports (30000-32767) for services, with Kubernetes' dual-stack rules: the
 * server has one service CIDR per IP family it serves ({@link ServiceCidr}, primary first); a
 * Service's {@code spec.ipFamilyPolicy} (SingleStack, PreferDualStack, RequireDualStack) and
 * {@code spec.ipFamilies} decide which families it gets, and it gets one cluster IP per family in
 * {@code spec.clusterIPs}, with {@code spec.clusterIP == spec.clusterIPs[0]}. The families and
 * policy are defaulted on the way in, as kube-apiserver does (not by the static {@link Defaults},
 * because they depend on how this server is configured).
 *
 * <p>The IPs in use are read from the services in storage, so a deleted Service's IPs are free
 * again at once and an update that drops a secondary IP releases it. Allocations are serialized
 * here; a second API server process on the same store could race it (upstream keeps a bitmap in
 * storage for that — not done here).
 */
final class ServiceAllocator {
  static final String SINGLE_STACK = "SingleStack";
  static final String PREFER_DUAL_STACK = "PreferDualStack";
  static final String REQUIRE_DUAL_STACK = "RequireDualStack";
  private static final List<String> POLICIES = List.of(SINGLE_STACK, PREFER_DUAL_STACK, REQUIRE_DUAL_STACK);

  private final Storage storage;
  private final ResourceType services;
  private final Random random;
  private final List<ServiceCidr> cidrs;

  ServiceAllocator(Storage storage, ResourceType services, Random random, List<ServiceCidr> cidrs) {
    if (cidrs.isEmpty() || cidrs.size() > 2) {
      throw new IllegalArgumentException("one or two service CIDRs, not " + cidrs);
    }
    this.storage = storage;
    this.services = services;
    this.random = random;
    this.cidrs = List.copyOf(cidrs);
  }

  /** Fills in the IP family fields, cluster IPs and node ports of a Service about to be created. */
  synchronized void allocate(ObjectNode svc) {
    ObjectNode spec = Defaults.obj(svc, "spec");
    if (spec.path("type").asText("ClusterIP").equals("ExternalName")) {
      return;
    }
    InUse inUse = inUse(null);
    assignIPs(svc, null, () -> inUse);
    assignNodePorts(spec, inUse.ports);
  }

  /**
   * An update: fields the client left out keep their stored values, then the IP family rules run
   * against the stored object — the primary cluster IP and family may not change, a secondary may
   * be added (upgrade to dual-stack) or dropped (downgrade to SingleStack), and any new IP is
   * allocated or checked as on create.
   */
  synchronized void keep(ObjectNode next, ObjectNode old) {
    ObjectNode spec = Defaults.obj(next, "spec");
    JsonNode oldSpec = old.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    String oldType = oldSpec.path("type").asText("ClusterIP");
    if (type.equals("ExternalName")) {
      // An ExternalName service has no cluster IPs; its old ones are released with this write.
      spec.remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"));
      return;
    }
    for (String f : new String[] {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
      if (!spec.has(f) && oldSpec.has(f) && !oldType.equals("ExternalName")) {
        spec.set(f, oldSpec.get(f));
      }
    }
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port && !port.has("nodePort")) {
        for (JsonNode op : oldSpec.path("ports")) {
          if (op.path("port").equals(port.path("port")) && op.has("nodePort")) {
            port.set("nodePort", op.get("nodePort"));
          }
        }
      }
    }
    // Most updates allocate nothing (status, labels, selector): the services are listed only when needed.
    InUse[] listed = {null};
    Supplier<InUse> inUse = () -> listed[0] != null ? listed[0] : (listed[0] = inUse(old));
    assignIPs(next, oldType.equals("ExternalName") ? null : oldSpec, inUse);
    if (!spec.path("ports").equals(oldSpec.path("ports")) || !type.equals(oldType)) {
      assignNodePorts(spec, inUse.get().ports);
    }
  }

  // ------------------------------------------------------------------------------- IP families

  /** The IP families and cluster IPs of {@code svc}, resolved and allocated in place; 422 with every problem found. */
  private void assignIPs(ObjectNode svc, JsonNode oldSpec, Supplier<InUse> inUse) {
    ObjectNode spec = (ObjectNode) svc.get("spec");
    List<StatusCause> errors = new ArrayList<>();
    List<String> ips = strings(spec.path("clusterIPs"));
    String ip = spec.path("clusterIP").asText("");
    if (ips.isEmpty() && !ip.isEmpty()) {
      ips.add(ip);
    } else if (ip.isEmpty() && !ips.isEmpty()) {
      ip = ips.get(0);
    } else if (!ips.isEmpty() && !ips.get(0).equals(ip)) {
      invalid(errors, "spec.clusterIPs[0]", ips.get(0), "must match `spec.clusterIP`");
    }
    boolean headless = ip.equals("None");
    List<String> families = strings(spec.path("ipFamilies"));
    String policy = spec.path("ipFamilyPolicy").isTextual() ? spec.path("ipFamilyPolicy").asText() : null;
    String oldPolicy = oldSpec == null ? null : oldSpec.path("ipFamilyPolicy").asText(null);
    List<String> oldIps = oldSpec == null ? List.of() : strings(oldSpec.path("clusterIPs"));
    List<String> oldFamilies = oldSpec == null ? List.of() : strings(oldSpec.path("ipFamilies"));

    // Field syntax first: with a malformed value nothing below can be decided.
    if (policy != null && !POLICIES.contains(policy)) {
      errors.add(new StatusCause("FieldValueNotSupported", "Unsupported value: \"" + policy
          + "\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"", "spec.ipFamilyPolicy", null));
    }
    for (int i = 0; i < families.size(); i++) {
      String f = families.get(i);
      if (!f.equals(ServiceCidr.IPV4) && !f.equals(ServiceCidr.IPV6)) {
        errors.add(new StatusCause("FieldValueNotSupported", "Unsupported value: \"" + f + "\": supported values: \"IPv4\", \"IPv6\"",
            "spec.ipFamilies[" + i + "]", null));
      } else if (families.indexOf(f) < i) {
        errors.add(new StatusCause("FieldValueDuplicate", "Duplicate value: \"" + f + "\"", "spec.ipFamilies[" + i + "]", null));
      }
    }
    if (families.size() > 2) {
      invalid(errors, "spec.ipFamilies", families, "may specify no more than one IP for each IP family");
    }
    if (ips.size() > 2) {
      invalid(errors, "spec.clusterIPs", ips, "may specify no more than one IP for each IP family");
    }
    for (int i = 0; i < ips.size(); i++) {
      String v = ips.get(i);
      if (v.equals("None") ? i > 0 || ips.size() > 1 : ServiceCidr.familyOf(v) == null) {
        invalid(errors, "spec.clusterIPs[" + i + "]", v, v.equals("None")
            ? "a headless service may not have other cluster IPs" : "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
      }
    }
    fail(svc, errors);

    boolean downgrade = oldSpec != null && SINGLE_STACK.equals(policy) && oldPolicy != null && !oldPolicy.equals(SINGLE_STACK);
    if (downgrade) {
      // Downgrade to SingleStack: the secondary IP and family go (and so are released).
      if (ips.size() == 2 && ips.equals(oldIps)) {
        ips = new ArrayList<>(ips.subList(0, 1));
      }
      if (families.size() == 2 && families.equals(oldFamilies)) {
        families = new ArrayList<>(families.subList(0, 1));
      }
    } else if (oldIps.size() > ips.size() && oldIps.subList(0, ips.size()).equals(ips)) {
      // A client that sent only the primary IP (clusterIP alone, say) keeps the secondary it holds.
      ips = new ArrayList<>(oldIps);
    }
    if (oldSpec != null) {
      // Before the families are inferred from the IPs: a changed primary is reported as such.
      immutable(errors, ips, families, oldIps, oldFamilies, headless);
      fail(svc, errors);
    }
    // No policy given: dual-stack when two IPs or families were asked for, else single (never a silent change).
    if (policy == null) {
      policy = ips.size() == 2 || families.size() == 2 ? REQUIRE_DUAL_STACK : SINGLE_STACK;
    }
    if (policy.equals(SINGLE_STACK)) {
      if (ips.size() > 1) {
        invalid(errors, "spec.ipFamilyPolicy", policy, "must be RequireDualStack or PreferDualStack when multiple 'clusterIPs' are specified");
      }
      if (families.size() > 1) {
        invalid(errors, "spec.ipFamilyPolicy", policy, "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified");
      }
    }
    // Families follow the IPs the client chose.
    for (int i = 0; i < ips.size(); i++) {
      if (ips.get(i).equals("None")) {
        continue;
      }
      String f = ServiceCidr.familyOf(ips.get(i));
      if (i < families.size()) {
        if (!families.get(i).equals(f)) {
          invalid(errors, "spec.clusterIPs[" + i + "]", ips.get(i), "expected an " + families.get(i) + " value as indicated by `ipFamilies[" + i + "]`");
        }
      } else {
        families.add(f);
      }
    }
    if (ips.size() == 2 && ServiceCidr.familyOf(ips.get(0)) != null && ServiceCidr.familyOf(ips.get(0)).equals(ServiceCidr.familyOf(ips.get(1)))) {
      invalid(errors, "spec.clusterIPs[1]", ips.get(1), "may specify no more than one IP for each IP family");
    }
    fail(svc, errors);
    if (families.isEmpty()) {
      families.add(cidrs.get(0).family());
    }
    boolean dualStackCluster = cidrs.size() == 2;
    // PreferDualStack is not upgraded behind the client's back on an unrelated update (only when the
    // policy is set to it now, or on create): the cluster may have become dual-stack since.
    boolean preferUpgrade = policy.equals(PREFER_DUAL_STACK) && (oldSpec == null || !PREFER_DUAL_STACK.equals(oldPolicy));
    if ((policy.equals(REQUIRE_DUAL_STACK) || preferUpgrade) && families.size() == 1 && dualStackCluster) {
      families.add(cidrs.get(0).family().equals(families.get(0)) ? cidrs.get(1).family() : cidrs.get(0).family());
    }
    if (policy.equals(REQUIRE_DUAL_STACK) && !dualStackCluster) {
      invalid(errors, "spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services");
    }
    for (int i = 0; i < families.size(); i++) {
      if (cidr(families.get(i)) == null) {
        invalid(errors, "spec.ipFamilies[" + i + "]", families.get(i), "not configured on this cluster");
      }
    }
    fail(svc, errors);

    if (headless) {
      ips = new ArrayList<>(List.of("None"));
    } else {
      for (int i = 0; i < families.size(); i++) {
        ServiceCidr range = cidr(families.get(i));
        if (i < ips.size()) {
          String chosen = ips.get(i);
          if (oldIps.contains(chosen)) {
            continue; // this Service's own
          }
          if (!range.contains(chosen)) {
            throw allocationFailed(svc, chosen, "the provided IP (" + chosen + ") is not in the valid range. The range of valid IPs is " + range);
          }
          if (inUse.get().ips.contains(ServiceCidr.canonical(chosen))) {
            throw allocationFailed(svc, chosen, "provided IP is already allocated");
          }
          inUse.get().ips.add(ServiceCidr.canonical(chosen));
        } else {
          String fresh = next(range, inUse.get().ips);
          inUse.get().ips.add(fresh);
          ips.add(fresh);
        }
      }
    }
    ArrayNode outIps = spec.putArray("clusterIPs");
    ips.forEach(outIps::add);
    spec.put("clusterIP", ips.get(0));
    ArrayNode outFamilies = spec.putArray("ipFamilies");
    families.forEach(outFamilies::add);
    spec.put("ipFamilyPolicy", policy);
  }

  /** Upstream's update rules: what was allocated stays, except that a downgrade drops the secondary. */
  private static void immutable(List<StatusCause> errors, List<String> ips, List<String> families, List<String> oldIps,
                                List<String> oldFamilies, boolean headless) {
    for (int i = 0; i < Math.min(ips.size(), oldIps.size()); i++) {
      if (!ips.get(i).equals(oldIps.get(i))) {
        invalid(errors, "spec.clusterIPs[" + i + "]", ips.get(i), "may not change once set");
      }
    }
    if (!headless && ips.isEmpty() && !oldIps.isEmpty() && !oldIps.get(0).equals("None")) {
      invalid(errors, "spec.clusterIPs", ips, "primary clusterIP can not be unset");
    }
    for (int i = 0; i < Math.min(families.size(), oldFamilies.size()); i++) {
      if (!families.get(i).equals(oldFamilies.get(i))) {
        invalid(errors, "spec.ipFamilies[" + i + "]", families.get(i), "may not change once set");
      }
    }
  }

  private ServiceCidr cidr(String family) {
    for (ServiceCidr c : cidrs) {
      if (c.family().equals(family)) {
        return c;
      }
    }
    return null;
  }

  /** A free address of {@code range}: random tries first (as upstream's allocator), then a scan; 500 when the range is full. */
  private String next(ServiceCidr range, Set<String> used) {
    int first = range.firstAllocatable();
    int count = range.endAllocatable() - first;
    for (int attempt = 0; attempt < 64; attempt++) {
      String ip = range.addressAt(first + random.nextInt(count));
      if (!used.contains(ip)) {
        return ip;
      }
    }
    int start = random.nextInt(count);
    for (int k = 0; k < count; k++) {
      String ip = range.addressAt(first + (start + k) % count);
      if (!used.contains(ip)) {
        return ip;
      }
    }
    throw new ApiException(Status.internalError("failed to allocate a serviceIP: range is full (" + range + ")"));
  }

  private static ApiException allocationFailed(ObjectNode svc, String ip, String why) {
    List<StatusCause> causes = List.of(new StatusCause("FieldValueInvalid",
        "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": " + why, "spec.clusterIPs", null));
    return new ApiException(Status.invalid("", "Service", svc.path("metadata").path("name").asText(), causes));
  }

  private static void invalid(List<StatusCause> errors, String field, Object value, String detail) {
    String shown = value instanceof List<?> l ? "[]string{" + String.join(", ", l.stream().map(v -> "\"" + v + "\"").toList()) + "}"
        : "\"" + value + "\"";
    errors.add(new StatusCause("FieldValueInvalid", "Invalid value: " + shown + ": " + detail, field, null));
  }

  private static void fail(ObjectNode svc, List<StatusCause> errors) {
    if (!errors.isEmpty()) {
      throw new ApiException(Status.invalid("", "Service", svc.path("metadata").path("name").asText(), errors));
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------- node ports

  private void assignNodePorts(ObjectNode spec, Set<Integer> used) {
    String type = spec.path("type").asText("ClusterIP");
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      for (JsonNode p : spec.path("ports")) {
        used.add(p.path("nodePort").asInt(0)); // the Service's own ports are taken too
      }
      for (JsonNode p : spec.path("ports")) {
        if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
          int np;
          do {
            np = 30000 + random.nextInt(2768);
          } while (!used.add(np));
          port.put("nodePort", np);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------- in use

  /** What the stored services hold; {@code except} (the Service being updated) does not count. */
  private record InUse(Set<String> ips, Set<Integer> ports) {
  }

  private InUse inUse(ObjectNode except) {
    String exceptUid = except == null ? null : except.path("metadata").path("uid").asText(null);
    Set<String> ips = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    for (Storage.KeyValue kv : storage.list(services.storagePrefix(), null, 0, 0).kvs()) {
      JsonNode o = Registry.decode(kv);
      if (exceptUid != null && exceptUid.equals(o.path("metadata").path("uid").asText(null))) {
        continue;
      }
      JsonNode spec = o.path("spec");
      List<String> held = strings(spec.path("clusterIPs"));
      held.add(spec.path("clusterIP").asText(""));
      for (String ip : held) {
        String c = ServiceCidr.canonical(ip);
        if (c != null) {
          ips.add(c);
        }
      }
      for (JsonNode p : spec.path("ports")) {
        ports.add(p.path("nodePort").asInt(0));
      }
    }
    return new InUse(ips, ports);
  }
}
