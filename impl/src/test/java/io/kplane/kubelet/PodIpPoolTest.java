package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodIpPoolTest {
    @Test
    void handsOutTwoTo254AndReusesReleasedAndClaimedAddresses() {
        PodIpPool pool = new PodIpPool("10.244.3.0/24");
        assertThat(pool.allocate()).isEqualTo("10.244.3.2");
        assertThat(pool.claim("10.244.3.3")).as("a running pod's address").isTrue();
        assertThat(pool.allocate()).as("claimed addresses are not handed out again").isEqualTo("10.244.3.4");
        assertThat(pool.claim("10.244.4.9")).as("another node's range").isFalse();
        assertThat(pool.claim(null)).isFalse();
        pool.release("10.244.3.2");
        assertThat(pool.allocate()).isEqualTo("10.244.3.2");
        for (int i = 5; i <= 254; i++) {
            assertThat(pool.allocate()).isEqualTo("10.244.3." + i);
        }
        assertThat(pool.allocate()).as("full").isNull();
    }
}
