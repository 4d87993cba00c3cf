package io.kplane.server;

import java.io.IOException;
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
import java.util.Base64;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for TLS tests: writes {@code NAME-ca.crt} into a directory and
 * issues member certificates signed by it as PEM files ({@code NAME-MEMBER.crt}, and
 * {@code NAME-MEMBER.key} in PKCS#8, what {@code --peer-key-file} and {@code --key-file} read). A member
 * certificate names 127.0.0.1 and localhost and allows server and client use, as etcd peer
 * certificates must.
 */
public final class TestCertificateAuthority {

    /** A member certificate and its key, as files. */
    public record Issued(Path certFile, Path keyFile) {
    }

    private final Path dir;
    private final String name;
    private final X500Name subject;
    private final PrivateKey key;
    private final Path caFile;

    private TestCertificateAuthority(Path dir, String name, X500Name subject, PrivateKey key, Path caFile) {
        this.dir = dir;
        this.name = name;
        this.subject = subject;
        this.key = key;
        this.caFile = caFile;
    }

    /** A new self-signed CA called {@code name}, its certificate written to {@code dir/NAME-ca.crt}. */
    public static TestCertificateAuthority create(Path dir, String name) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        X509Certificate ca = sign(subject, keys, subject, keys.getPrivate(), true);
        Path caFile = dir.resolve(name + "-ca.crt");
        Files.writeString(caFile, pem("CERTIFICATE", ca.getEncoded()));
        return new TestCertificateAuthority(dir, name, subject, keys.getPrivate(), caFile);
    }

    /** The CA certificate, for {@code --peer-trusted-ca-file}. */
    public Path caFile() {
        return caFile;
    }

    /** A certificate for {@code member}, valid for 127.0.0.1 and localhost, server and client use. */
    public Issued issue(String member) throws IOException, GeneralSecurityException {
        KeyPair keys = keyPair();
        X509Certificate cert = sign(new X500Name("CN=" + member), keys, subject, key, false);
        Path crt = dir.resolve(name + "-" + member + ".crt");
        Path keyFile = dir.resolve(name + "-" + member + ".key");
        Files.writeString(crt, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Issued(crt, keyFile);
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256, new SecureRandom());
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        boolean isCa) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
