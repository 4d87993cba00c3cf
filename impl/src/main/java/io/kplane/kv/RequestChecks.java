package io.kplane.kv;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks etcd's gRPC layer makes before a request is proposed ({@code v3rpc/key.go}): empty
 * keys, flags that contradict the request, too many operations in a txn, and keys written twice in
 * one txn. Pure functions; {@code null} means the request is acceptable.
 */
public final class RequestChecks {
    /** etcd's default {@code --max-txn-ops}. */
    public static final int MAX_TXN_OPS = 128;

    private RequestChecks() {
    }

    public static KvError range(RangeRequest r) {
        return r.getKey().isEmpty() ? KvError.EMPTY_KEY : null;
    }

    public static KvError put(PutRequest r) {
        if (r.getKey().isEmpty()) {
            return KvError.EMPTY_KEY;
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            return KvError.VALUE_PROVIDED;
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            return KvError.LEASE_PROVIDED;
        }
        return null;
    }

    public static KvError deleteRange(DeleteRangeRequest r) {
        return r.getKey().isEmpty() ? KvError.EMPTY_KEY : null;
    }

    public static KvError txn(TxnRequest r) {
        KvError e = txn(r, MAX_TXN_OPS);
        if (e != null) {
            return e;
        }
        try {
            checkIntervals(r.getSuccessList());
            checkIntervals(r.getFailureList());
        } catch (KvException dup) {
            return dup.error();
        }
        return null;
    }

    private static KvError txn(TxnRequest r, int maxOps) {
        int opc = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (opc > maxOps) {
            return KvError.TOO_MANY_OPS;
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                return KvError.EMPTY_KEY;
            }
        }
        for (List<RequestOp> ops : List.of(r.getSuccessList(), r.getFailureList())) {
            for (RequestOp op : ops) {
                KvError e = switch (op.getRequestCase()) {
                    case REQUEST_RANGE -> range(op.getRequestRange());
                    case REQUEST_PUT -> put(op.getRequestPut());
                    case REQUEST_DELETE_RANGE -> deleteRange(op.getRequestDeleteRange());
                    case REQUEST_TXN -> txn(op.getRequestTxn(), maxOps - opc);
                    default -> KvError.KEY_NOT_FOUND; // an empty operation, as etcd answers it
                };
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    /** A deleted interval [from, to); {@code to == null} a single key, empty: unbounded. */
    private record Interval(byte[] from, byte[] to) {
        boolean contains(byte[] key) {
            if (to == null) {
                return Arrays.equals(from, key);
            }
            return Arrays.compareUnsigned(key, from) >= 0 && (to.length == 0 || Arrays.compareUnsigned(key, to) < 0);
        }
    }

    private record Writes(Set<ByteString> puts, List<Interval> dels) {
    }

    /** etcd's {@code checkIntervals}: no key may be put twice, or put and deleted, in one txn. */
    private static Writes checkIntervals(List<RequestOp> ops) {
        List<Interval> dels = new ArrayList<>();
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                dels.add(new Interval(d.getKey().toByteArray(), MvccStore.rangeEnd(d.getRangeEnd())));
            }
        }
        Set<ByteString> puts = new HashSet<>();
        for (RequestOp op : ops) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Writes then = checkIntervals(op.getRequestTxn().getSuccessList());
            Writes otherwise = checkIntervals(op.getRequestTxn().getFailureList());
            for (ByteString k : then.puts()) {
                if (puts.contains(k) || deleted(dels, k)) {
                    throw KvError.DUPLICATE_KEY.exception();
                }
                puts.add(k);
            }
            for (ByteString k : otherwise.puts()) {
                // Only one branch of a nested txn runs: a key its then-branch also puts is no
                // duplicate (etcd 3.4 v3rpc/key.go); one put by an earlier op of this level is.
                if ((puts.contains(k) && !then.puts().contains(k)) || deleted(dels, k)) {
                    throw KvError.DUPLICATE_KEY.exception();
                }
                puts.add(k);
            }
            dels.addAll(then.dels());
            dels.addAll(otherwise.dels());
        }
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                ByteString k = op.getRequestPut().getKey();
                if (puts.contains(k) || deleted(dels, k)) {
                    throw KvError.DUPLICATE_KEY.exception();
                }
                puts.add(k);
            }
        }
        return new Writes(puts, dels);
    }

    private static boolean deleted(List<Interval> dels, ByteString key) {
        byte[] k = key.toByteArray();
        for (Interval i : dels) {
            if (i.contains(k)) {
                return true;
            }
        }
        return false;
    }
}
