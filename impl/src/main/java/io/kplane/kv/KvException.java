package io.kplane.kv;

/** A request failed with one of etcd's well-known errors; nothing was changed. */
public final class KvException extends RuntimeException {
    private final KvError error;

    public KvException(KvError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public KvError error() {
        return error;
    }
}
