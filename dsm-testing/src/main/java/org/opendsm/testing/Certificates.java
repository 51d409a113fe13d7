package org.opendsm.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Issues the test PKI's certificates with Bouncy Castle. Validity is relative to now. */
final class Certificates {
  static final Duration BACKDATE = Duration.ofDays(1);
  private final AtomicLong serial = new AtomicLong(System.currentTimeMillis());
  private final JcaX509ExtensionUtils ext;

  Certificates() {
    try {
      ext = new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(type.algorithm());
      if ("EC".equals(type.algorithm())) {
        g.initialize(new ECGenParameterSpec(type.size() == 256 ? "secp256r1" : "secp384r1"));
      } else {
        g.initialize(type.size());
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  X509Certificate root(String dn, KeyPair keys, Duration validity) {
    X509v3CertificateBuilder b = builder(new X500Name(dn), new X500Name(dn), keys.getPublic(), validity);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(b, keys.getPrivate(), keys.getPublic());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  X509Certificate issuingCa(String dn, PublicKey key, X509Certificate issuer, PrivateKey issuerKey,
      String crlUrl, String issuerCertUrl) {
    X509v3CertificateBuilder b = issued(dn, key, issuer, Duration.ofDays(3650));
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      addRevocationPointers(b, null, crlUrl, issuerCertUrl);
      return sign(b, issuerKey, issuer.getPublicKey());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  X509Certificate endEntity(String dn, PublicKey key, X509Certificate issuer, PrivateKey issuerKey,
      boolean timeStamping, String ocspUrl, String crlUrl, String issuerCertUrl) {
    X509v3CertificateBuilder b = issued(dn, key, issuer, Duration.ofDays(730));
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (timeStamping) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      } else {
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
      }
      addRevocationPointers(b, ocspUrl, crlUrl, issuerCertUrl);
      return sign(b, issuerKey, issuer.getPublicKey());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private X509v3CertificateBuilder issued(String dn, PublicKey key, X509Certificate issuer, Duration validity) {
    X509v3CertificateBuilder b = builder(
        X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), new X500Name(dn), key, validity);
    try {
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
    } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    return b;
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial.incrementAndGet()),
        Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, key);
  }

  private static void addRevocationPointers(X509v3CertificateBuilder b, String ocspUrl, String crlUrl,
      String issuerCertUrl) throws java.io.IOException {
    if (crlUrl != null) {
      GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
      b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
          new DistributionPoint[] {new DistributionPoint(new DistributionPointName(names), null, null)}));
    }
    java.util.List<AccessDescription> aia = new java.util.ArrayList<>();
    if (ocspUrl != null) {
      aia.add(new AccessDescription(AccessDescription.id_ad_ocsp,
          new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
    }
    if (issuerCertUrl != null) {
      aia.add(new AccessDescription(AccessDescription.id_ad_caIssuers,
          new GeneralName(GeneralName.uniformResourceIdentifier, issuerCertUrl)));
    }
    if (!aia.isEmpty()) {
      b.addExtension(Extension.authorityInfoAccess, false,
          new AuthorityInformationAccess(aia.toArray(new AccessDescription[0])));
    }
  }

  static String signatureAlgorithm(PublicKey issuerKey) {
    return "EC".equals(issuerKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, PublicKey issuerKey) {
    try {
      var signer = new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException | java.security.cert.CertificateException e) {
      throw new IllegalStateException(e);
    }
  }
}
