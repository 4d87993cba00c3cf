package io.kplane.proxy.runtime;

import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.RulesApplier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.KubeClient;
import io.kplane.client.RealApiServer;
import io.kplane.model.Json;
import io.kplane.model.Namespace;
import io.kplane.model.ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy runtime against the real API server: Service/EndpointSlice changes become rules, in dry-run and in a netns. */
class ProxyRuntimeTest {
    @TempDir Path dir;

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void createObjects(KubeClient client) {
        client.create(ApiResource.NAMESPACES, Namespace.of(ObjectMeta.of(null, "ns"), null, null));
        client.create(ApiResource.SERVICES, ProxySyncLoopTest.service("web", "10.96.0.50", "TCP"));
        client.create(ApiResource.ENDPOINT_SLICES, ProxySyncLoopTest.slice("web", "10.244.1.7", null));
    }

    @Test
    void dryRunKeepsTheRulesForTheApiServersServicesAndFollowsChanges() throws Exception {
        Path rulesFile = dir.resolve("rules.txt");
        try (RealApiServer api = new RealApiServer(dir.resolve("api"))) {
            KubeClient client = api.client();
            createObjects(client);
            try (ProxyRuntime proxy = new ProxyRuntime(client, ProxyConfig.defaults("n1"), ProxySyncLoop.Backend.IPTABLES,
                    null, rulesFile, Duration.ofMillis(50), Duration.ofSeconds(30)).start()) {
                eventually("DNAT to the endpoint", () -> proxy.rules().contains("--to-destination 10.244.1.7:8080"));
                assertThat(proxy.rules()).contains("-d 10.96.0.50 --dport 80");
                // The file follows each sync: an earlier one (before the endpoints were seen) may be there first.
                eventually("rules file with the endpoint", () -> {
                    try {
                        return Files.exists(rulesFile) && Files.readString(rulesFile).contains("--to-destination 10.244.1.7:8080");
                    } catch (java.io.IOException e) {
                        return false; // being replaced: read it again
                    }
                });
                assertThat(Files.readString(rulesFile)).startsWith("# kplane-proxy node=n1 synced=");

                // A new endpoint is picked up from the watch; deleting the Service removes its rules.
                var slice = client.get(ApiResource.ENDPOINT_SLICES, "ns", "web-x");
                var updated = Json.read(Json.write(slice).replace("10.244.1.7", "10.244.2.9"),
                        io.kplane.model.EndpointSlice.class);
                client.update(ApiResource.ENDPOINT_SLICES, updated);
                eventually("the new endpoint", () -> proxy.rules().contains("--to-destination 10.244.2.9:8080")
                        && !proxy.rules().contains("10.244.1.7"));
                client.delete(ApiResource.SERVICES, "ns", "web", DeleteOptions.DEFAULT);
                eventually("service rules gone", () -> !proxy.rules().contains("10.96.0.50"));
                assertThat(proxy.loop().lastError()).isNull();
            }
        }
    }

    @Test
    void appliesTheRulesInANetworkNamespace() throws Exception {
        assumeTrue(NetworkNamespace.available("iptables-legacy-restore") && NetworkNamespace.available("ip"),
                "iptables-legacy-restore / ip not installed");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: no network namespaces");
        try (RealApiServer api = new RealApiServer(dir.resolve("api"));
             NetworkNamespace ns = NetworkNamespace.create("kplane-prt")) {
            KubeClient client = api.client();
            createObjects(client);
            try (ProxyRuntime proxy = new ProxyRuntime(client, ProxyConfig.defaults("n1"), ProxySyncLoop.Backend.IPTABLES,
                    RulesApplier.iptablesInNamespace(ns), null, Duration.ofMillis(50), Duration.ofSeconds(30)).start()) {
                eventually("DNAT rule in the namespace's nat table", () -> {
                    try {
                        return ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).stdout()
                                .contains("--to-destination 10.244.1.7:8080");
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(proxy.loop().lastError()).isNull();
            }
        }
    }
}
