package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.AdminStatus;
import io.kplane.server.LogStoreProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose write-ahead log is gone but whose data dir still has its identity: a plain start is
 * refused ("member has already been bootstrapped", as etcd says), because a fresh log would let it
 * vote again in a term it voted in and forget entries it acknowledged. {@code --rejoin-as-learner}
 * lets it catch up without voting. Three real {@code kplane store} processes, kill -9, real disk.
 */
class LostWalProcessTest {

    @TempDir
    Path dir;

    private LogStoreProcesses cluster;

    @AfterEach
    void killAll() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Failed before the fix: the member started with a fresh log as a voter (exit code never came). */
    @Test
    void memberWithIdentityButNoWalRefusesToStartAndRejoinsOnlyAsLearner() throws Exception {
        List<String> names = List.of("n1", "n2", "n3");
        cluster = new LogStoreProcesses(dir, names, List.of("--tick-ms", "50", "--election-ticks", "10"));
        for (String n : names) {
            cluster.start(n);
        }
        String leader = cluster.awaitLeader(names, Duration.ofSeconds(60));
        assertThat(leader).as("leader; logs:\n" + cluster.log("n1") + cluster.log("n2") + cluster.log("n3")).isNotNull();
        String victim = names.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        assertThat(cluster.awaitAnswer(victim, Duration.ofSeconds(60))).isNotNull();
        cluster.propose(leader, "before-", 20);
        AdminStatus leaderStatus = cluster.status(leader);
        assertThat(cluster.awaitApplied(victim, leaderStatus.appliedIndex(), Duration.ofSeconds(30)).appliedIndex())
                .isGreaterThanOrEqualTo(leaderStatus.appliedIndex());

        cluster.kill(victim);
        deleteTree(dir.resolve(victim).resolve("wal"));
        deleteTree(dir.resolve(victim).resolve("snap"));
        assertThat(dir.resolve(victim).resolve("member.properties")).exists();

        Process refused = cluster.start(victim);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as("refused start exits; log:\n" + cluster.log(victim)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(cluster.log(victim)).contains("has already been bootstrapped").contains("--rejoin-as-learner");
        // Refusing twice is stable: the attempt left nothing that would let a third start through.
        Process again = cluster.start(victim);
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isEqualTo(1);

        cluster.propose(leader, "while-gone-", 10);
        cluster.start(victim, "--rejoin-as-learner");
        long target = cluster.status(leader).appliedIndex();
        AdminStatus caughtUp = cluster.awaitApplied(victim, target, Duration.ofSeconds(60));
        assertThat(caughtUp).as("re-joined member answers; log:\n" + cluster.log(victim)).isNotNull();
        assertThat(caughtUp.appliedIndex()).as("caught up; log:\n" + cluster.log(victim) + "\nleader log:\n"
                + cluster.log(leader)).isGreaterThanOrEqualTo(target);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cluster.log(victim).contains("votes and campaigns again") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(cluster.log(victim)).contains("re-joins with a fresh one").contains("votes and campaigns again");
        assertThat(dir.resolve(victim).resolve("rejoining-as-learner")).doesNotExist();
        // It writes through the cluster like any member afterwards.
        cluster.propose(victim, "after-", 5);
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
