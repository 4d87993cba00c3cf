package io.kplane.proxy.runtime;

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
import java.util.Set;

/**
 * The proxy as a running component: informers on Services and EndpointSlices feed the
 * {@link ProxySyncLoop}, whose rules go either into a network namespace (a real applier) or, in
 * dry-run, nowhere but {@link #rules()} and an optional rules file. Dry-run syncs are always full,
 * so the text kept is the complete rule set the proxy would program at that moment.
 *
 * <p>The rules file (written atomically after every successful sync) starts with a comment line
 * {@code # kplane-proxy node=<node> synced=<epoch-millis> syncs=<n>} so that readers (demo,
 * diagnose) can tell how fresh it is.
 */
public final class ProxyRuntime implements AutoCloseable {
    private final ProxySyncLoop loop;
    private final Informer<Service> services;
    private final Informer<EndpointSlice> slices;
    private final String nodeName;
    private final Path rulesFile;
    private volatile String rules = "";
    private volatile long lastSyncMillis;
    private Thread thread;

    /**
     * @param applier   where rules go; null for dry-run
     * @param rulesFile where the rules text is mirrored after each sync; null for none
     */
    public ProxyRuntime(KubeClient client, ProxyConfig config, ProxySyncLoop.Backend backend, RulesApplier applier,
                        Path rulesFile, Duration minSyncPeriod, Duration syncPeriod) {
        this.nodeName = config.nodeName();
        this.rulesFile = rulesFile;
        RulesApplier recording = recording(applier);
        long fullPeriod = applier == null ? 0 : Duration.ofHours(1).toNanos();
        SyncScheduler scheduler = new SyncScheduler(minSyncPeriod.toNanos(), syncPeriod.toNanos(), fullPeriod,
                Duration.ofSeconds(1).toNanos());
        this.loop = new ProxySyncLoop(config, backend, recording, scheduler, () -> System.currentTimeMillis() * 1_000_000L);
        this.services = new Informer<>(client, ApiResource.SERVICES);
        this.slices = new Informer<>(client, ApiResource.ENDPOINT_SLICES);
        services.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Service s) {
                loop.onServiceUpsert(s);
            }

            @Override
            public void onUpdate(Service o, Service s) {
                loop.onServiceUpsert(s);
            }

            @Override
            public void onDelete(Service s) {
                loop.onServiceDelete(s);
            }
        });
        slices.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(EndpointSlice s) {
                loop.onEndpointSliceUpsert(s);
            }

            @Override
            public void onUpdate(EndpointSlice o, EndpointSlice s) {
                loop.onEndpointSliceUpsert(s);
            }

            @Override
            public void onDelete(EndpointSlice s) {
                loop.onEndpointSliceDelete(s);
            }
        });
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

    /** Starts the informers and the loop thread. */
    public ProxyRuntime start() {
        services.start();
        slices.start();
        thread = loop.start("proxy-sync");
        return this;
    }

    /** Whether both informers have delivered their first list. */
    public boolean hasSynced() {
        return services.hasSynced() && slices.hasSynced();
    }

    /** The complete rules of the last full sync (dry-run: of the last sync). */
    public String rules() {
        return rules;
    }

    /** Wall-clock millis of the last successful sync, 0 before the first. */
    public long lastSyncMillis() {
        return lastSyncMillis;
    }

    public ProxySyncLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        services.close();
        slices.close();
    }
}
