package io.kplane.apiserver;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An API server for tests: HTTPS on a free loopback port with the generated PKI, an admin token,
 * and a kubeconfig for real kubectl. Restartable on the same port and storage.
 */
final class TestApiServer implements AutoCloseable {
  final Path dir;
  final Path kubeconfig;
  final String token = Kubeconfig.newToken();
  final Storage storage;
  private final boolean ownsStorage;
  final int port;
  private ApiServer server;
  private Duration bookmarkInterval = Duration.ofSeconds(60);
  private java.util.function.BiFunction<Storage, Registry, WatchSource> watchSource;
  private String serviceClusterIpRange = ApiServer.Config.DEFAULT_SERVICE_CLUSTER_IP_RANGE;

  TestApiServer(Storage storage, boolean ownsStorage) throws Exception {
    this.storage = storage;
    this.ownsStorage = ownsStorage;
    this.dir = Files.createTempDirectory("apiserver-test");
    this.kubeconfig = dir.resolve("kubeconfig");
    this.port = EtcdProcess.freePort();
    start();
  }

  TestApiServer withBookmarkInterval(Duration d) throws Exception {
    bookmarkInterval = d;
    stop();
    start();
    return this;
  }

  /** Serves watches from this source (e.g. the watch cache) instead of one store watch per request. */
  TestApiServer withWatchSource(java.util.function.BiFunction<Storage, Registry, WatchSource> source) throws Exception {
    watchSource = source;
    stop();
    start();
    return this;
  }

  /** Restarts with these service CIDRs (two of different families: a dual-stack server). */
  TestApiServer withServiceClusterIpRange(String range) throws Exception {
    serviceClusterIpRange = range;
    stop();
    start();
    return this;
  }

  void start() throws Exception {
    ServingCerts certs = ServingCerts.createOrLoad(dir.resolve("pki"), "127.0.0.1");
    Authenticator auth = new Authenticator(Map.of(token, new Authenticator.User("admin", "admin", List.of("system:masters"))), false);
    ApiServer.Config config = ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", port), auth).withSsl(certs.serverContext())
        .withBookmarkInterval(bookmarkInterval).withCompactionInterval(Duration.ZERO).withWatchSource(watchSource)
        .withServiceClusterIpRange(serviceClusterIpRange);
    server = new ApiServer(config, storage);
    server.start();
    Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + port, certs.caPem(), token);
  }

  void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  ApiServer server() {
    return server;
  }

  String url() {
    return "https://127.0.0.1:" + port;
  }

  /** Result of a kubectl run. */
  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** Runs kubectl against this server (60 s deadline). */
  Run kubectl(String... args) throws Exception {
    return kubectlWithInput(null, args);
  }

  Run kubectlWithInput(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", dir.toString()); // a discovery cache of its own
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes());
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s: " + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Starts kubectl without waiting (for get -w). */
  Process kubectlAsync(Path stdout, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", dir.toString());
    pb.redirectOutput(stdout.toFile()).redirectError(dir.resolve("async-err.txt").toFile());
    return pb.start();
  }

  @Override
  public void close() throws Exception {
    stop();
    if (ownsStorage) {
      storage.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
