package io.kplane.apiserver;

/** A Storage that forwards everything (tests override single methods). */
class ForwardingStorage implements Storage {
  private final Storage delegate;

  ForwardingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  @Override
  public KeyValue get(String key) {
    return delegate.get(key);
  }

  @Override
  public Page list(String prefix, String fromKey, long limit, long revision) {
    return delegate.list(prefix, fromKey, limit, revision);
  }

  @Override
  public WriteResult create(String key, byte[] value) {
    return delegate.create(key, value);
  }

  @Override
  public WriteResult update(String key, byte[] value, long expectedModRevision) {
    return delegate.update(key, value, expectedModRevision);
  }

  @Override
  public WriteResult delete(String key, long expectedModRevision) {
    return delegate.delete(key, expectedModRevision);
  }

  @Override
  public long currentRevision() {
    return delegate.currentRevision();
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    return delegate.watch(prefix, afterRevision, listener);
  }

  @Override
  public void compact(long revision) {
    delegate.compact(revision);
  }

  @Override
  public long compactedRevision() {
    return delegate.compactedRevision();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
