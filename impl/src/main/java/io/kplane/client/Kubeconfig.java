package io.kplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.kplane.model.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What a client needs to reach the API server, read from a kubeconfig file's current context
 * (the format kubectl reads): the server URL, the CA to trust, and the credentials — a bearer
 * token, or a client certificate with a PKCS#8 key.
 *
 * @param server         e.g. {@code https://127.0.0.1:6443}
 * @param caPem          PEM of the CA certificates to trust; null: the JVM's defaults
 * @param insecure       {@code insecure-skip-tls-verify}: trust any server certificate (tests only)
 * @param token          bearer token, or null
 * @param clientCertPem  client certificate PEM, or null
 * @param clientKeyPem   client key PEM (PKCS#8), or null
 * @param namespace      the context's namespace, "default" when unset
 */
public record Kubeconfig(URI server, String caPem, boolean insecure, String token, String clientCertPem,
                         String clientKeyPem, String namespace) {

    /** A configuration for a plain-HTTP server or one with a token, without TLS settings. */
    public static Kubeconfig of(String server, String token) {
        return new Kubeconfig(URI.create(server), null, false, token, null, null, "default");
    }

    /** Reads the current context of a kubeconfig file. Relative certificate paths resolve against its directory. */
    public static Kubeconfig read(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            root = Json.yamlMapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not a kubeconfig: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a kubeconfig (expected a mapping)");
        }
        String contextName = root.path("current-context").asText("");
        JsonNode context = named(root.path("contexts"), contextName, "context");
        if (context == null) {
            JsonNode contexts = root.path("contexts");
            if (!contextName.isEmpty() || !contexts.isArray() || contexts.size() != 1) {
                throw new IOException(file + ": no context named \"" + contextName + "\"");
            }
            context = contexts.get(0).path("context");
        }
        String clusterName = context.path("cluster").asText("");
        JsonNode cluster = named(root.path("clusters"), clusterName, "cluster");
        if (cluster == null) {
            throw new IOException(file + ": no cluster named \"" + clusterName + "\"");
        }
        JsonNode user = named(root.path("users"), context.path("user").asText(""), "user");
        if (user == null) {
            user = Json.yamlMapper().createObjectNode();
        }
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            throw new IOException(file + ": cluster \"" + clusterName + "\" has no server");
        }
        Path dir = file.toAbsolutePath().getParent();
        String token = user.path("token").asText(null);
        if (token == null && user.hasNonNull("tokenFile")) {
            token = Files.readString(dir.resolve(user.path("tokenFile").asText())).trim();
        }
        String namespace = context.path("namespace").asText("");
        return new Kubeconfig(URI.create(server),
                pem(cluster, "certificate-authority", dir),
                cluster.path("insecure-skip-tls-verify").asBoolean(false),
                token,
                pem(user, "client-certificate", dir),
                pem(user, "client-key", dir),
                namespace.isEmpty() ? "default" : namespace);
    }

    private static JsonNode named(JsonNode list, String name, String field) {
        if (list.isArray()) {
            for (JsonNode entry : list) {
                if (entry.path("name").asText("").equals(name)) {
                    return entry.path(field);
                }
            }
        }
        return null;
    }

    /** {@code <field>-data} (base64 PEM) or {@code <field>} (a file path). */
    private static String pem(JsonNode node, String field, Path dir) throws IOException {
        if (node.hasNonNull(field + "-data")) {
            return new String(Base64.getMimeDecoder().decode(node.path(field + "-data").asText()), StandardCharsets.UTF_8);
        }
        if (node.hasNonNull(field)) {
            return Files.readString(dir.resolve(node.path(field).asText()));
        }
        return null;
    }

    /** True when the server is reached over TLS. */
    public boolean tls() {
        return "https".equalsIgnoreCase(server.getScheme());
    }

    /** The TLS context for this configuration: the CA (or trust-all when insecure) and the client certificate. */
    public SSLContext sslContext() throws GeneralSecurityException, IOException {
        TrustManager[] trust = null;
        if (insecure) {
            trust = new TrustManager[] {new TrustAll()};
        } else if (caPem != null) {
            KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
            ts.load(null, null);
            int i = 0;
            for (Certificate c : certificates(caPem)) {
                ts.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            trust = tmf.getTrustManagers();
        }
        KeyManagerFactory kmf = null;
        if (clientCertPem != null && clientKeyPem != null) {
            List<Certificate> chain = certificates(clientCertPem);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setKeyEntry("client", privateKey(clientKeyPem, chain.get(0)), new char[0], chain.toArray(Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, new SecureRandom());
        return ctx;
    }

    private static List<Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>(cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in PEM");
        }
        return out;
    }

    private static PrivateKey privateKey(String pem, Certificate cert) throws GeneralSecurityException {
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("client key must be PKCS#8 PEM (BEGIN PRIVATE KEY); convert with openssl pkcs8 -topk8 -nocrypt");
        }
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        String alg = cert.getPublicKey().getAlgorithm();
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    @Override
    public String toString() {
        // never print credentials
        return "Kubeconfig{" + server + (token != null ? ", token" : "") + (clientCertPem != null ? ", client cert" : "") + "}";
    }

    /** insecure-skip-tls-verify: accepts any server certificate. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
