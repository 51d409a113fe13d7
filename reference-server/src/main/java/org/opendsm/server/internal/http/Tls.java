package org.opendsm.server.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
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
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opendsm.Secret;
import org.opendsm.server.internal.vault.KeySpec;

/**
 * The HTTPS identity: a key store given by the operator, or a self-signed certificate for
 * localhost generated on first start and kept in the data directory (so clients can pin it).
 */
public final class Tls {
  private Tls() {}

  public static KeyStore loadOrCreate(Path file, Secret passphrase, String hostName) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      char[] pw = passphrase.chars();
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          ks.load(in, pw);
        }
        return ks;
      }
      ks.load(null, null);
      KeyPair keys = KeySpec.EC_P256.generate();
      ks.setKeyEntry("tls", keys.getPrivate(), pw, new Certificate[] {selfSigned(keys, hostName)});
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, pw);
      }
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot open the TLS key store " + file, e);
    }
  }

  public static X509Certificate certificate(KeyStore ks) {
    try {
      return (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate selfSigned(KeyPair keys, String hostName) throws GeneralSecurityException, IOException {
    X500Name name = new X500Name("CN=" + hostName + ",O=OpenDSM reference server");
    Instant now = Instant.now();
    var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(825))), name, keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, hostName),
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
