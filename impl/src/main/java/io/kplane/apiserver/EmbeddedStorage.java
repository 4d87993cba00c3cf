package io.kplane.apiserver;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.kplane.kv.KvError;
import io.kplane.kv.KvException;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RevisionEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@link Storage} on an in-process {@link MvccStore}: every operation runs on its caller's thread
 * under one lock (the store is single-threaded by design) and a write, still under the lock, hands
 * its events to the watches whose prefix they match — so watches see writes in revision order.
 * Registering a watch replays history under the lock before the watch joins, so no write can fall
 * between the replay and live delivery.
 *
 * <p>A lock rather than an owner thread: with a thread, a PATCH (a read, then a conditional write)
 * was four thread hand-offs on top of the API server's own, a third of its context switches.
 * Watch listeners run under the lock and must not wait on anything that waits on the store.
 *
 * <p>Memory only: the state lives as long as the process. For durability run a kplane store
 * cluster and use {@link EtcdStorage}.
 */
public final class EmbeddedStorage implements Storage {
  private final MvccStore store = new MvccStore(null, 2);
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closed;
  /** Under the lock. A closed watch leaves it at the next write or registration, not while a delivery iterates it. */
  private final List<Registered> watches = new ArrayList<>();
  private volatile boolean watchClosed;

  private final class Registered implements Watch {
    final byte[] prefix;
    final WatchListener listener;
    volatile boolean closed;

    Registered(byte[] prefix, WatchListener listener) {
      this.prefix = prefix;
      this.listener = listener;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        watchClosed = true;
      }
    }

