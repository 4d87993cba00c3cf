package io.kplane.apiserver;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Storage} on any etcd v3 endpoint (real etcd 3.4, or a kplane store cluster) through jetcd.
 * Conditional writes are single transactions ({@code if mod_revision == r then put else get}), the
 * way kube-apiserver's etcd3 store does them. Watches ask for previous values (DELETED events carry
 * the object's last state) and for progress notifications (bookmarks).
 */
public final class EtcdStorage implements Storage {
  private static final long TIMEOUT_SECONDS = 30;
  private final Client client;
  private final KV kv;
  private volatile long compacted;

  /** @param endpoints etcd client URLs, e.g. {@code http://127.0.0.1:2379} */
  public EtcdStorage(List<String> endpoints) {
    this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
    this.kv = client.getKVClient();
  }

  private static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static KeyValue kv(io.etcd.jetcd.KeyValue k) {
    return new KeyValue(k.getKey().toString(StandardCharsets.UTF_8), k.getValue().getBytes(), k.getModRevision());
  }

  private <T> T await(CompletableFuture<T> f, long revision) {
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException.Unavailable("interrupted", e);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new StorageException.Unavailable("etcd did not answer in " + TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompactedException ce) {
        throw new StorageException.Compacted(revision, ce.getCompactedRevision());
      }
      if (cause instanceof EtcdException ee && String.valueOf(ee.getMessage()).contains("compacted")) {
        throw new StorageException.Compacted(revision, compacted);
      }
      if (cause instanceof EtcdException ee && String.valueOf(ee.getMessage()).contains("future revision")) {
        throw new StorageException("revision " + revision + " is a future revision", ee);
      }
      throw new StorageException.Unavailable("etcd request failed: " + cause, cause);
    }
  }

  @Override
  public KeyValue get(String key) {
    GetResponse r = await(kv.get(bs(key)), 0);
    return r.getKvs().isEmpty() ? null : kv(r.getKvs().get(0));
  }

  @Override
  public Page list(String prefix, String fromKey, long limit, long revision) {
    byte[] end = EmbeddedStorage.prefixEnd(prefix.getBytes(StandardCharsets.UTF_8));
    GetOption opt = GetOption.builder().withRange(ByteSequence.from(end)).withLimit(limit).withRevision(revision).build();
    GetResponse r = await(kv.get(bs(fromKey == null ? prefix : fromKey), opt), revision);
    List<KeyValue> out = new ArrayList<>(r.getKvs().size());
    r.getKvs().forEach(k -> out.add(kv(k)));
    return new Page(out, revision == 0 ? r.getHeader().getRevision() : revision, r.isMore(), r.getCount());
  }

  @Override
  public WriteResult create(String key, byte[] value) {
    return conditional(key, 0, Op.put(bs(key), ByteSequence.from(value), PutOption.DEFAULT));
  }

  @Override
  public WriteResult update(String key, byte[] value, long expectedModRevision) {
    return conditional(key, expectedModRevision, Op.put(bs(key), ByteSequence.from(value), PutOption.DEFAULT));
  }

  @Override
  public WriteResult delete(String key, long expectedModRevision) {
    return conditional(key, expectedModRevision, Op.delete(bs(key), DeleteOption.DEFAULT));
  }

  private WriteResult conditional(String key, long expected, Op op) {
    TxnResponse r = await(kv.txn()
        .If(new Cmp(bs(key), Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
        .Then(op)
        .Else(Op.get(bs(key), GetOption.DEFAULT))
        .commit(), 0);
    long rev = r.getHeader().getRevision();
    if (r.isSucceeded()) {
      return new WriteResult(true, rev, null);
    }
    GetResponse got = r.getGetResponses().get(0);
    return new WriteResult(false, rev, got.getKvs().isEmpty() ? null : kv(got.getKvs().get(0)));
  }

  @Override
  public long currentRevision() {
    // A linearizable count-only read of an empty range returns the store's revision in its header.
    return await(kv.get(bs("/registry/\u0000kplane-revision"), GetOption.builder().withCountOnly(true).build()), 0)
        .getHeader().getRevision();
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    if (afterRevision + 1 <= compacted) {
      throw new StorageException.Compacted(afterRevision, compacted);
    }
    WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(afterRevision + 1)
        .withPrevKV(true).withProgressNotify(true).build();
    io.etcd.jetcd.Watch.Watcher watcher = client.getWatchClient().watch(bs(prefix), opt, new io.etcd.jetcd.Watch.Listener() {
      private boolean failed;

      @Override
      public void onNext(WatchResponse response) {
        if (failed) {
          return;
        }
        if (response.isProgressNotify()) {
          listener.onProgress(response.getHeader().getRevision());
          return;
        }
        for (WatchEvent e : response.getEvents()) {
          boolean delete = e.getEventType() == WatchEvent.EventType.DELETE;
          io.etcd.jetcd.KeyValue k = e.getKeyValue();
          io.etcd.jetcd.KeyValue prev = e.getPrevKV();
          byte[] prevValue = prev == null || prev.getValue().isEmpty() ? null : prev.getValue().getBytes();
          listener.onEvent(new Event(delete ? Event.Type.DELETE : Event.Type.PUT, k.getKey().toString(StandardCharsets.UTF_8),
              delete ? null : k.getValue().getBytes(), prevValue, k.getModRevision()));
        }
      }

      @Override
      public void onError(Throwable t) {
        failed = true;
        if (t instanceof CompactedException ce) {
          compacted = Math.max(compacted, ce.getCompactedRevision());
          listener.onError(new StorageException.Compacted(afterRevision, ce.getCompactedRevision()));
        } else {
          listener.onError(new StorageException.Unavailable("etcd watch failed: " + t, t));
        }
      }

      @Override
      public void onCompleted() {
        if (!failed) {
          failed = true;
          listener.onError(new StorageException.Unavailable("etcd watch ended", null));
        }
      }
    });
    return new Watch() {
      @Override
      public void close() {
        watcher.close();
      }

      @Override
      public void requestProgress() {
        watcher.requestProgress();
      }
    };
  }

  @Override
  public void compact(long revision) {
    if (revision <= compacted) {
      return;
    }
    try {
      await(kv.compact(revision, CompactOption.DEFAULT), revision);
    } catch (StorageException.Compacted alreadyFurther) {
      // someone compacted further; nothing to do
    }
    compacted = Math.max(compacted, revision);
  }

  @Override
  public long compactedRevision() {
    return compacted;
  }

  @Override
  public void close() {
    client.close();
  }
}
