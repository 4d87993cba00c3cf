package io.kplane.proxy;

import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.ipvs.IpvsRenderer;
import io.kplane.proxy.ipvs.IpvsRuleset;
import io.kplane.proxy.nftables.NftablesRenderer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules each backend renders for {@link ProxyFixture#sample()} (and a partial sync after one
 * change), compared byte for byte with checked-in golden files in
 * {@code impl/src/test/resources/io/kplane/proxy/golden/}. A deliberate change of the output is
 * reviewed as a diff of those files; to rewrite them, run
 * <pre>mvn -pl impl -am test -Dtest=GoldenRulesTest -Dsurefire.failIfNoSpecifiedTests=false -Dkplane.golden.update=true</pre>
 * and commit the result.
 */
class GoldenRulesTest {
    private static final Path DIR = Path.of("src/test/resources/io/kplane/proxy/golden");

    static void assertGolden(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("kplane.golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(file)).as(file + " exists (generate it with -Dkplane.golden.update=true)").isTrue();
        assertThat(actual).as("rendered rules vs " + file + " (regenerate with -Dkplane.golden.update=true)")
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The change of the partial syncs: svc1 gets a third endpoint. */
    private static Set<NamespacedName> change(ServiceTracker t) {
        t.upsertEndpointSlice(ProxyFixture.slice("ns1", "svc1", "svc1-abc", java.util.List.of(ProxyFixture.port("p80", 80, Protocol.TCP)),
                ProxyFixture.ready("10.180.0.1", ProxyFixture.NODE), ProxyFixture.ready("10.180.0.2", "node2"),
                ProxyFixture.ready("10.180.0.3", "node3")), -1);
        return t.applyPending().services();
    }

    @Test
    void iptablesFullAndPartialSyncMatchTheGoldenFiles() throws IOException {
        ServiceTracker t = ProxyFixture.sample();
        IptablesRenderer r = new IptablesRenderer(ProxyFixture.config());
        assertGolden("iptables-full.txt", r.render(t, Set.of(), true).text());
        assertGolden("iptables-partial.txt", r.render(t, change(t), false).text());
    }

    @Test
    void nftablesFullAndPartialSyncMatchTheGoldenFiles() throws IOException {
        ServiceTracker t = ProxyFixture.sample();
        NftablesRenderer r = new NftablesRenderer(ProxyFixture.config());
        assertGolden("nftables-full.txt", r.render(t, Set.of(), true).text());
        assertGolden("nftables-partial.txt", r.render(t, change(t), false).text());
    }

    @Test
    void ipvsRulesMatchTheGoldenFile() throws IOException {
        IpvsRuleset rs = new IpvsRenderer(ProxyFixture.config()).render(ProxyFixture.sample());
        assertGolden("ipvs.txt", "### ipvsadm-restore\n" + rs.ipvsadmRestore() + "### ip -batch\n" + rs.addressBatch()
                + "### ipset restore\n" + rs.ipsetRestore() + "### iptables-restore --noflush\n" + rs.iptablesRestore());
    }
}
