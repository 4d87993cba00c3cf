package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Cluster IPs (from 10.96.0.0/12, as kubeadm's default service CIDR) and node ports (30000-32767)
 * for new services. It reads the services in storage for the values in use and serializes its own
 * allocations; a second API server process on the same store could race it (upstream keeps a
 * bitmap in storage for that — not done here).
 */
final class ServiceAllocator {
  private static final int BASE = (10 << 24) | (96 << 16);
  private static final int SIZE = 1 << 20;
  private final Storage storage;
  private final ResourceType services;
  private final Random random;

  ServiceAllocator(Storage storage, ResourceType services, Random random) {
    this.storage = storage;
    this.services = services;
    this.random = random;
  }

  synchronized void allocate(ObjectNode svc) {
    ObjectNode spec = Defaults.obj(svc, "spec");
    String type = spec.path("type").asText("ClusterIP");
    if (type.equals("ExternalName")) {
      return;
    }
    Set<String> ips = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    for (Storage.KeyValue kv : storage.list(services.storagePrefix(), null, 0, 0).kvs()) {
      JsonNode o = Registry.decode(kv);
      ips.add(o.path("spec").path("clusterIP").asText(""));
      for (JsonNode p : o.path("spec").path("ports")) {
        ports.add(p.path("nodePort").asInt(0));
      }
    }
    String ip = spec.path("clusterIP").asText("");
    if (ip.isEmpty()) {
      do {
        int v = BASE + 2 + random.nextInt(SIZE - 3);
        ip = ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
      } while (ips.contains(ip));
      spec.put("clusterIP", ip);
    } else if (!ip.equals("None") && ips.contains(ip)) {
      throw new ApiException(io.kplane.model.Status.failure(422, "Invalid", "Service \"" + svc.path("metadata").path("name").asText()
          + "\" is invalid: spec.clusterIPs: Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip
          + ": provided IP is already allocated", null));
    }
    spec.putArray("clusterIPs").add(ip);
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      for (JsonNode p : spec.path("ports")) {
        if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
          int np;
          do {
            np = 30000 + random.nextInt(2768);
          } while (!ports.add(np));
          port.put("nodePort", np);
        }
      }
    }
  }

  /** An update keeps the allocated IP and node ports when the client left them out. */
  void keep(ObjectNode next, ObjectNode old) {
    ObjectNode spec = Defaults.obj(next, "spec");
    JsonNode oldSpec = old.path("spec");
    for (String f : new String[] {"clusterIP", "clusterIPs"}) {
      if (!spec.has(f) && oldSpec.has(f)) {
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
  }
}
