package org.opendsm.cades.internal;

import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESService;
import eu.europa.esig.dss.cades.signature.CAdESTimestampParameters;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.DigestDocument;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import java.util.List;
import java.util.Map;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.MediaType;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.internal.AbstractSignatureService;
import org.opendsm.internal.CertificateVerifiers;
import org.opendsm.internal.Dss;
import org.opendsm.internal.DssTspSource;
import org.opendsm.internal.OptionMap;

/** {@link CadesService} on DSS's {@link CAdESService}. */
public final class DefaultCadesService
    extends AbstractSignatureService<CadesOptions, CAdESSignatureParameters, CAdESTimestampParameters>
    implements CadesService {

  private final CAdESService service;

  public DefaultCadesService(ServiceSettings settings) {
    super(settings);
    service = new CAdESService(CertificateVerifiers.create(settings.trust()));
    settings.timestampSource().ifPresent(ts -> service.setTspSource(new DssTspSource(ts)));
  }

  @Override
  public SignatureFormat format() {
    return SignatureFormat.CADES;
  }

  @Override
  protected DocumentSignatureService<CAdESSignatureParameters, CAdESTimestampParameters> dss() {
    return service;
  }

  @Override
  public org.opendsm.SignedDocument addSignature(Document signed, List<Document> detachedContent, CadesOptions options,
      org.opendsm.Signer signer) {
    java.util.Objects.requireNonNull(signed, "signed");
    java.util.Objects.requireNonNull(detachedContent, "detachedContent");
    java.util.Objects.requireNonNull(options, "options");
    java.util.Objects.requireNonNull(signer, "signer");
    DSSDocument cms = existingSignatures(signed, null);
    requireTimestampSourceFor(options.level());
    checkAttributes(options);
    if (options.signedAttributes().contentTimestamp()) {
      throw new IllegalArgumentException("A parallel signature cannot take a content timestamp here (the content is"
          + " inside the CMS or elsewhere); take it with the first signature");
    }
    org.opendsm.SignatureAlgorithm algorithm = algorithmOf(signer, options);
    CAdESSignatureParameters p = parameters(options, signer.certificateChain(), algorithm,
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    documentParameters(p, signed, options);
    // Signing streams the content and assembles the envelope itself; here DSS adds a SignerInfo to
    // the CMS as it is, with the packaging it already has.
    p.setSignaturePackaging(detachedContent.isEmpty() ? eu.europa.esig.dss.enumerations.SignaturePackaging.ENVELOPING
        : eu.europa.esig.dss.enumerations.SignaturePackaging.DETACHED);
    if (detachedContent.size() > 1) {
      throw new IllegalArgumentException("A CMS signs one content: give the one file the signature is over");
    }
    if (p instanceof CustomAttributeParameters custom) {
      // DSS names the content it signs here: the detached file, or the CMS's own (of no known type).
      custom.contentMimeType(detachedContent.isEmpty() ? null : Dss.mimeType(detachedContent.get(0).mediaType()));
    }
    if (!detachedContent.isEmpty()) {
      requireSameContent(signed, detachedContent.get(0));
      p.setDetachedContents(detachedContent.stream().map(Dss::document).toList());
    }
    try {
      var tbs = service.getDataToSign(cms, p);
      DSSDocument result = service.signDocument(cms, p, signatureValue(signer, algorithm, tbs));
      return new org.opendsm.SignedDocument(extendedOutput(result, signed), format(), options.level());
    } catch (eu.europa.esig.dss.spi.exception.IllegalInputException e) {
      throw new InvalidDocumentException("Cannot add a signature to " + signed.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a content other than the one the existing signers signed (their message-digest
   * attribute), before anything is signed: a parallel signature over other bytes would leave one of
   * the signatures failing whatever content is later presented.
   */
  private static void requireSameContent(Document signed, Document content) {
    try {
      var cms = new org.bouncycastle.cms.CMSSignedData(signed.readAllBytes());
      for (org.bouncycastle.cms.SignerInformation signer : cms.getSignerInfos().getSigners()) {
        var attribute = signer.getSignedAttributes() == null ? null
            : signer.getSignedAttributes().get(org.bouncycastle.asn1.cms.CMSAttributes.messageDigest);
        if (attribute == null) {
          continue;
        }
        byte[] expected = org.bouncycastle.asn1.ASN1OctetString.getInstance(
            attribute.getAttrValues().getObjectAt(0)).getOctets();
        String oid = signer.getDigestAlgOID();
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
          if (Dss.digest(a).getOid().equals(oid)) {
            if (!java.security.MessageDigest.isEqual(expected, content.digest(a))) {
              throw new IllegalArgumentException(content.name() + " is not the content " + signed.name()
                  + " was signed over: its " + a + " differs from the signers' message digest");
            }
            return;
          }
        }
      }
    } catch (org.bouncycastle.cms.CMSException e) {
      throw new InvalidDocumentException(signed.name() + " is not a CMS signature: " + e.getMessage(), e);
    }
  }

  @Override
  protected boolean readsOwnFormat(eu.europa.esig.dss.validation.SignedDocumentValidator validator) {
    return validator instanceof eu.europa.esig.dss.cades.validation.CMSDocumentValidator;
  }

  @Override
  public org.opendsm.SignedDocument counterSign(Document signed, String signatureId, org.opendsm.Signer signer) {
    var p = new eu.europa.esig.dss.cades.signature.CAdESCounterSignatureParameters();
    p.setSignatureIdToCounterSign(java.util.Objects.requireNonNull(signatureId, "signatureId"));
    try {
      return counterSignWith(service, p, signed, signer);
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException("CAdES counter-signatures cannot themselves be counter-signed (DSS does"
          + " not support nested CAdES counter-signatures): counter-sign the signature itself", e);
    }
  }


  /**
   * CAdES's signer-location (RFC 5126 5.11.2) has a country, a locality and postal address lines:
   * street and postal code become those lines.
   */
  @Override
  protected void documentParameters(CAdESSignatureParameters parameters, org.opendsm.Document document,
      CadesOptions options) {
    org.opendsm.internal.SignedAttributesCodec.applyCadesLocation(options.signedAttributes(), parameters.bLevel());
    if (parameters instanceof CustomAttributeParameters custom) {
      custom.contentMimeType(Dss.mimeType(document.mediaType()));
    }
  }

  @Override
  protected CAdESSignatureParameters newParameters(CadesOptions o) {
    CAdESSignatureParameters p = o.signedAttributes().custom().isEmpty() ? new CAdESSignatureParameters()
        : new CustomAttributeParameters(o.signedAttributes().custom());
    p.setSignatureLevel(Dss.level(SignatureFormat.CADES, o.level()));
    // DSS always signs detached, over the digest; enveloping output is assembled by EnvelopingCms.
    p.setSignaturePackaging(eu.europa.esig.dss.enumerations.SignaturePackaging.DETACHED);
    timestampDigests(p, o.digestAlgorithm());
    if (o.contentHints() != null) {
      p.setContentHintsDescription(o.contentHints().description());
      p.setContentHintsType(o.contentHints().contentType());
    }
    return p;
  }

  @Override
  protected CAdESSignatureParameters extensionParameters(SignatureLevel level, List<DSSDocument> detached) {
    CAdESSignatureParameters p = new CAdESSignatureParameters();
    p.setSignatureLevel(Dss.level(SignatureFormat.CADES, level));
    p.setDetachedContents(detached);
    timestampDigests(p, DigestAlgorithm.SHA256);
    return p;
  }

  /** Timestamps hash with the signature's digest, so a digest-only document suffices up to LTA. */
  private static void timestampDigests(CAdESSignatureParameters p, DigestAlgorithm digest) {
    p.setSignatureTimestampParameters(new CAdESTimestampParameters(Dss.digest(digest)));
    p.setArchiveTimestampParameters(new CAdESTimestampParameters(Dss.digest(digest)));
  }

  /**
   * DSS sees only the digest, computed in one streaming pass with the JDK (DSS would hash the
   * content twice with Bouncy Castle, ~14 times slower on large files, and hold it in memory for
   * enveloping signatures).
   */
  @Override
  protected DSSDocument signable(Document document, CadesOptions options) {
    DigestAlgorithm digest = options.digestAlgorithm();
    return new DigestDocument(Dss.digest(digest), document.digest(digest), document.name(),
        Dss.mimeType(document.mediaType()));
  }

  @Override
  protected void checkSignable(Document document, CadesOptions options) {
    if (!document.hasContent() && options.packaging() != SignaturePackaging.DETACHED) {
      throw new InvalidDocumentException(document.name() + " is known only by its digests: an enveloping CMS needs"
          + " the content; sign it DETACHED");
    }
    if (!document.hasContent() && !document.knownDigests().contains(options.digestAlgorithm())) {
      throw new InvalidDocumentException(document.name() + " is known only by " + document.knownDigests()
          + ": a " + options.digestAlgorithm() + " signature needs that digest too");
    }
    if (document.size().orElse(1) == 0) {
      throw new InvalidDocumentException(document.name() + " is empty: there is nothing to sign");
    }
  }

  @Override
  protected Document output(DSSDocument signed, Document input, CadesOptions options) {
    if (options.packaging() == SignaturePackaging.DETACHED) {
      return Dss.document(signed, input.name() + ".p7s", MediaType.PKCS7);
    }
    try (java.io.InputStream in = signed.openStream()) {
      return EnvelopingCms.wrap(in.readAllBytes(), input, input.name() + ".p7m");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  protected Document extendedOutput(DSSDocument extended, Document input) {
    return Dss.document(extended, input.name(), input.mediaType());
  }

  @Override
  protected Map<String, String> encode(CadesOptions o) {
    Map<String, String> m = OptionMap.common(o);
    if (o.contentHints() != null) {
      m.put("contentHints", o.contentHints().description());
      m.put("contentHintsType", o.contentHints().contentType());
    }
    return m;
  }

  @Override
  protected CadesOptions decode(OptionMap m) {
    return CadesOptions.builder().level(m.level()).digestAlgorithm(m.digestAlgorithm())
        .packaging(m.packaging()).signedAttributes(m.signedAttributes())
        .contentHints(m.text("contentHints") == null ? null
            : new org.opendsm.cades.ContentHints(m.text("contentHints"), m.text("contentHintsType"))).build();
  }
}
