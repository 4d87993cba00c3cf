package io.kplane.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KvMemoryFootprintTest {

    /** Prints the figure; the bound only catches a layout regression by a wide margin (GC noise). */
    @Test
    void overheadPerKeyStaysCompact() {
        KvMemoryFootprint.Footprint f = KvMemoryFootprint.measure(100_000, 64);
        System.out.println(f);
        assertThat(f.overheadPerKey()).isBetween(50.0, 400.0);
    }
}
