package org.opendsm.internal;

import eu.europa.esig.dss.enumerations.EncryptionAlgorithm;
import eu.europa.esig.dss.enumerations.MimeType;
import eu.europa.esig.dss.enumerations.MimeTypeEnum;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.MediaType;
import org.opendsm.SignatureAlgorithm;

/** Conversions between our types and DSS's. The only place that knows both vocabularies. */
public final class Dss {
  private static final int SHARED_TOKENS = 256;
  /** Least recently used certificates' tokens, bounded (see {@link #token}). */
  private static final Map<X509Certificate, CertificateToken> TOKENS = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<X509Certificate, CertificateToken> eldest) {
          return size() > SHARED_TOKENS;
        }
      });

  private Dss() {}

  public static eu.europa.esig.dss.enumerations.DigestAlgorithm digest(DigestAlgorithm a) {
    return switch (a) {
      case SHA256 -> eu.europa.esig.dss.enumerations.DigestAlgorithm.SHA256;
      case SHA384 -> eu.europa.esig.dss.enumerations.DigestAlgorithm.SHA384;
      case SHA512 -> eu.europa.esig.dss.enumerations.DigestAlgorithm.SHA512;
    };
  }

  public static EncryptionAlgorithm encryption(SignatureAlgorithm.Scheme s) {
    return switch (s) {
      case RSA_PKCS1 -> EncryptionAlgorithm.RSA;
      case RSA_PSS -> EncryptionAlgorithm.RSASSA_PSS;
      case ECDSA -> EncryptionAlgorithm.ECDSA;
    };
  }

  public static eu.europa.esig.dss.enumerations.SignatureAlgorithm signature(SignatureAlgorithm a) {
    return eu.europa.esig.dss.enumerations.SignatureAlgorithm.getAlgorithm(
        encryption(a.scheme()), digest(a.digestAlgorithm()));
  }

  /** DSS's baseline level for a format, e.g. PAdES_BASELINE_LTA. */
  public static eu.europa.esig.dss.enumerations.SignatureLevel level(
      org.opendsm.SignatureFormat format, org.opendsm.SignatureLevel level) {
    String form = switch (format) {
      case PADES -> "PAdES";
      case CADES -> "CAdES";
      case XADES -> "XAdES";
    };
    return eu.europa.esig.dss.enumerations.SignatureLevel.valueOf(form + "_BASELINE_" + level.name());
  }

  public static MimeType mimeType(MediaType t) {
    MimeType known = MimeType.fromMimeTypeString(t.value());
    return known != null ? known : MimeTypeEnum.BINARY;
  }

  public static MediaType mediaType(MimeType t) {
    return t == null ? MediaType.OCTET_STREAM : new MediaType(t.getMimeTypeString());
  }

  /** A DSS view of a document: files stay files, nothing is copied. */
  public static DSSDocument document(Document d) {
    if (!d.hasContent()) {
      // Known only by its digests: DSS signs and verifies detached CAdES content by its digest.
      var digest = new eu.europa.esig.dss.model.DigestDocument();
      for (org.opendsm.DigestAlgorithm a : d.knownDigests()) {
        digest.addDigest(digest(a), d.digest(a));
      }
      digest.setName(d.name());
      digest.setMimeType(mimeType(d.mediaType()));
      return digest;
    }
    if (d.path().isPresent()) {
      FileDocument f = new FileDocument(d.path().get().toFile());
      f.setName(d.name());
      f.setMimeType(mimeType(d.mediaType()));
      return f;
    }
    try (InputStream in = d.openStream()) {
      return new InMemoryDocument(in.readAllBytes(), d.name(), mimeType(d.mediaType()));
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + d.name() + ": " + e.getMessage(), e);
    }
  }

  /** Our view of a DSS output document (re-opened from DSS each time, never copied). */
  public static Document document(DSSDocument d, String name, MediaType type) {
    return Document.ofStream(d::openStream, name, type);
  }

  /**
   * The token of a certificate, shared and remembering its signature checks. DSS checks the
   * signing certificate's chain before every signature: with one such token per certificate, an
   * EC P-384 chain is verified once per process instead of costing milliseconds per document.
   */
  public static CertificateToken token(X509Certificate c) {
    return TOKENS.computeIfAbsent(c, MemoizedCertificateToken::new);
  }

  public static List<CertificateToken> tokens(List<X509Certificate> chain) {
    List<CertificateToken> out = new ArrayList<>(chain.size());
    chain.forEach(c -> out.add(token(c)));
    return out;
  }

  public static X509Certificate certificate(CertificateToken t) {
    return t.getCertificate();
  }

  public static List<X509Certificate> certificates(List<CertificateToken> chain) {
    List<X509Certificate> out = new ArrayList<>(chain.size());
    chain.forEach(t -> out.add(t.getCertificate()));
    return out;
  }

  public static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("Unencodable certificate " + c.getSubjectX500Principal(), e);
    }
  }

  public static X509Certificate parseCertificate(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("Not an X.509 certificate: " + e.getMessage(), e);
    }
  }
}
