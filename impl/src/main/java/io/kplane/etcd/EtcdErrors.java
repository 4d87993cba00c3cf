package io.kplane.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kplane.kv.KvError;
import io.kplane.kv.KvException;
import io.kplane.server.NoLeaderException;
import io.kplane.server.ReplicaStoppedException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** etcd 3.4's gRPC status codes and messages ({@code api/v3rpc/rpctypes/error.go}) for our failures. */
final class EtcdErrors {
    static final StatusRuntimeException NO_LEADER = Status.UNAVAILABLE.withDescription("etcdserver: no leader").asRuntimeException();
    static final StatusRuntimeException TIMEOUT = Status.UNAVAILABLE.withDescription("etcdserver: request timed out").asRuntimeException();
    static final StatusRuntimeException TOO_MANY_REQUESTS = Status.RESOURCE_EXHAUSTED
            .withDescription("etcdserver: too many requests").asRuntimeException();
    static final StatusRuntimeException STOPPED = Status.UNAVAILABLE.withDescription("etcdserver: server stopped").asRuntimeException();

    private EtcdErrors() {
    }

    static Status.Code code(KvError e) {
        return switch (e) {
            case COMPACTED, FUTURE_REV, LEASE_TTL_TOO_LARGE -> Status.Code.OUT_OF_RANGE;
            case LEASE_NOT_FOUND -> Status.Code.NOT_FOUND;
            case LEASE_EXIST -> Status.Code.FAILED_PRECONDITION;
            case NO_SPACE -> Status.Code.RESOURCE_EXHAUSTED;
            default -> Status.Code.INVALID_ARGUMENT;
        };
    }

    static StatusRuntimeException of(KvError e) {
        return Status.fromCode(code(e)).withDescription(e.message()).asRuntimeException();
    }

    /** etcd 3.4's errors of the Cluster service (rpctypes: ErrGRPCMemberNotFound, ...). */
    static StatusRuntimeException membership(io.kplane.server.MembershipException.Reason r) {
        Status s = switch (r) {
            case MEMBER_NOT_FOUND -> Status.NOT_FOUND.withDescription("etcdserver: member not found");
            case PEER_URL_EXISTS -> Status.FAILED_PRECONDITION.withDescription("etcdserver: Peer URLs already exists");
            case ID_EXISTS -> Status.FAILED_PRECONDITION.withDescription("etcdserver: member ID already exist");
            case NOT_LEARNER -> Status.FAILED_PRECONDITION.withDescription("etcdserver: can only promote a learner member");
            case LEARNER_NOT_READY -> Status.FAILED_PRECONDITION
                    .withDescription("etcdserver: can only promote a learner member which is in sync with leader");
            case NOT_ENOUGH_STARTED -> Status.FAILED_PRECONDITION
                    .withDescription("etcdserver: re-configuration failed due to not enough started members");
            case TOO_MANY_LEARNERS -> Status.FAILED_PRECONDITION
                    .withDescription("etcdserver: too many learner members in cluster");
            case NOT_LEADER -> Status.FAILED_PRECONDITION.withDescription("etcdserver: not leader");
        };
        return s.asRuntimeException();
    }

    /** The gRPC error a client sees for {@code t} (unwrapping future wrappers). */
    static StatusRuntimeException toStatus(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof KvException k) {
            return of(k.error());
        }
        if (t instanceof io.kplane.server.MembershipException m) {
            return membership(m.reason());
        }
        if (t instanceof NoLeaderException) {
            return NO_LEADER;
        }
        if (t instanceof TimeoutException) {
            return TIMEOUT;
        }
        if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("overloaded")) {
            return TOO_MANY_REQUESTS; // the member's request queue is full
        }
        if (t instanceof ReplicaStoppedException || t instanceof CancellationException) {
            return STOPPED;
        }
        return Status.INTERNAL.withDescription(String.valueOf(t)).withCause(t).asRuntimeException();
    }
}
