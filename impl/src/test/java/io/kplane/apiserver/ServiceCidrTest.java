package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Service CIDRs: parsing the flag, membership, offsets, canonical text; and allocation until a range is full. */
class ServiceCidrTest {

  @Test
  void parsesOneOrTwoRangesOfDifferentFamilies() {
    List<ServiceCidr> dual = ServiceCidr.parseRange("10.96.0.0/12, fd00:10:96::/108");
    assertThat(dual).extracting(ServiceCidr::family).containsExactly("IPv4", "IPv6");
    assertThat(dual).extracting(ServiceCidr::toString).containsExactly("10.96.0.0/12", "fd00:10:96::/108");
    assertThat(ServiceCidr.parseRange("fd00::/112")).extracting(ServiceCidr::family).containsExactly("IPv6");
    // Host bits are cleared, as net.ParseCIDR's network.
    assertThat(ServiceCidr.parse("10.96.3.4/16").toString()).isEqualTo("10.96.0.0/16");

    assertThatThrownBy(() -> ServiceCidr.parseRange("10.96.0.0/12,10.100.0.0/16")).hasMessageContaining("must be of different IP family");
    assertThatThrownBy(() -> ServiceCidr.parseRange("10.0.0.0/12,fd00::/108,10.1.0.0/16")).hasMessageContaining("one CIDR or two");
    assertThatThrownBy(() -> ServiceCidr.parseRange("10.0.0.0/8")).hasMessageContaining("the mask must be >= 12");
    assertThatThrownBy(() -> ServiceCidr.parseRange("fd00::/64")).hasMessageContaining("the mask must be >= 108");
    assertThatThrownBy(() -> ServiceCidr.parseRange("10.96.0.0")).hasMessageContaining("not a CIDR");
    assertThatThrownBy(() -> ServiceCidr.parseRange("example.com/24")).hasMessageContaining("bad address");
    assertThatThrownBy(() -> ServiceCidr.parseRange("10.96.0.0/31")).hasMessageContaining("too small");
  }

  @Test
  void membershipOffsetsAndCanonicalText() {
    ServiceCidr v6 = ServiceCidr.parse("fd00:10:96::/108");
    assertThat(v6.contains("fd00:10:96::f:ffff")).isTrue();
    assertThat(v6.contains("fd00:10:96::10:0")).isFalse();
    assertThat(v6.contains("10.96.0.1")).isFalse();
    assertThat(v6.addressAt(10)).isEqualTo("fd00:10:96::a");
    assertThat(v6.addressAt(0x12345)).isEqualTo("fd00:10:96::1:2345");
    ServiceCidr v4 = ServiceCidr.parse("10.96.0.0/12");
    assertThat(v4.addressAt(256 + 7)).isEqualTo("10.96.1.7");
    assertThat(v4.contains("10.111.255.255")).isTrue();
    assertThat(v4.contains("10.112.0.0")).isFalse();
    assertThat(v4.endAllocatable()).as("no broadcast").isEqualTo((1 << 20) - 1);
    assertThat(v6.endAllocatable()).isEqualTo(1 << 20);

    assertThat(ServiceCidr.canonical("FD00:0010:0096:0000:0000:0000:0000:000A")).isEqualTo("fd00:10:96::a");
    assertThat(ServiceCidr.canonical("2001:db8:0:0:1:0:0:1")).as("the first of two equal zero runs").isEqualTo("2001:db8::1:0:0:1");
    assertThat(ServiceCidr.canonical("2001:db8:0:1:1:1:1:1")).as("one zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(ServiceCidr.canonical("::")).isEqualTo("::");
    assertThat(ServiceCidr.canonical("::ffff:10.0.0.1")).as("IPv4-mapped is not a service IP").isNull();
    assertThat(ServiceCidr.canonical("10.0.0")).isNull();
    assertThat(ServiceCidr.familyOf("fd00::1")).isEqualTo("IPv6");
    assertThat(ServiceCidr.familyOf("10.0.0.1")).isEqualTo("IPv4");
  }

  @Test
  void allocatesEveryAddressOfASmallRangeOnceThenSaysItIsFull() {
    // A /29 of IPv4 has 8 addresses: network, .1 (the kubernetes Service's), broadcast are never handed out.
    try (EmbeddedStorage storage = new EmbeddedStorage()) {
      Registry registry = new Registry(storage, Resources.builtIn(), Clock.systemUTC(), "10.0.0.0/29,fd00::/126", DefaultTolerationSeconds.UPSTREAM);
      ResourceType namespaces = registry.resources().find("", "v1", "namespaces");
      ResourceType services = registry.resources().find("", "v1", "services");
      registry.create(namespaces, null, (ObjectNode) Registry.parseBody("{\"metadata\":{\"name\":\"default\"}}".getBytes()), false);
      Set<String> v4 = new HashSet<>();
      Set<String> v6 = new HashSet<>();
      for (int i = 0; i < 2; i++) {
        ObjectNode svc = registry.create(services, "default", service("s" + i, "RequireDualStack"), false);
        v4.add(svc.path("spec").path("clusterIPs").get(0).asText());
        v6.add(svc.path("spec").path("clusterIPs").get(1).asText());
      }
      // IPv6 /126: offsets 2 and 3 (no broadcast in IPv6); both are now taken.
      assertThat(v6).containsExactlyInAnyOrder("fd00::2", "fd00::3");
      assertThatThrownBy(() -> registry.create(services, "default", service("s2", "RequireDualStack"), false))
          .isInstanceOf(ApiException.class).hasMessageContaining("range is full (fd00::/126)");
      for (int i = 2; i < 5; i++) {
        ObjectNode svc = registry.create(services, "default", service("s" + i, "SingleStack"), false);
        v4.add(svc.path("spec").path("clusterIP").asText());
      }
      assertThat(v4).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
      assertThatThrownBy(() -> registry.create(services, "default", service("s5", "SingleStack"), false))
          .isInstanceOf(ApiException.class).hasMessageContaining("range is full (10.0.0.0/29)");
    }
  }

  private static ObjectNode service(String name, String policy) {
    return (ObjectNode) Registry.parseBody(("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"ipFamilyPolicy\":\"" + policy + "\",\"ports\":[{\"port\":80}]}}").getBytes());
  }
}
