package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 defect 9: the admin requests of the peer port proposed raw commands for any TCP client.
 * Now they need the token the member issued into its data dir.
 */
class AdminPortAuthTest {

    @TempDir
    Path dir;

    @Test
    void anAdminRequestWithoutTheMembersTokenIsRefusedAndChangesNothing() throws Exception {
        int port = NettyPeerTransportTest.freePort();
        ClusterSpec spec = ClusterSpec.parse("solo=127.0.0.1:" + port, "auth");
        StoreConfig config = StoreConfig.defaults("solo", spec, dir.resolve("solo")).withTick(Duration.ofMillis(10));
        AppendOnlyLog sm = new AppendOnlyLog();
        try (StoreNode node = StoreNode.startTcp(config, sm, null)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!node.status().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            long appliedBefore;
            try (AdminClient good = AdminClient.forDataDir(address, config.dataDir(), 5000)) {
                good.propose("first".getBytes(StandardCharsets.UTF_8));
                appliedBefore = good.status().appliedIndex();
            }
            byte[] guessed = new byte[AdminToken.BYTES];
            try (AdminClient intruder = new AdminClient(address, guessed, 5000)) {
                assertThatThrownBy(() -> intruder.propose("evil".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(AdminClient.AdminException.class).hasMessageContaining("unauthenticated");
                assertThatThrownBy(intruder::status).hasMessageContaining("unauthenticated");
            }
            try (AdminClient good = AdminClient.forDataDir(address, config.dataDir(), 5000)) {
                assertThat(good.readBarrier()).as("nothing was proposed by the refused request").isEqualTo(appliedBefore);
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.dataDir().resolve("admin.token"))))
                    .isEqualTo("rw-------");
        }
    }
}
