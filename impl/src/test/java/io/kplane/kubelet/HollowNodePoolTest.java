package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.Eventually;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.client.RealApiServer;
import io.kplane.model.Condition;
import io.kplane.model.Container;
import io.kplane.model.Node;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand hollow kubelets in this JVM against the real API server: every Node registers Ready
 * with its Lease, pods bound across them (also past the 256th node, whose pod CIDRs leave
 * 10.244.0.0/16) run with distinct IPs from their node's /24, and a graceful deletion is
 * finished by the right kubelet — all on one pod watch and a handful of threads.
 */
class HollowNodePoolTest {
    static final int NODES = 1000;
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void aThousandHollowNodesRunInOneJvmOnAHandfulOfThreads() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            List<KubeletConfig> configs = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                configs.add(KubeletConfig.hollow("pool-", i, "zone-" + (i % 3)));
            }
            try (HollowNodePool pool = new HollowNodePool(client, configs, InstantSource.system(), 8)
                    .start(Duration.ofMinutes(4))) {
                List<Node> nodes = client.listAll(ApiResource.NODES, null, ListOptions.NONE).items();
                assertThat(nodes).hasSize(NODES);
                assertThat(nodes).allSatisfy(n -> assertThat(Condition.find(n.status().conditions(), "Ready").status())
                        .isEqualTo(Condition.TRUE));
                assertThat(client.listAll(ApiResource.LEASES, "kube-node-lease", ListOptions.NONE).items()).hasSize(NODES);
                long kubeletThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("kubelet-")).count();
                assertThat(kubeletThreads).as("8 sync threads and at most 4 probe threads for %d nodes", NODES)
                        .isLessThanOrEqualTo(12);

                // one pod on every 50th node, the last ones past the first 256
                List<Integer> indexes = new ArrayList<>();
                for (int i = 0; i < NODES; i += 50) {
                    indexes.add(i);
                }
                indexes.add(NODES - 1);
                for (int i : indexes) {
                    client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "p" + i),
                            PodSpec.of(List.of(Container.of("c", "nginx"))).withNodeName("pool-" + i)));
                }
                Eventually.until("every pod Running", () -> client.list(ApiResource.PODS, "default", ListOptions.NONE).items()
                        .stream().filter(p -> p.status() != null && "Running".equals(p.status().phase())).count() == indexes.size());
                Set<String> ips = new HashSet<>();
                for (int i : indexes) {
                    Pod p = client.get(ApiResource.PODS, "default", "p" + i);
                    String cidr = configs.get(i).podCidr();
                    assertThat(p.status().podIP()).as("p" + i).startsWith(cidr.substring(0, cidr.length() - "0/24".length()));
                    assertThat(p.status().hostIP()).isEqualTo(configs.get(i).internalIp());
                    ips.add(p.status().podIP());
                }
                assertThat(ips).hasSize(indexes.size());
                assertThat(client.get(ApiResource.PODS, "default", "p" + (NODES - 1)).status().podIP()).startsWith("10.247.231.");

                // graceful deletion of the last node's pod is finished by its kubelet
                client.delete(ApiResource.PODS, "default", "p" + (NODES - 1), DeleteOptions.DEFAULT);
                Eventually.until("the deleted pod gone", () -> client.getOrNull(ApiResource.PODS, "default", "p" + (NODES - 1)) == null);
                assertThat(pool.kubelets()).hasSize(NODES).allMatch(HollowKubelet::running);
            }
        }
    }
}
