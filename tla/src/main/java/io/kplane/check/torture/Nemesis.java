package io.kplane.check.torture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Injects one fault at a time from the enabled set, each held for a few seconds and then healed,
 * with a short calm between faults; after each heal it restarts any member that died on its own
 * (e.g. on a full disk) and records that exit. Single-threaded: {@link #run} is the nemesis thread.
 */
final class Nemesis {
    private final Members members;
    private final Sandbox sandbox;
    private final List<Fault> faults;
    private final SplittableRandom random;
    private final LongSupplier elapsedNanos;
    private final List<Fault.Injected> injected = new ArrayList<>();
    private final List<String> exits = new ArrayList<>();
    private volatile String current = "none";
    private volatile boolean running = true;

    Nemesis(Members members, Sandbox sandbox, List<Fault> faults, long seed, LongSupplier elapsedNanos) {
        this.members = members;
        this.sandbox = sandbox;
        this.faults = faults;
        this.random = new SplittableRandom(seed);
        this.elapsedNanos = elapsedNanos;
    }

    String current() {
        return current;
    }

    void stop() {
        running = false;
    }

    synchronized List<Fault.Injected> injected() {
        return List.copyOf(injected);
    }

    synchronized List<String> exits() {
        return List.copyOf(exits);
    }

    /** Runs faults until {@link #stop()}; always leaves every member healed and running. */
    void run() {
        int next = faults.isEmpty() ? 0 : random.nextInt(faults.size()); // --nemesis none: no faults, only the final heal
        while (running) {
            if (!sleep(1000 + random.nextInt(1500)) || faults.isEmpty()) {
                break;
            }
            Fault f = faults.get(next);
            next = (next + 1) % faults.size(); // round robin from a random start: every fault gets its turn
            double start = seconds();
            String detail;
            String outcome = "healed";
            try {
                detail = inject(f);
                current = f.cliName + ": " + detail;
                sleep(1500 + random.nextInt(2500));
            } catch (Exception e) {
                detail = "not injected: " + e.getMessage();
                outcome = "skipped";
            }
            try {
                healAll();
            } catch (Exception e) {
                outcome = "heal failed: " + e;
            }
            current = "none";
            synchronized (this) {
                injected.add(new Fault.Injected(f.cliName, detail, start, seconds(), outcome));
            }
        }
        try {
            healAll();
        } catch (Exception e) {
            synchronized (this) {
                exits.add("final heal failed: " + e);
            }
        }
    }

    private String inject(Fault f) throws Exception {
        switch (f) {
            case KILL_LEADER, KILL_FOLLOWER -> {
                int m = pick(f == Fault.KILL_LEADER);
                members.kill(m);
                return "SIGKILL " + name(m);
            }
            case PAUSE_LEADER, PAUSE_FOLLOWER -> {
                int m = pick(f == Fault.PAUSE_LEADER);
                members.pause(m);
                return "SIGSTOP " + name(m);
            }
            case PARTITION_LEADER -> {
                int m = pick(true);
                List<Integer> rest = members.ids().stream().filter(i -> i != m).toList();
                sandbox.partition(List.of(m), rest);
                return name(m) + " | " + names(rest);
            }
            case PARTITION_HALVES -> {
                List<Integer> shuffled = new ArrayList<>(members.ids());
                for (int i = shuffled.size() - 1; i > 0; i--) {
                    java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
                }
                List<Integer> minority = shuffled.subList(0, shuffled.size() / 2);
                List<Integer> majority = shuffled.subList(shuffled.size() / 2, shuffled.size());
                sandbox.partition(minority, majority);
                return names(minority) + " | " + names(majority);
            }
            case DISK_FULL -> {
                int m = members.ids().get(random.nextInt(members.size()));
                long filled = fill(filler(m));
                return "filled " + name(m) + "'s disk with " + (filled >> 20) + " MiB";
            }
            case MEMBER_REPLACE -> {
                int m = pick(false);
                return members.replace(m);
            }
            case MEMBER_REPLACE_UNDER_FAULT -> {
                int m = pick(false);
                String replaced = members.replace(m);
                // m has just been started with an empty log: fault the leader before m has caught up
                Optional<Integer> l = members.leader();
                int leader = l.orElseGet(() -> {
                    List<Integer> others = members.ids().stream().filter(i -> i != m).toList();
                    return others.get(random.nextInt(others.size()));
                });
                Fault second = List.of(Fault.KILL_LEADER, Fault.PAUSE_LEADER, Fault.PARTITION_LEADER).get(random.nextInt(3));
                switch (second) {
                    case KILL_LEADER -> members.kill(leader);
                    case PAUSE_LEADER -> members.pause(leader);
                    default -> sandbox.partition(List.of(leader),
                            members.ids().stream().filter(i -> i != leader).toList());
                }
                return replaced + "; then " + second.cliName + " " + name(leader) + (l.isEmpty() ? " (no leader known)" : "");
            }
        }
        throw new AssertionError(f);
    }

    /** The leader (if {@code leader} and one is known), otherwise a random other member. */
    private int pick(boolean leader) {
        Optional<Integer> l = members.leader();
        if (leader && l.isPresent()) {
            return l.get();
        }
        List<Integer> others = members.ids().stream().filter(i -> l.isEmpty() || i != l.get()).toList();
        return others.get(random.nextInt(others.size()));
    }

    private Path filler(int m) {
        return members.dataDir(m).resolve("disk-full.filler");
    }

    /** Writes zeros until the file system refuses (ENOSPC). */
    private static long fill(Path file) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            if (written == 0 && !String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
            return written;
        }
    }

    private void healAll() throws IOException, InterruptedException {
        sandbox.heal();
        for (int m : members.ids()) {
            Files.deleteIfExists(filler(m));
            if (members.paused(m)) {
                members.resume(m);
            }
        }
        for (int m : members.ids()) {
            if (!members.alive(m) && !members.removed(m)) {
                Optional<Integer> code = members.exitCode(m);
                if (code.isPresent() && code.get() != 137 && code.get() != 143) {
                    synchronized (this) {
                        exits.add(String.format("%.1fs: %s exited with %d on its own (see %s.log); restarted",
                                seconds(), name(m), code.get(), name(m)));
                    }
                }
                members.start(m, false);
            }
        }
        members.resetBackoff();
        members.readdRemoved(); // last: its MemberAdd needs the quorum the restarts above bring back
    }

    private String name(int m) {
        return members.target().memberName(m);
    }

    private String names(List<Integer> ms) {
        return String.join(",", ms.stream().map(this::name).toList());
    }

    private double seconds() {
        return elapsedNanos.getAsLong() / 1e9;
    }

    private boolean sleep(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (running && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running;
    }
}
