package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The discovery documents: /version, /api, /apis, /apis/GROUP and each group version's resource list. */
final class Discovery {
  private Discovery() {}

  static final String KUBE_VERSION = "v1.32.0";
  private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  static ObjectNode version() {
    ObjectNode v = Registry.JSON.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", KUBE_VERSION + "+kplane");
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-12-01T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "kplane");
    v.put("platform", "linux/amd64");
    return v;
  }

  static ObjectNode coreVersions(String serverAddress) {
    ObjectNode v = Registry.JSON.createObjectNode();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ObjectNode cidr = v.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return v;
  }

  static ObjectNode groupList(Resources resources) {
    ObjectNode l = Registry.JSON.createObjectNode();
    l.put("kind", "APIGroupList");
    l.put("apiVersion", "v1");
    ArrayNode groups = l.putArray("groups");
    for (String g : resources.groups()) {
      if (!g.isEmpty()) {
        groups.add(group(resources, g));
      }
    }
    return l;
  }

  static ObjectNode group(Resources resources, String g) {
    ObjectNode o = Registry.JSON.createObjectNode();
    o.put("kind", "APIGroup");
    o.put("apiVersion", "v1");
    o.put("name", g);
    ArrayNode versions = o.putArray("versions");
    String version = resources.all().stream().filter(t -> t.group().equals(g)).findFirst().orElseThrow().version();
    ObjectNode v = versions.addObject();
    v.put("groupVersion", g + "/" + version);
    v.put("version", version);
    o.set("preferredVersion", v.deepCopy());
    return o;
  }

  static ObjectNode resourceList(Resources resources, String group, String version) {
    ObjectNode l = Registry.JSON.createObjectNode();
    l.put("kind", "APIResourceList");
    l.put("apiVersion", "v1");
    l.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode rs = l.putArray("resources");
    for (ResourceType t : resources.inGroupVersion(group, version)) {
      ObjectNode r = rs.addObject();
      r.put("name", t.resource());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      VERBS.forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode c = r.putArray("categories");
        t.categories().forEach(c::add);
      }
      r.put("storageVersionHash", Integer.toHexString(t.apiVersion().hashCode() ^ t.resource().hashCode()));
      for (String sub : List.of("status", "scale", "binding", "eviction")) {
        if (!t.subresources().contains(sub)) {
          continue;
        }
        ObjectNode s = rs.addObject();
        s.put("name", t.resource() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        switch (sub) {
          case "scale" -> {
            s.put("group", "autoscaling");
            s.put("version", "v1");
            s.put("kind", "Scale");
            s.putArray("verbs").add("get").add("patch").add("update");
          }
          case "binding" -> {
            s.put("kind", "Binding");
            s.putArray("verbs").add("create");
          }
          case "eviction" -> {
            s.put("group", "policy");
            s.put("version", "v1");
            s.put("kind", "Eviction");
            s.putArray("verbs").add("create");
          }
          default -> {
            s.put("kind", t.kind());
            s.putArray("verbs").add("get").add("patch").add("update");
          }
        }
      }
    }
    return l;
  }
}
