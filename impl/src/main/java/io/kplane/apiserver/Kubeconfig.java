package io.kplane.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Writes the kubeconfig of the admin user: server URL, CA (for https) and a bearer token. */
public final class Kubeconfig {
  private Kubeconfig() {}

  public static String newToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** @param caPem the CA certificate (PEM) for https servers, null for http */
  public static void write(Path file, String server, String caPem, String token) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("apiVersion: v1\nkind: Config\nclusters:\n- name: kplane\n  cluster:\n    server: ").append(server).append('\n');
    if (caPem != null) {
      sb.append("    certificate-authority-data: ")
          .append(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8))).append('\n');
    }
    sb.append("contexts:\n- name: kplane\n  context:\n    cluster: kplane\n    user: kplane-admin\n    namespace: default\n");
    sb.append("current-context: kplane\npreferences: {}\nusers:\n- name: kplane-admin\n  user:\n    token: ").append(token).append('\n');
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not POSIX
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
