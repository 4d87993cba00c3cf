package io.kplane.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.proxy.ServiceTracker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's workloads on a tiny cluster: they produce the figures they claim to. */
class ProxyWorkloadTest {

    @Test
    void fullRenderAndPartialSyncReportSizesAndTimes() {
        ServiceTracker t = ProxyWorkload.cluster(50, 4);
        assertThat(t.ports()).hasSize(50);
        assertThat(t.totalEndpoints()).isEqualTo(200);
        List<String> text = new ArrayList<>();
        ProxyWorkload.FullRender ipt = ProxyWorkload.fullRender("iptables", t, 50, 4, 2, text);
        assertThat(ipt.bytes()).isEqualTo(text.get(0).length());
        // 4 postrouting/masq + per service: 1 KUBE-SERVICES + 1 masq + 4 SVC + 8 SEP; + tail; + 4 filter
        assertThat(ipt.rules()).isEqualTo(4 + 50 * 14 + 1 + 4);
        assertThat(ipt.wallMsMedian()).isPositive();
        ProxyWorkload.FullRender nft = ProxyWorkload.fullRender("nftables", t, 50, 4, 1, null);
        assertThat(nft.rules()).isGreaterThan(50 * 10);
        ProxyWorkload.PartialSync ps = ProxyWorkload.partialSyncs("iptables", t, 50, 4, 20);
        assertThat(ps.syncs()).isEqualTo(20);
        assertThat(ps.wallNanos().getTotalCount()).isEqualTo(20);
        assertThat(ps.bytesPerSync()).isPositive().isLessThan(ipt.bytes());
        ProxyWorkload.PartialSync pn = ProxyWorkload.partialSyncs("nftables", t, 50, 4, 20);
        assertThat(pn.bytesPerSync()).isPositive().isLessThan(nft.bytes() / 10);
    }
}
