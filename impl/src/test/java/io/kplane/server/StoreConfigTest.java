package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    /**
     * Issue 14 defect 7: a state over 2 GiB could not be serialized into a snapshot, which stopped
     * every member. The NOSPACE quota is what keeps the store below that, so whatever
     * {@code --quota-backend-bytes} says (etcd's 2 GiB default, 8 GiB, or -1 for none), the quota in
     * effect stays within what one snapshot holds.
     */
    @Test
    void theQuotaInEffectNeverExceedsWhatASnapshotHolds() {
        StoreConfig c = StoreConfig.defaults("n1", ClusterSpec.parse("n1=127.0.0.1:2380", "tok"), Path.of("unused"));
        assertThat(StoreConfig.MAX_SNAPSHOT_STATE_BYTES).isLessThan(Integer.MAX_VALUE);
        assertThat(c.withQuotaBackendBytes(0).effectiveQuotaBytes()).isEqualTo(StoreConfig.MAX_SNAPSHOT_STATE_BYTES);
        assertThat(c.withQuotaBackendBytes(8L << 30).effectiveQuotaBytes()).isEqualTo(StoreConfig.MAX_SNAPSHOT_STATE_BYTES);
        assertThat(c.withQuotaBackendBytes(-1).effectiveQuotaBytes()).isEqualTo(StoreConfig.MAX_SNAPSHOT_STATE_BYTES);
        assertThat(c.withQuotaBackendBytes(1 << 20).effectiveQuotaBytes()).isEqualTo(1 << 20);
    }
}
