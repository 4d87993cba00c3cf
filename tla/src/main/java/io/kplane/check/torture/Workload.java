package io.kplane.check.torture;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kplane.check.history.Operation;
import io.kplane.check.history.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients of a torture run: each a thread that, one operation at a time, reads
 * (linearizable Range), writes (Put of a value unique to the run) or compare-and-sets (a Txn:
 * if the key's value equals what this client last saw — or the key is absent — put a new value)
 * one of a few keys, through one member, and records every operation in its history. A client
 * moves to the next member after an error.
 *
 * <p>Outcomes: a reply is OK (a CAS whose comparison failed is OK with {@code succeeded=false}); a
 * read that fails FAILs (reads change nothing); a write that fails before its connection was
 * established FAILs; any other write error (timeout, leader lost, connection reset) is INFO:
 * the write may or may not have happened.
 */
final class Workload {
    static final long OP_TIMEOUT_MS = 2000;

    private final Members members;
    private final List<String> keys;
    private final int clients;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private final List<List<Operation>> histories = new ArrayList<>();
    private volatile boolean running;
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();

    Workload(Members members, List<String> keys, int clients, long seed) {
        this.members = members;
        this.keys = keys;
        this.clients = clients;
        this.seed = seed;
    }

    void start() {
        running = true;
        for (int c = 0; c < clients; c++) {
            List<Operation> history = new ArrayList<>();
            histories.add(history);
            int process = c;
            Thread t = new Thread(() -> runClient(process, history), "torture-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** Every client's operations (call after {@link #stop()}). */
    List<Operation> history() {
        List<Operation> all = new ArrayList<>();
        histories.forEach(all::addAll);
        return all;
    }

    private void runClient(int process, List<Operation> history) {
        SplittableRandom random = new SplittableRandom(seed * 31 + process);
        Map<String, String> lastSeen = new HashMap<>();
        int member = members.ids().get(process % members.size());
        long seq = 0;
        while (running) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(10);
            Operation op;
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(members.channel(member))
                    .withDeadlineAfter(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (dice < 4) {
                op = read(kv, process, key);
                if (op.outcome() == Outcome.OK) {
                    lastSeen.put(key, op.value());
                }
            } else if (dice < 7) {
                op = write(kv, process, key, "p" + process + "-" + (++seq));
            } else {
                op = cas(kv, process, key, lastSeen.get(key), "p" + process + "-" + (++seq));
            }
            if (op.acknowledgedWrite()) {
                lastSeen.put(key, op.value());
            }
            synchronized (history) {
                history.add(op);
            }
            switch (op.outcome()) {
                case OK -> ok.incrementAndGet();
                case FAIL -> failed.incrementAndGet();
                case INFO -> unknown.incrementAndGet();
            }
            if (op.outcome() != Outcome.OK) {
                int at = members.ids().indexOf(member);
                member = members.ids().get((at + 1) % members.size());
                sleepQuietly(20);
            }
        }
    }

    /** A linearizable read, recorded; used by the clients and for the final reads. */
    static Operation read(KVGrpc.KVBlockingStub kv, int process, String key) {
        long start = System.nanoTime();
        try {
            RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
            String value = r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
            return Operation.read(process, key, value, Outcome.OK, start, System.nanoTime());
        } catch (StatusRuntimeException e) {
            return Operation.read(process, key, null, Outcome.FAIL, start, System.nanoTime()).withError(describe(e));
        }
    }

    private static Operation write(KVGrpc.KVBlockingStub kv, int process, String key, String value) {
        long start = System.nanoTime();
        try {
            PutResponse r = kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                    .setValue(ByteString.copyFromUtf8(value)).build());
            return Operation.write(process, key, value, Outcome.OK, r.getHeader().getRevision(), start, System.nanoTime());
        } catch (StatusRuntimeException e) {
            return Operation.write(process, key, value, writeFailure(e), 0, start, System.nanoTime()).withError(describe(e));
        }
    }

    private static Operation cas(KVGrpc.KVBlockingStub kv, int process, String key, String expected, String value) {
        ByteString k = ByteString.copyFromUtf8(key);
        Compare compare = expected == null
                ? Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL).setVersion(0).build()
                : Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFromUtf8(expected)).build();
        long start = System.nanoTime();
        try {
            TxnResponse r = kv.txn(TxnRequest.newBuilder().addCompare(compare)
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(k)
                            .setValue(ByteString.copyFromUtf8(value))))
                    .build());
            return Operation.cas(process, key, expected, value, r.getSucceeded(), Outcome.OK,
                    r.getSucceeded() ? r.getHeader().getRevision() : 0, start, System.nanoTime());
        } catch (StatusRuntimeException e) {
            return Operation.cas(process, key, expected, value, false, writeFailure(e), 0, start, System.nanoTime())
                    .withError(describe(e));
        }
    }

    static String describe(StatusRuntimeException e) {
        return e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
    }

    /**
     * FAIL only when the write cannot have been applied; anything else may have been. Certain: the
     * connection was refused (the request never left the client), or "etcdserver: no leader" —
     * kplane answers it only before the proposal enters Raft (no leader known, or Raft dropped the
     * proposal: {@code RaftAgent.propose}); etcd 3.4 does not answer a Put/Txn with it (its
     * proposals time out instead), so the rule changes nothing there.
     */
    static Outcome writeFailure(StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
                && "etcdserver: no leader".equals(e.getStatus().getDescription())) {
            return Outcome.FAIL;
        }
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (t instanceof java.net.ConnectException || m.contains("Connection refused")) {
                    return Outcome.FAIL;
                }
            }
        }
        return Outcome.INFO;
    }

    static String valueOf(KeyValue kv) {
        return kv.getValue().toStringUtf8();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
