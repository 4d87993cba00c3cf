package io.kplane.check.torture;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The member processes of one torture run: started inside their network namespaces, killed,
 * paused, restarted and (etcd) replaced through the Cluster API. Each member's output is appended
 * to {@code runDir/<name>.log} across restarts; its data dir is a tmpfs of its own.
 */
final class Members implements AutoCloseable {
    static final long DISK_BYTES = 512L << 20;

    private final Sandbox sandbox;
    private final Target target;
    private final Path runDir;
    private final List<Integer> ids;
    private final Process[] processes;
    private final boolean[] paused;
    /** Members added through MemberAdd: every later start joins ({@code --initial-cluster-state existing}). */
    private final boolean[] joined;
    /** Removed and wiped by {@link #replace}, but the MemberAdd that follows failed: added back at the next heal. */
    private final boolean[] removed;
    private final ManagedChannel[] channels;

    Members(Sandbox sandbox, Target target, int n, Path runDir) {
        this.sandbox = sandbox;
        this.target = target;
        this.runDir = runDir;
        this.ids = Target.range(n);
        this.processes = new Process[n + 1];
        this.paused = new boolean[n + 1];
        this.joined = new boolean[n + 1];
        this.removed = new boolean[n + 1];
        this.channels = new ManagedChannel[n + 1];
        for (int i = 1; i <= n; i++) {
            channels[i] = NettyChannelBuilder.forAddress(Sandbox.address(i), Target.CLIENT_PORT).usePlaintext().build();
        }
    }

    int size() {
        return ids.size();
    }

    List<Integer> ids() {
        return ids;
    }

    Target target() {
        return target;
    }

    Path dataDir(int i) {
        return runDir.resolve("data-" + target.memberName(i));
    }

    /** Mounts each member's disk and starts every member. */
    void startAll() throws IOException, InterruptedException {
        for (int i : ids) {
            sandbox.mountDisk(dataDir(i), DISK_BYTES);
            start(i, false);
        }
    }

    /**
     * Starts member {@code i}. A member once added by {@link #replace} always starts as joining: if
     * it dies before its data dir holds anything (e.g. its leader was killed while it joined), a
     * start as an original member would bootstrap a second, fresh cluster under its removed id.
     */
    synchronized void start(int i, boolean joining) throws IOException {
        joined[i] |= joining;
        joining = joined[i];
        Path log = runDir.resolve(target.memberName(i) + ".log");
        Path data = target == Target.ETCD ? dataDir(i).resolve("etcd") : dataDir(i).resolve("store");
        processes[i] = new ProcessBuilder(sandbox.inMember(i, target.command(i, ids, data, joining)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        paused[i] = false;
    }

    synchronized boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    synchronized Optional<Integer> exitCode(int i) {
        return processes[i] == null || processes[i].isAlive() ? Optional.empty() : Optional.of(processes[i].exitValue());
    }

    void kill(int i) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = processes[i];
        }
        if (p != null) {
            p.destroyForcibly().waitFor(); // SIGKILL
        }
    }

    synchronized void pause(int i) throws IOException, InterruptedException {
        if (alive(i)) {
            Sandbox.signal(processes[i].pid(), "STOP");
            paused[i] = true;
        }
    }

    synchronized void resume(int i) throws IOException, InterruptedException {
        if (processes[i] != null) {
            Sandbox.signal(processes[i].pid(), "CONT");
        }
        paused[i] = false;
    }

    synchronized boolean paused(int i) {
        return paused[i];
    }