    /** Under the lock every write up to the current revision has already been handed to this watch. */
    @Override
    public void requestProgress() {
      try {
        underLock(() -> {
          if (!closed && watches.contains(this)) {
            listener.onProgress(store.currentRevision());
          }
          return null;
        });
      } catch (StorageException.Unavailable storeClosed) {
        // closed store: nothing to report
      }
    }
  }

  private <T> T underLock(Supplier<T> task) {
    try {
      if (!lock.tryLock(30, TimeUnit.SECONDS)) {
        throw new StorageException.Unavailable("embedded store did not answer in 30 s", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException.Unavailable("interrupted", e);
    }
    try {
      if (closed) {
        throw new StorageException.Unavailable("embedded store is closed", null);
      }
      if (watchClosed) {
        watchClosed = false;
        watches.removeIf(w -> w.closed);
      }
      return task.get();
    } finally {
      lock.unlock();
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static KeyValue kv(io.etcd.jetcd.api.KeyValue kv) {
    return new KeyValue(kv.getKey().toStringUtf8(), kv.getValue().toByteArray(), kv.getModRevision());
  }

  @Override
  public KeyValue get(String key) {
    return underLock(() -> {
      RangeResponse r = store.range(RangeRequest.newBuilder().setKey(bytes(key)).build());
      return r.getKvsCount() == 0 ? null : kv(r.getKvs(0));
    });
  }

  @Override
  public Page list(String prefix, String fromKey, long limit, long revision) {
    return underLock(() -> {
      RangeRequest.Builder b = RangeRequest.newBuilder()
          .setKey(bytes(fromKey == null ? prefix : fromKey))
          .setRangeEnd(ByteString.copyFrom(prefixEnd(prefix.getBytes(StandardCharsets.UTF_8))))
          .setLimit(limit).setRevision(revision);
      RangeResponse r;
      try {
        r = store.range(b.build());
      } catch (KvException e) {
        throw translate(e, revision);
      }
      List<KeyValue> out = new ArrayList<>(r.getKvsCount());
      r.getKvsList().forEach(k -> out.add(kv(k)));
      return new Page(out, revision == 0 ? r.getHeader().getRevision() : revision, r.getMore(), r.getCount());
    });
  }

  private RuntimeException translate(KvException e, long revision) {
    if (e.error() == KvError.COMPACTED) {
      return new StorageException.Compacted(revision, store.compactRevision());
    }
    if (e.error() == KvError.FUTURE_REV) {
      return new StorageException("revision " + revision + " is newer than the store's " + store.currentRevision(), e);
    }
    return e;
  }

  @Override
  public WriteResult create(String key, byte[] value) {
    return conditional(key, 0, RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(value))).build());
  }

  @Override
  public WriteResult update(String key, byte[] value, long expectedModRevision) {
    return conditional(key, expectedModRevision, RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(value))).build());
  }

  @Override
  public WriteResult delete(String key, long expectedModRevision) {
    return conditional(key, expectedModRevision, RequestOp.newBuilder().setRequestDeleteRange(
        DeleteRangeRequest.newBuilder().setKey(bytes(key))).build());
  }

  /** if mod_revision(key) == expected then op else get(key); a create expects 0 (absent). */
  private WriteResult conditional(String key, long expected, RequestOp op) {
    return underLock(() -> {
      TxnRequest txn = TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL).setModRevision(expected))
          .addSuccess(op)
          .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key))))
          .build();
      TxnResponse r = store.txn(txn);
      long rev = r.getHeader().getRevision();
      if (r.getSucceeded()) {
        dispatch(rev);
        return new WriteResult(true, rev, null);
      }
      RangeResponse got = r.getResponses(0).getResponseRange();
      return new WriteResult(false, rev, got.getKvsCount() == 0 ? null : kv(got.getKvs(0)));
    });
  }

  /** Hands revision {@code rev}'s events to the matching watches (under the lock). */
  private void dispatch(long rev) {
    if (watches.isEmpty()) {
      return;
    }
    MvccStore.History h = store.history(rev, 1);
    for (RevisionEvents re : h.events()) {
      deliver(re, watches);
    }
  }

  private static void deliver(RevisionEvents re, List<Registered> to) {
    for (io.etcd.jetcd.api.Event e : re.events()) {
      byte[] key = e.getKv().getKey().toByteArray();
      Event event = null;
      for (int i = 0; i < to.size(); i++) {
        Registered w = to.get(i);
        if (w.closed || !hasPrefix(key, w.prefix)) {
          continue;
        }
        if (event == null) {
          event = toEvent(e, re.revision());
        }
        try {
          w.listener.onEvent(event);
        } catch (RuntimeException failure) {
          w.closed = true;
          w.listener.onError(failure);
        }
      }
    }
  }

  static Event toEvent(io.etcd.jetcd.api.Event e, long revision) {
    boolean delete = e.getType() == io.etcd.jetcd.api.Event.EventType.DELETE;
    return new Event(delete ? Event.Type.DELETE : Event.Type.PUT, e.getKv().getKey().toStringUtf8(),
        delete ? null : e.getKv().getValue().toByteArray(),
        e.hasPrevKv() ? e.getPrevKv().getValue().toByteArray() : null, revision);
  }

  private static boolean hasPrefix(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {0};
  }

  @Override
  public long currentRevision() {
    return underLock(store::currentRevision);
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    Registered w = new Registered(prefix.getBytes(StandardCharsets.UTF_8), listener);
    underLock(() -> {
      long from = afterRevision + 1;
      if (from <= store.compactRevision()) {
        throw new StorageException.Compacted(afterRevision, store.compactRevision());
      }
      List<Registered> one = List.of(w);
      while (from <= store.currentRevision()) {
        MvccStore.History h;
        try {
          h = store.history(from, 1024);
        } catch (KvException e) {
          throw translate(e, afterRevision);
        }
        for (RevisionEvents re : h.events()) {
          deliver(re, one);
        }
        from = h.upTo() + 1;
      }
      watches.add(w);
      return null;
    });
    return w;
  }

  @Override
  public void compact(long revision) {
    underLock(() -> {
      if (revision > store.compactRevision() && revision <= store.currentRevision()) {
        store.compact(CompactionRequest.newBuilder().setRevision(revision).build());
      }
      return null;
    });
  }

  @Override
  public long compactedRevision() {
    return underLock(() -> Math.max(0, store.compactRevision()));
  }

  /** Memory only, and the lock is held for the operation alone (and its watch deliveries). */
  @Override
  public boolean answersWithoutWaiting() {
    return true;
  }

  @Override
  public void close() {
    closed = true;
  }
}
