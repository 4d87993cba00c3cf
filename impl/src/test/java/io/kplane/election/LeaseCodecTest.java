package io.kplane.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Lease;
import io.kplane.model.LeaseSpec;
import io.kplane.model.ObjectMeta;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseCodecTest {
    final LeaseCodec codec = new LeaseCodec(1_000_000_000L, Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void monotonicTimesMapToWallClockMicrosAndBack() {
        long mono = 1_000_000_000L + 2_500_123_456L;   // 2.500123456 s after the base
        Instant wall = codec.toWall(mono);
        assertThat(wall).isEqualTo(Instant.parse("2026-01-01T00:00:02.500123Z"));
        assertThat(codec.toMono(wall)).isEqualTo(1_000_000_000L + 2_500_123_000L);
        assertThat(codec.toWall(codec.toMono(wall))).isEqualTo(wall);
    }

    @Test
    void aRecordSurvivesTheLeaseRoundTripSoUnchangedLeasesCompareEqual() {
        LeaseRecord r = new LeaseRecord("a", 15_000_000_000L, 1_000_000_000L, 3_000_000_000L, 2);
        LeaseSpec spec = codec.spec(r, null);
        assertThat(spec.leaseDurationSeconds()).isEqualTo(15);
        assertThat(spec.holderIdentity()).isEqualTo("a");
        assertThat(spec.leaseTransitions()).isEqualTo(2);
        LeaseRecord back = codec.record(Lease.of(ObjectMeta.of("ns", "l"), spec), 1);
        assertThat(back).isEqualTo(r);
        assertThat(codec.record(Lease.of(ObjectMeta.of("ns", "l"), spec), 1)).isEqualTo(back);
    }

    @Test
    void fractionalDurationsRoundUpToWholeSecondsAndEmptyFieldsDefault() {
        assertThat(codec.spec(new LeaseRecord("a", 1_500_000_000L, 0, 0, 0), null).leaseDurationSeconds()).isEqualTo(2);
        LeaseRecord empty = codec.record(Lease.of(ObjectMeta.of("ns", "l"), new LeaseSpec(null, null, null, null, null, null, null, null)), 7);
        assertThat(empty).isEqualTo(new LeaseRecord("", 7, 0, 0, 0));
    }
}
