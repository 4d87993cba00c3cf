package io.kplane.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * The replicated commands of the MVCC state machine: one type byte followed by the etcd request
 * message it carries (protobuf, as etcd itself logs them). Responses are one status byte (0 = ok,
 * followed by the etcd response message; 1 = failed, followed by the {@link KvError} ordinal).
 */
public enum KvCommand {
    PUT(1),
    DELETE_RANGE(2),
    TXN(3),
    COMPACT(4),
    /** A {@code LeaseGrantRequest} whose ID the proposer has already chosen. */
    LEASE_GRANT(5),
    LEASE_REVOKE(6),
    LEASE_KEEPALIVE(7),
    /**
     * A revoke decided by the leader's expiry clock ({@link #leaseExpire}); a lease already gone,
     * or refreshed since the decision, is not an error and stays as it is.
     */
    LEASE_EXPIRE(8),
    /** An {@code AlarmRequest} (activate or deactivate; a GET is answered without a proposal). */
    ALARM(9);

    /** Field of the {@code LeaseRevokeRequest} in a {@link #LEASE_EXPIRE} that carries the decision's lease stamp. */
    static final int EXPIRE_STAMP_FIELD = 1000;

    /** The {@link #LEASE_EXPIRE} command for a lease whose refresh stamp was {@code stamp} when its deadline passed. */
    public static byte[] leaseExpire(long leaseId, long stamp) {
        return LEASE_EXPIRE.encode(io.etcd.jetcd.api.LeaseRevokeRequest.newBuilder().setID(leaseId)
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(EXPIRE_STAMP_FIELD, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                .addVarint(stamp).build()).build())
                .build());
    }

    /** The stamp of a {@link #LEASE_EXPIRE}'s body, or -1 if it has none (written before stamps existed). */
    static long expireStamp(io.etcd.jetcd.api.LeaseRevokeRequest body) {
        var field = body.getUnknownFields().getField(EXPIRE_STAMP_FIELD);
        return field == null || field.getVarintList().isEmpty() ? -1 : field.getVarintList().get(0);
    }

    private final byte code;

    KvCommand(int code) {
        this.code = (byte) code;
    }

    /** The command carrying {@code request}. */
    public byte[] encode(MessageLite request) {
        byte[] body = request.toByteArray();
        byte[] out = new byte[body.length + 1];
        out[0] = code;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    static KvCommand of(byte code) {
        for (KvCommand c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown kv command type " + code);
    }

    static <T> T body(byte[] command, Parser<T> parser) {
        try {
            return parser.parseFrom(command, 1, command.length - 1);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("corrupt kv command", e);
        }
    }

    static byte[] ok(MessageLite response) {
        byte[] body = response.toByteArray();
        byte[] out = new byte[body.length + 1];
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    static byte[] failed(KvError error) {
        return new byte[] {1, (byte) error.ordinal()};
    }

    /**
     * The response of an applied command.
     *
     * @throws KvException if the command failed with an etcd error
     */
    public static <T> T decodeResponse(byte[] response, Parser<T> parser) {
        if (response[0] == 1) {
            throw KvError.values()[response[1]].exception();
        }
        try {
            return parser.parseFrom(response, 1, response.length - 1);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt kv response", e);
        }
    }
}
