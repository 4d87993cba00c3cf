package io.kplane.proxy.runtime;

import io.kplane.proxy.IpFamily;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.RulesApplier;
import io.kplane.client.ApiResource;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.model.EndpointSlice;
import io.kplane.model.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The proxy as a running component: informers on Services and EndpointSlices feed one
 * {@link ProxySyncLoop} per IP family the node serves (kube-proxy's dual-stack mode: an IPv4 and
 * an IPv6 proxier from the same informers, each taking its family's cluster IPs and only the
 * EndpointSlices of its {@code addressType}). Each family's rules go either into a network
 * namespace (a real applier: {@code iptables-restore} / {@code ip6tables-restore}, or the
 * {@code ip}/{@code ip6 kube-proxy} nftables table) or, in dry-run, nowhere but
 * {@link #rules(IpFamily)} and an optional rules file. Dry-run syncs are always full, so the text
 * kept is the complete rule set the proxy would program at that moment.
 *
 * <p>The rules file (written atomically after every successful sync) starts with a comment line
 * {@code # kplane-proxy node=<node> synced=<epoch-millis> syncs=<n>} so that readers (demo,
 * diagnose) can tell how fresh it is. The primary family's rules go to the file named; the other
 * family's to {@link #rulesFileFor} (e.g. {@code rules.ipv6.txt}), so single-stack readers keep
 * reading the file they know.
 */
public final class ProxyRuntime implements AutoCloseable {
    /** One family's proxier: its loop and what it last synced. */
    private final class FamilyProxier {
        final IpFamily family;
        final ProxySyncLoop loop;
        final Path rulesFile;
        volatile String rules = "";
        volatile long lastSyncMillis;
        Thread thread;

        FamilyProxier(ProxyConfig config, ProxySyncLoop.Backend backend, RulesApplier applier, Path rulesFile,
                      SyncScheduler scheduler) {
            this.family = config.family();
            this.rulesFile = rulesFile;
            this.loop = new ProxySyncLoop(config, backend, recording(applier), scheduler,
                    () -> System.currentTimeMillis() * 1_000_000L);
        }

        private RulesApplier recording(RulesApplier inner) {
            return new RulesApplier() {
                @Override
                public void apply(String text, boolean full) throws Exception {
                    if (inner != null) {
                        inner.apply(text, full);
                    }
                    if (full || inner == null) {
                        rules = text;
                    }
                    lastSyncMillis = System.currentTimeMillis();
                    writeRulesFile(text);
                }

                @Override
                public Set<String> existingChains() throws Exception {
                    return inner == null ? Set.of() : inner.existingChains();
                }
            };
        }

        private void writeRulesFile(String text) throws IOException {
            if (rulesFile == null) {
                return;
            }
            Path tmp = rulesFile.resolveSibling(rulesFile.getFileName() + ".tmp");
            String header = "# kplane-proxy node=" + nodeName + " synced=" + lastSyncMillis + " syncs=" + (loop.syncs() + 1) + "\n";
            Files.writeString(tmp, header + text, StandardCharsets.UTF_8);
            Files.move(tmp, rulesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private final List<FamilyProxier> proxiers = new ArrayList<>();
    private final Informer<Service> services;
    private final Informer<EndpointSlice> slices;
    private final String nodeName;

    /**
     * A single-stack proxy for {@code config.family()}.
     *
     * @param applier   where rules go; null for dry-run
     * @param rulesFile where the rules text is mirrored after each sync; null for none
     */
    public ProxyRuntime(KubeClient client, ProxyConfig config, ProxySyncLoop.Backend backend, RulesApplier applier,
                        Path rulesFile, Duration minSyncPeriod, Duration syncPeriod) {
        this(client, List.of(config), backend, applier == null ? null : family -> applier, rulesFile, minSyncPeriod, syncPeriod);
    }

    /**
     * A proxy with one proxier per entry of {@code families} (the primary family first; at most one
     * config per family, all for the same node).
     *
     * @param appliers  each family's applier; null for dry-run
     * @param rulesFile where the primary family's rules are mirrored after each sync (the others' to
     *                  {@link #rulesFileFor}); null for none
     */
    public ProxyRuntime(KubeClient client, List<ProxyConfig> families, ProxySyncLoop.Backend backend,
                        Function<IpFamily, RulesApplier> appliers, Path rulesFile, Duration minSyncPeriod, Duration syncPeriod) {
        if (families.isEmpty() || families.stream().map(ProxyConfig::family).distinct().count() != families.size()) {
            throw new IllegalArgumentException("one proxy config per IP family, not " + families.stream().map(ProxyConfig::family).toList());
        }
        this.nodeName = families.get(0).nodeName();
        long fullPeriod = appliers == null ? 0 : Duration.ofHours(1).toNanos();
        for (ProxyConfig config : families) {
            SyncScheduler scheduler = new SyncScheduler(minSyncPeriod.toNanos(), syncPeriod.toNanos(), fullPeriod,
                    Duration.ofSeconds(1).toNanos());
            Path file = rulesFile == null ? null
                    : config == families.get(0) ? rulesFile : rulesFileFor(rulesFile, config.family());
            proxiers.add(new FamilyProxier(config, backend, appliers == null ? null : appliers.apply(config.family()), file, scheduler));
        }
        this.services = new Informer<>(client, ApiResource.SERVICES);
        this.slices = new Informer<>(client, ApiResource.ENDPOINT_SLICES);
        // Every family's loop sees every object: each keeps only what is of its family.
        services.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Service s) {
                proxiers.forEach(p -> p.loop.onServiceUpsert(s));
            }

            @Override
            public void onUpdate(Service o, Service s) {
                proxiers.forEach(p -> p.loop.onServiceUpsert(s));
            }

            @Override
            public void onDelete(Service s) {
                proxiers.forEach(p -> p.loop.onServiceDelete(s));
            }
        });
        slices.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(EndpointSlice s) {
                proxiers.forEach(p -> p.loop.onEndpointSliceUpsert(s));
            }

            @Override
            public void onUpdate(EndpointSlice o, EndpointSlice s) {
                proxiers.forEach(p -> p.loop.onEndpointSliceUpsert(s));
            }

            @Override
            public void onDelete(EndpointSlice s) {
                proxiers.forEach(p -> p.loop.onEndpointSliceDelete(s));
            }
        });
    }

    /**
     * Where a secondary family's rules go beside {@code rulesFile}: the family inserted before the
     * extension ({@code proxy-rules.txt} → {@code proxy-rules.ipv6.txt}), or appended when there is none.
     */
    public static Path rulesFileFor(Path rulesFile, IpFamily family) {
        String name = rulesFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String tag = family.apiName().toLowerCase(java.util.Locale.ROOT);
        return rulesFile.resolveSibling(dot > 0 ? name.substring(0, dot) + "." + tag + name.substring(dot) : name + "." + tag);
    }

    /** Starts the informers and one loop thread per family. */
    public ProxyRuntime start() {
        services.start();
        slices.start();
        for (FamilyProxier p : proxiers) {
            p.thread = p.loop.start("proxy-sync-" + p.family.apiName().toLowerCase(java.util.Locale.ROOT));
        }
        return this;
    }

    /** Whether both informers have delivered their first list. */
    public boolean hasSynced() {
        return services.hasSynced() && slices.hasSynced();
    }

    /** The families programmed, primary first. */
    public List<IpFamily> families() {
        return proxiers.stream().map(p -> p.family).toList();
    }

    /** The primary family's complete rules of the last full sync (dry-run: of the last sync). */
    public String rules() {
        return proxiers.get(0).rules;
    }

    /** {@code family}'s complete rules of the last full sync (dry-run: of the last sync). */
    public String rules(IpFamily family) {
        return proxier(family).rules;
    }

    /** Wall-clock millis of the primary family's last successful sync, 0 before the first. */
    public long lastSyncMillis() {
        return proxiers.get(0).lastSyncMillis;
    }

    /** The primary family's loop. */
    public ProxySyncLoop loop() {
        return proxiers.get(0).loop;
    }

    public ProxySyncLoop loop(IpFamily family) {
        return proxier(family).loop;
    }

    private FamilyProxier proxier(IpFamily family) {
        for (FamilyProxier p : proxiers) {
            if (p.family == family) {
                return p;
            }
        }
        throw new IllegalArgumentException("this proxy does not program " + family.apiName() + " (it programs " + families() + ")");
    }

    @Override
    public void close() {
        for (FamilyProxier p : proxiers) {
            if (p.thread != null) {
                p.thread.interrupt();
            }
        }
        services.close();
        slices.close();
    }
}
