package io.kplane.cli;

import io.kplane.apiserver.ApiServer;
import io.kplane.apiserver.Authenticator;
import io.kplane.apiserver.DefaultTolerationSeconds;
import io.kplane.apiserver.EmbeddedStorage;
import io.kplane.apiserver.EtcdStorage;
import io.kplane.apiserver.Kubeconfig;
import io.kplane.apiserver.ServingCerts;
import io.kplane.apiserver.Storage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane apiserver}: the Kubernetes API server alone, on the embedded store or on etcd, until
 * SIGTERM. Writes a kubeconfig (server URL, CA, admin token) that real kubectl uses as it is.
 */
@Command(name = "apiserver", mixinStandardHelpOptions = true,
    description = {"Runs the Kubernetes API server until SIGTERM/SIGINT and writes a kubeconfig for it.",
        "Example: kplane apiserver --store embedded --listen 127.0.0.1:6443 --kubeconfig /tmp/kplane.kubeconfig",
        "         kubectl --kubeconfig /tmp/kplane.kubeconfig get ns"})
public final class ApiServerCommand implements Callable<Integer> {

  @Option(names = "--store", required = true, description = "'embedded' (in-process, in memory) or etcd=URL[,URL] (etcd v3 endpoints).")
  String store;

  @Option(names = "--listen", defaultValue = "127.0.0.1:6443", description = "host:port to serve on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--kubeconfig", required = true, description = "Where to write a kubeconfig for an admin user.")
  Path kubeconfig;

  @Option(names = "--token-auth-file", description = "Extra bearer tokens, kube-apiserver format: token,user,uid,\"group1,group2\".")
  Path tokenFile;

  @Option(names = "--cert-dir", description = "Where to keep the generated CA, serving and client certificates (default: next to the kubeconfig).")
  Path certDir;

  @Option(names = "--insecure-http", description = "Serve plain HTTP instead of HTTPS (tokens then travel in clear text).")
  boolean insecureHttp;

  @Option(names = "--anonymous-auth", description = "Accept requests without credentials as system:anonymous.")
  boolean anonymous;

  @Option(names = "--max-requests-inflight", defaultValue = "400", description = "Max concurrent read-only requests (default: ${DEFAULT-VALUE}).")
  int maxReadOnly;

  @Option(names = "--max-mutating-requests-inflight", defaultValue = "200", description = "Max concurrent writes (default: ${DEFAULT-VALUE}).")
  int maxMutating;

  @Option(names = "--watch-cache", defaultValue = "true", arity = "1",
      description = "Serve watches from a watch cache per resource (one store watch, shared fan-out); false: one store watch per request (default: ${DEFAULT-VALUE}).")
  boolean watchCache;

  @Option(names = "--service-cluster-ip-range", paramLabel = "CIDR[,CIDR]", defaultValue = ApiServer.Config.DEFAULT_SERVICE_CLUSTER_IP_RANGE,
      description = {"The range Service cluster IPs come from (default: ${DEFAULT-VALUE}). Two CIDRs of different IP families "
          + "(e.g. 10.96.0.0/12,fd00:10:96::/108) make a dual-stack cluster: Services with ipFamilyPolicy PreferDualStack or "
          + "RequireDualStack get one cluster IP of each, the first CIDR's family is the primary. At most 2^20 addresses per "
          + "range (IPv4 /12 or longer, IPv6 /108 or longer), as kube-apiserver."})
  String serviceClusterIpRange;

  @Option(names = "--default-not-ready-toleration-seconds", defaultValue = "300",
      description = "tolerationSeconds of the not-ready:NoExecute toleration added to pods created without one (default: ${DEFAULT-VALUE}).")
  long notReadyTolerationSeconds;

  @Option(names = "--default-unreachable-toleration-seconds", defaultValue = "300",
      description = "tolerationSeconds of the unreachable:NoExecute toleration added to pods created without one (default: ${DEFAULT-VALUE}).")
  long unreachableTolerationSeconds;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      ApiServer.Config.plain(new InetSocketAddress(0), new Authenticator(Map.of(), false))
          .withServiceClusterIpRange(serviceClusterIpRange);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    if (notReadyTolerationSeconds < 0 || unreachableTolerationSeconds < 0) {
      spec.commandLine().getErr().println("error: --default-*-toleration-seconds must not be negative");
      return 2;
    }
    Storage storage = storage(store);
    String[] hp = listen.split(":");
    InetSocketAddress addr = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    Map<String, Authenticator.User> tokens = new HashMap<>();
    if (tokenFile != null) {
      tokens.putAll(Authenticator.readTokenFile(tokenFile));
    }
    String adminToken = Kubeconfig.newToken();
    tokens.put(adminToken, new Authenticator.User("kplane-admin", "kplane-admin", List.of("system:masters", "system:authenticated")));
    ApiServer.Config config = ApiServer.Config.plain(addr, new Authenticator(tokens, anonymous)).withInFlight(maxReadOnly, maxMutating)
        .withServiceClusterIpRange(serviceClusterIpRange)
        .withDefaultTolerationSeconds(new DefaultTolerationSeconds(notReadyTolerationSeconds, unreachableTolerationSeconds));
    if (watchCache) {
      config = config.withWatchSource((s, r) -> new io.kplane.apiserver.CachedWatchSource(s));
    }
    ServingCerts certs = null;
    if (!insecureHttp) {
      Path dir = certDir != null ? certDir : kubeconfig.toAbsolutePath().getParent().resolve(kubeconfig.getFileName() + ".pki");
      certs = ServingCerts.createOrLoad(dir, hp[0]);
      config = config.withSsl(certs.serverContext());
    }
    ApiServer server = new ApiServer(config, storage);
    InetSocketAddress bound = server.start();
    String url = (insecureHttp ? "http://" : "https://") + bound.getHostString() + ":" + bound.getPort();
    Kubeconfig.write(kubeconfig, url, certs == null ? null : certs.caPem(), adminToken);
    System.out.println("kplane apiserver: serving " + url + " on the " + (store.equals("embedded") ? "embedded store" : store)
        + "; kubeconfig " + kubeconfig.toAbsolutePath());
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      storage.close();
      stop.countDown();
    }, "apiserver-shutdown"));
    stop.await();
    return 0;
  }

  static Storage storage(String spec) {
    if (spec.equals("embedded")) {
      return new EmbeddedStorage();
    }
    if (spec.startsWith("etcd=")) {
      List<String> urls = Arrays.stream(spec.substring(5).split(",")).map(String::strip).filter(s -> !s.isEmpty())
          .map(s -> s.contains("://") ? s : "http://" + s).toList();
      if (urls.isEmpty()) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ApiServerCommand()), "--store etcd=URL needs a URL");
      }
      return new EtcdStorage(urls);
    }
    throw new IllegalArgumentException("--store must be 'embedded' or etcd=URL[,URL], not '" + spec + "'");
  }
}
