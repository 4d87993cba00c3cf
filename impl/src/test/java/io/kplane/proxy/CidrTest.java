package io.kplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Addresses and prefixes of both families: parsing, canonical text, containment. */
class CidrTest {
    @Test
    void ipv6IsPrintedInCanonicalForm() {
        assertThat(IpAddress.parse("FD00:0:0:0:0:0:0:1")).hasToString("fd00::1");
        assertThat(IpAddress.parse("2001:db8:0:0:1:0:0:1")).hasToString("2001:db8::1:0:0:1");
        assertThat(IpAddress.parse("::")).hasToString("::");
        assertThat(IpAddress.parse("::1")).hasToString("::1");
        assertThat(IpAddress.parse("fd00:1:2:3:4:5:6:7")).hasToString("fd00:1:2:3:4:5:6:7");
        assertThat(IpAddress.parse("2001:0:0:1::")).hasToString("2001:0:0:1::");
        assertThat(IpAddress.parse("10.1.2.3")).hasToString("10.1.2.3");
    }

    @Test
    void prefixesContainOnlyAddressesOfTheirFamily() {
        assertThat(Cidr.parse("fd00:180::/64").contains("fd00:180::1:2")).isTrue();
        assertThat(Cidr.parse("fd00:180::/64").contains("fd00:181::1")).isFalse();
        assertThat(Cidr.parse("2001:db8::/29").contains("2001:dbf::1")).isTrue();
        assertThat(Cidr.parse("::/0").contains("fd00::1")).isTrue();
        assertThat(Cidr.parse("::/0").contains("10.0.0.1")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("fd00::1")).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains("10.255.0.1")).isTrue();
        assertThat(Cidr.parse("fd00::1").prefix()).isEqualTo(128);
        assertThat(IpFamily.of("fd00::/8")).isEqualTo(IpFamily.IPv6);
    }

    @Test
    void garbageIsRejectedWithItsText() {
        for (String bad : new String[] {"fd00::1::2", "fd00:12345::1", "1:2:3:4:5:6:7:8:9", "fd00::/129", "10.0.0.0/33", "g::1"}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }
}
