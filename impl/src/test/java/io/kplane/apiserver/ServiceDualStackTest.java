package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Services on a dual-stack and on a single-stack API server, over HTTP: ipFamilyPolicy,
 * ipFamilies and clusterIPs are defaulted, allocated (one IP per family, from that family's range),
 * validated (422 with upstream's messages) and kept immutable on update as Kubernetes does.
 */
class ServiceDualStackTest {
  private static final String DUAL = "10.96.0.0/12,fd00:10:96::/108";
  private static final String TOKEN = "dual-stack-test-token";
  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedStorage storage;
  private ApiServer server;
  private String url;

  private void start(String range) throws Exception {
    storage = new EmbeddedStorage();
    Authenticator auth = new Authenticator(Map.of(TOKEN, new Authenticator.User("admin", "admin", List.of("system:masters"))), false);
    server = new ApiServer(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", 0), auth)
        .withCompactionInterval(java.time.Duration.ZERO).withServiceClusterIpRange(range), storage);
    InetSocketAddress bound = server.start();
    url = "http://127.0.0.1:" + bound.getPort() + "/api/v1/namespaces/default/services";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (storage != null) {
      storage.close();
    }
  }

  private record Reply(int code, JsonNode body) {
    JsonNode spec() {
      return body.path("spec");
    }

    String message() {
      return body.path("message").asText();
    }
  }

  private Reply send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), Registry.JSON.readTree(r.body()));
  }

  /** POSTs a ClusterIP Service named {@code name} with {@code extraSpec} (JSON members) in its spec. */
  private Reply create(String name, String extraSpec) throws Exception {
    return send("POST", "", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{" + (extraSpec.isEmpty() ? "" : extraSpec + ",") + "\"selector\":{\"app\":\"" + name + "\"},"
        + "\"ports\":[{\"port\":80}]}}");
  }

  private Reply update(JsonNode svc) throws Exception {
    return send("PUT", "/" + svc.path("metadata").path("name").asText(), Registry.JSON.writeValueAsString(svc));
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static void assertInRange(String ip, String cidr) {
    assertThat(ServiceCidr.parse(cidr).contains(ip)).as(ip + " in " + cidr).isTrue();
  }

  @Test
  void dualStackServerDefaultsToSingleStackAndAllocatesOneIpPerFamilyWhenAsked() throws Exception {
    start(DUAL);
    Reply single = create("single", "");
    assertThat(single.code()).isEqualTo(201);
    assertThat(single.spec().path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    assertThat(texts(single.spec().path("ipFamilies"))).containsExactly("IPv4");
    assertThat(single.spec().path("clusterIPs")).hasSize(1);
    assertThat(single.spec().path("clusterIP").asText()).isEqualTo(single.spec().path("clusterIPs").get(0).asText());
    assertInRange(single.spec().path("clusterIP").asText(), "10.96.0.0/12");

    Reply prefer = create("prefer", "\"ipFamilyPolicy\":\"PreferDualStack\"");
    assertThat(prefer.code()).isEqualTo(201);
    assertThat(texts(prefer.spec().path("ipFamilies"))).containsExactly("IPv4", "IPv6");
    List<String> ips = texts(prefer.spec().path("clusterIPs"));
    assertThat(ips).hasSize(2);
    assertInRange(ips.get(0), "10.96.0.0/12");
    assertInRange(ips.get(1), "fd00:10:96::/108");
    assertThat(ips.get(1)).as("canonical IPv6 text").isEqualTo(ServiceCidr.canonical(ips.get(1))).contains("::");
    assertThat(prefer.spec().path("clusterIP").asText()).isEqualTo(ips.get(0));

    // IPv6 first: the Service's primary family is IPv6, whatever the cluster's primary is.
    Reply v6first = create("v6first", "\"ipFamilyPolicy\":\"RequireDualStack\",\"ipFamilies\":[\"IPv6\"]");
    assertThat(v6first.code()).isEqualTo(201);
    assertThat(texts(v6first.spec().path("ipFamilies"))).containsExactly("IPv6", "IPv4");
    assertInRange(v6first.spec().path("clusterIP").asText(), "fd00:10:96::/108");

    // Only IPv6, single-stack.
    Reply v6only = create("v6only", "\"ipFamilies\":[\"IPv6\"]");
    assertThat(v6only.code()).isEqualTo(201);
    assertThat(v6only.spec().path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    assertThat(v6only.spec().path("clusterIPs")).hasSize(1);
    assertInRange(v6only.spec().path("clusterIP").asText(), "fd00:10:96::/108");

    // Reading it back gives the same fields (they are stored, not computed on output).
    Reply read = send("GET", "/prefer", null);
    assertThat(read.spec().path("clusterIPs")).isEqualTo(prefer.spec().path("clusterIPs"));
    assertThat(read.spec().path("ipFamilyPolicy").asText()).isEqualTo("PreferDualStack");
  }

  @Test
  void clientChosenIpsAreCheckedAgainstTheRangesAndEachOther() throws Exception {
    start(DUAL);
    Reply chosen = create("chosen", "\"clusterIPs\":[\"10.96.0.10\",\"fd00:10:96::a\"]");
    assertThat(chosen.code()).as(chosen.body().toString()).isEqualTo(201);
    // Two IPs and no policy: RequireDualStack, families inferred from the IPs.
    assertThat(chosen.spec().path("ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
    assertThat(texts(chosen.spec().path("ipFamilies"))).containsExactly("IPv4", "IPv6");
    assertThat(chosen.spec().path("clusterIP").asText()).isEqualTo("10.96.0.10");

    Reply taken = create("taken", "\"ipFamilyPolicy\":\"RequireDualStack\",\"clusterIPs\":[\"10.96.0.11\",\"fd00:10:96:0::A\"]");
    assertThat(taken.code()).isEqualTo(422);
    assertThat(taken.message()).isEqualTo("Service \"taken\" is invalid: spec.clusterIPs: Invalid value: []string{\"fd00:10:96:0::A\"}: "
        + "failed to allocate IP fd00:10:96:0::A: provided IP is already allocated");

    Reply outside = create("outside", "\"clusterIP\":\"fd00:99::1\",\"ipFamilies\":[\"IPv6\"]");
    assertThat(outside.code()).isEqualTo(422);
    assertThat(outside.message()).contains("failed to allocate IP fd00:99::1: the provided IP (fd00:99::1) is not in the valid range. "
        + "The range of valid IPs is fd00:10:96::/108");

    Reply mismatch = create("mismatch", "\"ipFamilies\":[\"IPv6\"],\"clusterIP\":\"10.96.0.12\"");
    assertThat(mismatch.code()).isEqualTo(422);
    assertThat(mismatch.message()).contains("spec.clusterIPs[0]", "expected an IPv6 value as indicated by `ipFamilies[0]`");

    Reply sameFamily = create("samefamily", "\"ipFamilyPolicy\":\"PreferDualStack\",\"clusterIPs\":[\"10.96.0.13\",\"10.96.0.14\"]");
    assertThat(sameFamily.code()).isEqualTo(422);
    assertThat(sameFamily.message()).contains("spec.clusterIPs[1]", "may specify no more than one IP for each IP family");

    Reply singleTwo = create("singletwo", "\"ipFamilyPolicy\":\"SingleStack\",\"ipFamilies\":[\"IPv4\",\"IPv6\"]");
    assertThat(singleTwo.code()).isEqualTo(422);
    assertThat(singleTwo.message()).contains("spec.ipFamilyPolicy",
        "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified");

    Reply badPolicy = create("badpolicy", "\"ipFamilyPolicy\":\"BothPlease\"");
    assertThat(badPolicy.code()).isEqualTo(422);
    assertThat(badPolicy.message()).contains("spec.ipFamilyPolicy: Unsupported value: \"BothPlease\"");

    Reply notEqual = create("notequal", "\"clusterIP\":\"10.96.0.15\",\"clusterIPs\":[\"10.96.0.16\"]");
    assertThat(notEqual.code()).isEqualTo(422);
    assertThat(notEqual.message()).contains("spec.clusterIPs[0]", "must match `spec.clusterIP`");

    // Nothing of the rejected requests was kept: their IPs are free.
    assertThat(create("later", "\"clusterIPs\":[\"10.96.0.11\"]").code()).isEqualTo(201);
  }

  @Test
  void deleteReleasesBothIps() throws Exception {
    start(DUAL);
    String ips = "\"clusterIPs\":[\"fd00:10:96::20\",\"10.96.0.20\"]";
    assertThat(create("first", ips).code()).isEqualTo(201);
    assertThat(create("second", ips).code()).isEqualTo(422);
    assertThat(send("DELETE", "/first", null).code()).isEqualTo(200);
    Reply again = create("second", ips);
    assertThat(again.code()).as(again.body().toString()).isEqualTo(201);
    assertThat(texts(again.spec().path("ipFamilies"))).containsExactly("IPv6", "IPv4");
  }

  @Test
  void updatesKeepThePrimaryAndMayUpgradeOrDowngrade() throws Exception {
    start(DUAL);
    JsonNode svc = create("web", "").body();
    String primary = svc.path("spec").path("clusterIP").asText();

    // The primary IP may not change.
    ObjectNode moved = svc.deepCopy();
    ((ObjectNode) moved.get("spec")).put("clusterIP", "10.96.0.99").putArray("clusterIPs").add("10.96.0.99");
    Reply refused = update(moved);
    assertThat(refused.code()).isEqualTo(422);
    assertThat(refused.message()).contains("spec.clusterIPs[0]: Invalid value: \"10.96.0.99\": may not change once set");

    // A client that leaves the IP fields out keeps them (and the policy).
    ObjectNode bare = svc.deepCopy();
    ((ObjectNode) bare.get("spec")).remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"));
    Reply kept = update(bare);
    assertThat(kept.code()).as(kept.body().toString()).isEqualTo(200);
    assertThat(kept.spec().path("clusterIPs")).isEqualTo(svc.path("spec").path("clusterIPs"));
    assertThat(kept.spec().path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");

    // Upgrade: PreferDualStack adds an IPv6 IP beside the unchanged primary.
    ObjectNode up = kept.body().deepCopy();
    ((ObjectNode) up.get("spec")).put("ipFamilyPolicy", "PreferDualStack");
    Reply upgraded = update(up);
    assertThat(upgraded.code()).as(upgraded.body().toString()).isEqualTo(200);
    assertThat(texts(upgraded.spec().path("ipFamilies"))).containsExactly("IPv4", "IPv6");
    List<String> both = texts(upgraded.spec().path("clusterIPs"));
    assertThat(both).hasSize(2).first().isEqualTo(primary);
    assertInRange(both.get(1), "fd00:10:96::/108");

    // The primary family may not change either.
    ObjectNode flipped = upgraded.body().deepCopy();
    ((ObjectNode) flipped.get("spec")).putArray("ipFamilies").add("IPv6").add("IPv4");
    Reply flip = update(flipped);
    assertThat(flip.code()).isEqualTo(422);
    assertThat(flip.message()).contains("spec.ipFamilies[0]: Invalid value: \"IPv6\": may not change once set");

    // Downgrade: SingleStack drops the secondary, which is free again at once.
    ObjectNode down = upgraded.body().deepCopy();
    ((ObjectNode) down.get("spec")).put("ipFamilyPolicy", "SingleStack");
    Reply downgraded = update(down);
    assertThat(downgraded.code()).as(downgraded.body().toString()).isEqualTo(200);
    assertThat(texts(downgraded.spec().path("clusterIPs"))).containsExactly(primary);
    assertThat(texts(downgraded.spec().path("ipFamilies"))).containsExactly("IPv4");
    Reply reuse = create("reuse", "\"ipFamilies\":[\"IPv6\"],\"clusterIP\":\"" + both.get(1) + "\"");
    assertThat(reuse.code()).as(reuse.body().toString()).isEqualTo(201);
  }

  @Test
  void singleStackServerRefusesRequireDualStackAndFamiliesItDoesNotServe() throws Exception {
    start("10.96.0.0/12");
    Reply require = create("require", "\"ipFamilyPolicy\":\"RequireDualStack\"");
    assertThat(require.code()).isEqualTo(422);
    assertThat(require.body().path("reason").asText()).isEqualTo("Invalid");
    assertThat(require.message()).isEqualTo("Service \"require\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": "
        + "this cluster is not configured for dual-stack services");

    Reply v6 = create("v6", "\"ipFamilies\":[\"IPv6\"]");
    assertThat(v6.code()).isEqualTo(422);
    assertThat(v6.message()).contains("spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster");

    // PreferDualStack on a single-stack cluster: single-stack, nothing refused.
    Reply prefer = create("prefer", "\"ipFamilyPolicy\":\"PreferDualStack\"");
    assertThat(prefer.code()).isEqualTo(201);
    assertThat(texts(prefer.spec().path("ipFamilies"))).containsExactly("IPv4");
    assertThat(prefer.spec().path("clusterIPs")).hasSize(1);
    assertThat(prefer.spec().path("ipFamilyPolicy").asText()).isEqualTo("PreferDualStack");
  }

  @Test
  void headlessAndExternalNameServicesGetNoClusterIp() throws Exception {
    start(DUAL);
    Reply headless = create("headless", "\"clusterIP\":\"None\",\"ipFamilyPolicy\":\"PreferDualStack\"");
    assertThat(headless.code()).as(headless.body().toString()).isEqualTo(201);
    assertThat(texts(headless.spec().path("clusterIPs"))).containsExactly("None");
    assertThat(texts(headless.spec().path("ipFamilies"))).containsExactly("IPv4", "IPv6");

    Reply external = send("POST", "", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ext\"},"
        + "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}}");
    assertThat(external.code()).isEqualTo(201);
    assertThat(external.spec().has("clusterIPs")).isFalse();
    assertThat(external.spec().has("ipFamilies")).isFalse();
  }
}
