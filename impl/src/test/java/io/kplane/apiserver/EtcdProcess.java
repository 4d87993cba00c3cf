package io.kplane.apiserver;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One real etcd 3.4 member on loopback with a temporary data dir (for the etcd-backed API server tests). */
public final class EtcdProcess implements AutoCloseable {
  public final String endpoint;
  private final Process process;
  private final Path dataDir;

  public static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "etcd"))) {
        return true;
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public EtcdProcess() throws Exception {
    dataDir = Files.createTempDirectory("apiserver-etcd");
    int client = freePort();
    int peer = freePort();
    endpoint = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    process = new ProcessBuilder("etcd", "--name", "e0", "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "e0=" + peerUrl, "--log-level", "error", "--logger", "zap")
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile()).start();
    try (EtcdStorage probe = new EtcdStorage(List.of(endpoint))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          probe.currentRevision();
          return;
        } catch (StorageException e) {
          if (System.nanoTime() > deadline || !process.isAlive()) {
            throw new IllegalStateException("etcd did not start: " + Files.readString(dataDir.resolve("etcd.log")), e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
