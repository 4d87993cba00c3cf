package io.kplane.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who is calling: a bearer token from the token file ({@code token,user,uid,"group1,group2"} per
 * line, kube-apiserver's {@code --token-auth-file} format), or a TLS client certificate signed by
 * the server's client CA (user = CN, groups = O). Without either the request is anonymous, which
 * is rejected with 401 unless anonymous access was enabled.
 */
public final class Authenticator {
  /** An authenticated caller. */
  public record User(String name, String uid, List<String> groups) {
    static final User ANONYMOUS = new User("system:anonymous", "", List.of("system:unauthenticated"));
  }

  private final Map<String, User> tokens;
  private final boolean anonymous;

  public Authenticator(Map<String, User> tokens, boolean anonymous) {
    this.tokens = Map.copyOf(tokens);
    this.anonymous = anonymous;
  }

  /** Reads a token file. */
  public static Map<String, User> readTokenFile(Path file) throws IOException {
    Map<String, User> out = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = csv(line);
      if (fields.size() < 3) {
        throw new IOException("token file " + file + ": a line needs token,user,uid[,\"groups\"]: " + line);
      }
      List<String> groups = new ArrayList<>();
      if (fields.size() > 3) {
        for (String g : fields.get(3).split(",")) {
          if (!g.isBlank()) {
            groups.add(g.strip());
          }
        }
      }
      groups.add("system:authenticated");
      out.put(fields.get(0), new User(fields.get(1), fields.get(2), List.copyOf(groups)));
    }
    return out;
  }

  private static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /**
   * The caller, or null when the request must be rejected (401).
   *
   * @param authorization the Authorization header (may be null)
   * @param clientCert    the verified TLS client certificate (may be null)
   */
  public User authenticate(String authorization, X509Certificate clientCert) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).strip();
      for (Map.Entry<String, User> e : tokens.entrySet()) {
        // constant-time comparison: the token is a secret
        if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
          return e.getValue();
        }
      }
      return null; // a wrong token is an error, not anonymous
    }
    if (clientCert != null) {
      try {
        String cn = null;
        List<String> groups = new ArrayList<>();
        for (Rdn rdn : new LdapName(clientCert.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            cn = rdn.getValue().toString();
          } else if (rdn.getType().equalsIgnoreCase("O")) {
            groups.add(rdn.getValue().toString());
          }
        }
        if (cn != null) {
          groups.add("system:authenticated");
          return new User(cn, "", List.copyOf(groups));
        }
      } catch (javax.naming.InvalidNameException e) {
        return null;
      }
    }
    return anonymous ? User.ANONYMOUS : null;
  }
}
