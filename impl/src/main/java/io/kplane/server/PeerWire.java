package io.kplane.server;

/**
 * The frame format on the peer port. Every frame: {@code u32 length | u8 kind | body}, big-endian,
 * {@code length} counting kind and body.
 * <ul>
 *   <li>{@link #HELLO} (dialer → listener, first frame): {@code u32 magic | u8 version |
 *       u64 clusterId | u64 from | u64 to}. The listener checks cluster and member id and answers
 *       {@link #REJECT} ({@code utf8 reason}) and closes if they do not match.</li>
 *   <li>{@link #RAFT}: a batch of Raft messages, encoded by {@link MessageCodec}. Connections are
 *       one-way: each member dials each peer and only writes on that connection.</li>
 *   <li>{@link #ADMIN_REQUEST} ({@code u64 requestId | u8 op | token[32] | body}, the token
 *       being the member's {@link AdminToken}: requests without it are refused) and {@link #ADMIN_RESPONSE}
 *       ({@code u64 requestId | u8 status | body}, status 0 = ok, else body is an utf8 error):
 *       a small request/response protocol for tests and diagnostics (the test fixtures' {@code AdminClient}); a
 *       connection whose first frame is an admin request is an admin connection.</li>
 * </ul>
 */
public final class PeerWire {
    public static final int MAGIC = 0x4b504c4e; // "KPLN"
    public static final byte VERSION = 1;

    public static final byte HELLO = 1;
    public static final byte REJECT = 2;
    public static final byte RAFT = 3;
    public static final byte ADMIN_REQUEST = 4;
    public static final byte ADMIN_RESPONSE = 5;

    /** Admin op: propose the body as a command; response is the state machine's answer. */
    public static final byte OP_PROPOSE = 1;
    /** Admin op: this member's status ({@link AdminStatus}). */
    public static final byte OP_STATUS = 2;
    /** Admin op: linearizable read barrier, then the state machine's applied index. */
    public static final byte OP_READ_BARRIER = 3;
    /** Admin op without a token: the cluster id and member list ({@link ClusterMembers}), for a joining member. */
    public static final byte OP_MEMBERS = 4;
    /**
     * Admin op without a token, answered by the leader only: promote the learner whose id is the
     * body ({@code u64}); the answer is the member list after it ({@link Member#encodeAll}). A
     * follower asked to promote forwards it here, as etcd forwards MemberPromote to its leader's
     * peer URL: only the leader knows how far the learner's log is.
     */
    public static final byte OP_PROMOTE = 5;

    /** Largest frame accepted (a snapshot travels in one frame). */
    public static final int MAX_FRAME_BYTES = 512 << 20;

    private PeerWire() {
    }
}
