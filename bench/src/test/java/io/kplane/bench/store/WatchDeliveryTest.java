package io.kplane.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class WatchDeliveryTest {

    @Test
    void prefixEndIncrementsTheLastByteThatCanBeIncremented() {
        assertThat(WatchDelivery.prefixEnd(ByteString.copyFromUtf8("watch/")).toStringUtf8()).isEqualTo("watch0");
        assertThat(WatchDelivery.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})))
                .isEqualTo(ByteString.copyFromUtf8("b"));
        assertThat(WatchDelivery.prefixEnd(ByteString.copyFrom(new byte[] {(byte) 0xff})))
                .isEqualTo(ByteString.copyFrom(new byte[] {0}));
    }
}
