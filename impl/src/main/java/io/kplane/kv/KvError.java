package io.kplane.kv;

/**
 * The etcd v3 errors the store and its request checks can produce, with etcd 3.4's exact messages
 * ({@code api/v3rpc/rpctypes}). The etcd API layer maps each to etcd's gRPC status code.
 */
public enum KvError {
    EMPTY_KEY("etcdserver: key is not provided"),
    KEY_NOT_FOUND("etcdserver: key not found"),
    VALUE_PROVIDED("etcdserver: value is provided"),
    LEASE_PROVIDED("etcdserver: lease is provided"),
    TOO_MANY_OPS("etcdserver: too many operations in txn request"),
    DUPLICATE_KEY("etcdserver: duplicate key given in txn request"),
    COMPACTED("etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV("etcdserver: mvcc: required revision is a future revision"),
    LEASE_NOT_FOUND("etcdserver: requested lease not found"),
    LEASE_EXIST("etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE("etcdserver: too large lease TTL"),
    REQUEST_TOO_LARGE("etcdserver: request is too large"),
    /** The NOSPACE alarm is raised: writes that grow the store fail until it is disarmed. */
    NO_SPACE("etcdserver: mvcc: database space exceeded");

    private final String message;

    KvError(String message) {
        this.message = message;
    }

    /** etcd's error message, word for word. */
    public String message() {
        return message;
    }

    /** An exception carrying this error. */
    public KvException exception() {
        return new KvException(this);
    }
}
