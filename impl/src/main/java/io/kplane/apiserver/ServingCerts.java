package io.kplane.apiserver;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The API server's PKI, kept in a directory: a self-signed CA ({@code ca.crt}, {@code ca.key}), a
 * serving certificate for the listen host, localhost and 127.0.0.1 ({@code server.crt/key}), and an
 * admin client certificate ({@code admin.crt/key}, CN=kplane-admin, O=system:masters). Created on
 * first use, reused afterwards (so kubeconfigs stay valid across restarts). Client certificates
 * signed by the CA authenticate their holder; clients without one may still use a token.
 */
public final class ServingCerts {
  private final Path dir;
  private final X509Certificate ca;
  private final PrivateKey caKey;

  private ServingCerts(Path dir, X509Certificate ca, PrivateKey caKey) {
    this.dir = dir;
    this.ca = ca;
    this.caKey = caKey;
  }

  public static ServingCerts createOrLoad(Path dir, String host) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path caCrt = dir.resolve("ca.crt");
    Path caKeyFile = dir.resolve("ca.key");
    ServingCerts certs;
    if (Files.exists(caCrt) && Files.exists(caKeyFile)) {
      certs = new ServingCerts(dir, readCert(caCrt), readKey(caKeyFile));
    } else {
      KeyPair kp = keyPair();
      X509Certificate ca = sign(new X500Name("CN=kplane-ca"), kp, new X500Name("CN=kplane-ca"), kp.getPrivate(), true, null, false);
      write(caCrt, pem(ca));
      write(caKeyFile, pem(kp.getPrivate()));
      certs = new ServingCerts(dir, ca, kp.getPrivate());
    }
    certs.issue("server", "CN=kube-apiserver", host, false);
    certs.issue("admin", "CN=kplane-admin,O=system:masters", null, true);
    return certs;
  }

  /** Issues {@code name.crt/key} signed by the CA unless present. */
  private void issue(String name, String subject, String host, boolean client) throws IOException, GeneralSecurityException {
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    if (Files.exists(crt) && Files.exists(key)) {
      return;
    }
    KeyPair kp = keyPair();
    GeneralNames sans = null;
    if (!client) {
      java.util.List<GeneralName> names = new java.util.ArrayList<>();
      names.add(new GeneralName(GeneralName.dNSName, "localhost"));
      names.add(new GeneralName(GeneralName.dNSName, "kubernetes"));
      names.add(new GeneralName(GeneralName.dNSName, "kubernetes.default"));
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      if (host != null && !host.isEmpty() && !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("0.0.0.0")) {
        boolean ip = host.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':');
        names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
      }
      sans = new GeneralNames(names.toArray(GeneralName[]::new));
    }
    X509Certificate cert = sign(new X500Name(subject), kp, new X500Name(ca.getSubjectX500Principal().getName()), caKey, false, sans, client);
    write(crt, pem(cert));
    write(key, pem(kp.getPrivate()));
  }

  public SslContext serverContext() throws IOException, GeneralSecurityException {
    return SslContextBuilder.forServer(readKey(dir.resolve("server.key")), readCert(dir.resolve("server.crt")), ca)
        .trustManager(ca).clientAuth(ClientAuth.OPTIONAL).applicationProtocolConfig(HttpProtocols.ALPN).build();
  }

  public String caPem() throws IOException {
    return Files.readString(dir.resolve("ca.crt"));
  }

  public Path dir() {
    return dir;
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256, new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey, boolean isCa,
                                      GeneralNames sans, boolean client) throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
    }
    if (sans != null) {
      b.addExtension(Extension.subjectAlternativeName, false, sans);
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object o) throws IOException {
    if (o instanceof PrivateKey k) {
      // PKCS#8, which both Netty and the JDK read (the SEC1 form JcaPEMWriter picks for EC keys they do not)
      return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  private static void write(Path p, String text) throws IOException {
    Files.writeString(p, text, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  static X509Certificate readCert(Path p) throws IOException, GeneralSecurityException {
    try (PEMParser r = new PEMParser(new StringReader(Files.readString(p)))) {
      Object o = r.readObject();
      return new JcaX509CertificateConverter().getCertificate((org.bouncycastle.cert.X509CertificateHolder) o);
    }
  }

  static PrivateKey readKey(Path p) throws IOException {
    try (PEMParser r = new PEMParser(new StringReader(Files.readString(p)))) {
      Object o = r.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return c.getKeyPair(kp).getPrivate();
      }
      return c.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
    }
  }

}
