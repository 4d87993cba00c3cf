package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kplane.proxy.NetworkNamespace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kplane proxy render} on a kubectl-style List, for each backend, and applied into a test namespace;
 * the dual-stack flags of {@code proxy run} and {@code apiserver}.
 */
class ProxyCommandTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path cluster() throws Exception {
        Path p = dir.resolve("cluster.yaml");
        try (var in = getClass().getResourceAsStream("/io/kplane/proxy/cluster.yaml")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @Test
    void rendersKubectlListOutputWithKubeProxysChainNames() throws Exception {
        Run r = run("proxy", "render", "--services", cluster().toString(), "--node", "node1", "--cluster-cidr", "10.244.0.0/16");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "-A KUBE-SERVICES -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y\n",
                "-j KUBE-SVC-TCOU7JCQXEZGVUNU\n", "-j KUBE-SVC-ERIFXISQEP7F7OF4\n", "-j KUBE-SVC-JD5MR3NA4I4DYORP\n",
                "\"shop/empty has no endpoints\"", "--rcheck --seconds 600 --reap",
                "-A KUBE-NODEPORTS -m comment --comment \"shop/web:http health check node port\" -m tcp -p tcp --dport 32000 -j ACCEPT\n")
                .doesNotContain("headless");
        assertThat(r.err()).contains("6 service ports, 10 endpoints -> iptables backend");
    }

    @Test
    void rendersNftablesAndIpvs() throws Exception {
        Run nft = run("proxy", "render", "--services", cluster().toString(), "--backend", "nftables", "--node", "node1");
        assertThat(nft.code()).as(nft.err()).isZero();
        assertThat(nft.out()).contains("add element ip kube-proxy service-ips { 10.96.0.1 . tcp . 443 : goto service-");
        Run ipvs = run("proxy", "render", "--services", cluster().toString(), "--backend", "ipvs", "--node", "node1",
                "--node-ip", "192.168.0.10", "--ipvs-scheduler", "lc");
        assertThat(ipvs.code()).as(ipvs.err()).isZero();
        assertThat(ipvs.out()).contains("### ipvsadm-restore\n-A -t 10.96.0.1:443 -s lc\n", "### ipset restore\n",
                "-A -t 198.51.100.50:80 -s lc -p 600\n");
        Run noIp = run("proxy", "render", "--services", cluster().toString(), "--backend", "ipvs");
        assertThat(noIp.code()).isEqualTo(1);
        assertThat(noIp.err()).contains("needs --node-ip");
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        Run missing = run("proxy", "render", "--services", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: y}\nspec:\n  clusterIP: 10.0.0.1\n  ports:\n  - port: 80\n    protocol: ICMP\n");
        Run proto = run("proxy", "render", "--services", bad.toString());
        assertThat(proto.code()).isEqualTo(1);
        assertThat(proto.err()).contains("Service y/x").contains("unsupported protocol \"ICMP\"");
        Path garbage = dir.resolve("garbage.yaml");
        Files.writeString(garbage, "{ this is : [ not yaml");
        assertThat(run("proxy", "render", "--services", garbage.toString()).err()).contains("cannot read");
    }

    @Test
    void refusesToApplyWithoutANamespaceOrExplicitHost() throws Exception {
        Run r = run("proxy", "render", "--services", cluster().toString(), "--apply");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--apply needs --netns NAME");
        Run missingNs = run("proxy", "render", "--services", cluster().toString(), "--apply", "--netns", "kplane-no-such-ns");
        assertThat(missingNs.code()).isNotZero();
        assertThat(missingNs.err()).contains("does not exist");
    }

    @Test
    void appliesIntoTheNamedNamespaceOnly() throws Exception {
        assumeTrue(NetworkNamespace.available("iptables-legacy-restore") && NetworkNamespace.available("nft")
                && NetworkNamespace.available("ip"), "tools missing: skipping apply test");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: skipping apply test");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-cli")) {
            for (String backend : List.of("iptables", "nftables")) {
                Run r = run("proxy", "render", "--services", cluster().toString(), "--backend", backend, "--node", "node1",
                        "--apply", "--netns", ns.name());
                assertThat(r.code()).as(backend + ": " + r.err()).isZero();
                assertThat(r.err()).contains("applied in network namespace " + ns.name());
            }
            // Applying twice is fine (jump rules are checked before insertion).
            Run again = run("proxy", "render", "--services", cluster().toString(), "--node", "node1", "--apply", "--netns", ns.name());
            assertThat(again.code()).as(again.err()).isZero();
            String saved = ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).orThrow("save").stdout();
            assertThat(saved).contains(":KUBE-SVC-NPX46M4PTMTKRN6Y").containsOnlyOnce("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
            String nft = ns.exec(List.of("nft", "list", "table", "ip", "kube-proxy"), (byte[]) null).orThrow("nft list").stdout();
            assertThat(nft).contains("10.96.0.1 . tcp . 443 : goto service-");
        }
        // The host namespace was not touched.
        String hostNat = NetworkNamespace.host().exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).stdout();
        assertThat(hostNat).doesNotContain("KUBE-SVC-NPX46M4PTMTKRN6Y");
    }

    @Test
    void proxyRunDocumentsDualStackAndRefusesBadFamilyFlags() throws Exception {
        Run help = run("proxy", "run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--ip-families", "--cluster-cidr", "--node-ip", "Dual-stack", "rules.ipv6.txt",
                "the primary IP family is the node IP's");
        // Checked before the API server is contacted: this kubeconfig names a server nobody runs.
        Path kubeconfig = dir.resolve("kubeconfig");
        io.kplane.apiserver.Kubeconfig.write(kubeconfig, "https://127.0.0.1:1", null, "t");
        Run bad = run("proxy", "run", "--kubeconfig", kubeconfig.toString(), "--ip-families", "IPv5");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--ip-families takes auto, or IPv4 and/or IPv6");
        Run twoV4 = run("proxy", "run", "--kubeconfig", kubeconfig.toString(), "--node-ip", "10.0.0.1,10.0.0.2");
        assertThat(twoV4.code()).isEqualTo(2);
        assertThat(twoV4.err()).contains("--node-ip takes at most one value per IP family");
        Run badCidr = run("proxy", "run", "--kubeconfig", kubeconfig.toString(), "--cluster-cidr", "10.244.0.0/16,nonsense");
        assertThat(badCidr.code()).isEqualTo(2);
        assertThat(badCidr.err()).contains("nonsense");
    }

    @Test
    void apiserverRefusesABadServiceClusterIpRange() {
        Run r = run("apiserver", "--store", "embedded", "--kubeconfig", dir.resolve("kc").toString(),
                "--service-cluster-ip-range", "10.96.0.0/12,10.200.0.0/16");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("must be of different IP family");
        assertThat(run("apiserver", "--help").out()).contains("--service-cluster-ip-range", "10.96.0.0/12,fd00:10:96::/108");
        assertThat(dir.resolve("kc")).doesNotExist();
    }
}
