package io.kplane.kv;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.PutRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures the heap the MVCC store needs per key: loads N keys (16-byte keys, V-byte values) one
 * put each, compacts, and reports (heap after - heap before) / N, with and without the payload
 * bytes. Run: {@code java -cp impl/target/kplane.jar io.kplane.kv.KvMemoryFootprint 1000000 256}.
 */
public final class KvMemoryFootprint {

    /** Result of one measurement. */
    public record Footprint(int keys, int valueBytes, double bytesPerKey, double overheadPerKey,
                            double bytesPerKeyBeforeCompaction) {
        @Override
        public String toString() {
            return String.format("%,d keys x (16 B key + %d B value): %.1f B/key in total, %.1f B/key overhead "
                    + "beyond key+value bytes (%.1f B/key before compaction, with the watch-history log)",
                    keys, valueBytes, bytesPerKey, overheadPerKey, bytesPerKeyBeforeCompaction);
        }
    }

    public static Footprint measure(int keys, int valueBytes) {
        long before = usedHeap();
        MvccStore store = new MvccStore(null, 2);
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < keys; i++) {
            value[i % valueBytes] ^= 1; // distinct value arrays: each put copies
            store.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(String.format("key-%012d", i)))
                    .setValue(ByteString.copyFrom(value)).build());
        }
        long loaded = usedHeap();
        store.compact(CompactionRequest.newBuilder().setRevision(store.currentRevision()).build());
        long compacted = usedHeap();
        if (store.indexedKeys() != keys) {
            throw new IllegalStateException("lost keys");
        }
        double perKey = (compacted - before) / (double) keys;
        double padded = align(16 + 16) + align(16 + valueBytes); // the key and value arrays themselves
        return new Footprint(keys, valueBytes, perKey, perKey - padded, (loaded - before) / (double) keys);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static long usedHeap() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        System.out.println(measure(keys, valueBytes));
    }
}