    /** Member {@code i}'s view of the cluster, or empty if it does not answer within a second. */
    Optional<StatusResponse> status(int i) {
        try {
            return Optional.of(MaintenanceGrpc.newBlockingStub(channels[i]).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The member that some answering member names as leader and that claims to be it. */
    Optional<Integer> leader() {
        for (int i : ids) {
            if (paused(i) || !alive(i)) {
                continue;
            }
            Optional<StatusResponse> s = status(i);
            if (s.isPresent() && s.get().getLeader() != 0 && s.get().getLeader() == s.get().getHeader().getMemberId()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    ManagedChannel channel(int i) {
        return channels[i];
    }

    void resetBackoff() {
        for (int i : ids) {
            channels[i].resetConnectBackoff();
        }
    }

    /**
     * Replaces member {@code i} — MemberRemove through another member, stop it, wipe its
     * data, MemberAdd it back with the same peer URL, start it with {@code --initial-cluster-state
     * existing}. Returns what happened, for the fault log.
     */
    String replace(int i) throws IOException, InterruptedException {
        int via = answering(i);
        ClusterGrpc.ClusterBlockingStub cluster = ClusterGrpc.newBlockingStub(channels[via]);
        String peerUrl = "http://" + Sandbox.address(i) + ":" + Target.PEER_PORT;
        Member member = cluster.withDeadlineAfter(5, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance())
                .getMembersList().stream().filter(m -> m.getPeerURLsList().contains(peerUrl)).findFirst().orElse(null);
        if (member != null) {
            // etcd refuses a removal while the cluster is unhealthy (e.g. a member still restarting after
            // the previous fault): retry for a while, as an operator would
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                try {
                    cluster.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .memberRemove(MemberRemoveRequest.newBuilder().setID(member.getID()).build());
                    break;
                } catch (io.grpc.StatusRuntimeException e) {
                    if (System.nanoTime() > deadline || !String.valueOf(e.getStatus().getDescription()).contains("unhealthy")) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        }
        kill(i);
        try (Stream<Path> files = Files.walk(dataDir(i))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dataDir(i))) {
                    Files.delete(p);
                }
            }
        }
        synchronized (this) {
            removed[i] = true; // until the MemberAdd below succeeds (or readdRemoved() does it at a heal)
        }
        long newId = add(cluster, i);
        start(i, true);
        return "removed " + target.memberName(i) + (member == null ? " (was not listed)" : " (id " + Long.toHexString(member.getID()) + ")")
                + " via " + target.memberName(via) + ", wiped its data, added it back as " + Long.toHexString(newId);
    }

    /**
     * A member other than {@code i} to send Cluster requests through: one that answers Status (a
     * process that is alive may still be starting), else any running one.
     */
    private int answering(int i) {
        List<Integer> running = ids.stream().filter(j -> j != i && alive(j) && !paused(j)).toList();
        return running.stream().filter(j -> status(j).isPresent()).findFirst()
                .orElseGet(() -> running.stream().findFirst().orElseThrow(() -> new IllegalStateException("no other member runs")));
    }

    /** MemberAdd of member {@code i}'s peer URL (as a voter); the new member id. */
    private long add(ClusterGrpc.ClusterBlockingStub cluster, int i) {
        String peerUrl = "http://" + Sandbox.address(i) + ":" + Target.PEER_PORT;
        long id = cluster.withDeadlineAfter(10, TimeUnit.SECONDS)
                .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).build()).getMember().getID();
        synchronized (this) {
            removed[i] = false;
        }
        return id;
    }

    /** Whether member {@code i} was removed and is waiting to be added back (it must not be started before). */
    synchronized boolean removed(int i) {
        return removed[i];
    }

    /**
     * Adds back and starts every member whose replacement stopped after the removal (its MemberAdd
     * failed, e.g. for want of a leader while a fault held): without this the run would go on
     * with a member less, and a restart of the wiped member would find itself in no member list.
     */
    void readdRemoved() throws IOException, InterruptedException {
        for (int i : ids) {
            if (removed(i)) {
                int via = answering(i);
                // the members restarted by the same heal may still be electing a leader: retry a while
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (true) {
                    try {
                        add(ClusterGrpc.newBlockingStub(channels[via]), i);
                        break;
                    } catch (io.grpc.StatusRuntimeException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(500);
                    }
                }
                start(i, true);
            }
        }
    }

    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (int i : ids) {
            out.add(processes[i] == null ? -1 : processes[i].pid());
        }
        return out;
    }

    @Override
    public void close() {
        for (int i : ids) {
            Process p = processes[i];
            if (p != null && p.isAlive()) {
                try {
                    Sandbox.signal(p.pid(), "CONT");
                } catch (IOException | InterruptedException ignored) {
                    // best effort
                }
                p.destroy();
            }
        }
        for (int i : ids) {
            Process p = processes[i];
            try {
                if (p != null && !p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channels[i].shutdownNow();
        }
        for (int i : ids) {
            sandbox.unmount(dataDir(i));
        }
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
