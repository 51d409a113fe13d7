package org.opendsm.internal;

import eu.europa.esig.dss.diagnostic.DiagnosticData;
import eu.europa.esig.dss.diagnostic.TimestampWrapper;
import eu.europa.esig.dss.jaxb.object.Message;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.simplereport.jaxb.XmlTimestamp;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;

/** {@link org.opendsm.Verifier} on DSS's {@link SignedDocumentValidator}. */
public final class DefaultVerifier implements org.opendsm.Verifier {
  private final TrustSettings trust;
  private final List<ValidatorCustomizer> customizers = new ArrayList<>();
  private final org.opendsm.Secret documentPassword;

  public DefaultVerifier(TrustSettings trust) {
    this(trust, null);
  }

  private DefaultVerifier(TrustSettings trust, org.opendsm.Secret documentPassword) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.documentPassword = documentPassword;
    ServiceLoader.load(ValidatorCustomizer.class).forEach(customizers::add);
  }

  @Override
  public org.opendsm.Verifier withDocumentPassword(org.opendsm.Secret password) {
    return new DefaultVerifier(trust, Objects.requireNonNull(password, "password"));
  }

  @Override
  public String toString() {
    return "Verifier[" + (documentPassword == null ? "" : "with a document password, ") + trust + "]";
  }

  @Override
  public VerificationReport verify(Document signed) {
    return verify(signed, List.of());
  }

  @Override
  public VerificationReport verify(Document signed, List<Document> contents) {
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(contents, "contents");
    byte[] head = InputSniffer.head(signed);
    InputSniffer.rejectMalformed(signed, head);
    DSSDocument dssDocument = Dss.document(signed);
    SignedDocumentValidator validator;
    try {
      validator = SignedDocumentValidator.fromDocument(dssDocument);
    } catch (UnsupportedOperationException e) {
      // A file that names itself as something else (a .png, a .txt) is simply unsigned; unknown
      // bytes that DSS cannot read are not a document we can say anything about.
      if (InputSniffer.isKnownUnsignedFormat(head) || !signed.mediaType().mayBeSignature()) {
        return new VerificationReport(signed.name(), List.of(), null);
      }
      throw new InvalidDocumentException(signed.name() + " is neither a signature nor a document"
          + " format OpenDSM reads (PDF, XML, CMS/PKCS#7)", e);
    } catch (RuntimeException e) {
      throw new InvalidDocumentException("Cannot read " + signed.name() + ": " + e.getMessage(), e);
    }
    validator.setCertificateVerifier(CertificateVerifiers.create(trust));
    validator.setSignaturePolicyProvider(CertificateVerifiers.policyProvider(trust));
    if (!contents.isEmpty()) {
      List<DSSDocument> detached = new ArrayList<>();
      contents.forEach(c -> detached.add(Dss.document(c)));
      validator.setDetachedContents(detached);
    }
    customizers.forEach(c -> c.customize(validator));
    if (documentPassword != null) {
      char[] password = documentPassword.chars();
      try {
        customizers.forEach(c -> c.documentPassword(validator, password));
      } finally {
        java.util.Arrays.fill(password, '\0');
      }
    }
    Reports reports;
    try {
      reports = validator.validateDocument(ValidationPolicies.standard());
    } catch (RuntimeException e) {
      if (passwordProblem(e)) {
        throw new InvalidDocumentException(signed.name() + " is encrypted and its open password is "
            + (documentPassword == null ? "missing: verify with Verifier.withDocumentPassword(...)"
                : "wrong"), e);
      }
      throw new InvalidDocumentException(
          "Cannot validate " + signed.name() + ": " + e.getMessage(), e);
    }
    return new VerificationReport(signed.name(), summarize(reports, customAttributes(validator)),
        standaloneTimestamps(reports), new DssRenderings(reports));
  }

  /** Each signature's custom attributes (counter-signatures' too), by DSS identifier, as the format modules read them. */
  private java.util.Map<String, List<org.opendsm.CustomAttribute>> customAttributes(SignedDocumentValidator validator) {
    java.util.Map<String, List<org.opendsm.CustomAttribute>> out = new java.util.HashMap<>();
    java.util.Deque<eu.europa.esig.dss.spi.signature.AdvancedSignature> pending =
        new java.util.ArrayDeque<>(validator.getSignatures());
    while (!pending.isEmpty()) {
      var signature = pending.pop();
      // The first module that reads this signature's format answers (a PAdES signature is a CAdES one too).
      List<org.opendsm.CustomAttribute> found;
      try {
        found = customizers.stream().map(c -> c.customAttributes(signature)).filter(l -> !l.isEmpty()).findFirst()
            .orElse(List.of());
      } catch (RuntimeException e) {
        // What cannot be read is not reported; DSS's validation of the signature stands on its own.
        found = List.of();
      }
      out.put(signature.getId(), found);
      pending.addAll(signature.getCounterSignatures());
    }
    return out;
  }

  private static List<SignatureReport> summarize(Reports reports,
      java.util.Map<String, List<org.opendsm.CustomAttribute>> custom) {
    SimpleReport simple = reports.getSimpleReport();
    DiagnosticData diagnostic = reports.getDiagnosticData();
    List<SignatureReport> out = new ArrayList<>();
    for (String id : simple.getSignatureIdList()) {
      var dssLevel = simple.getSignatureFormat(id);
      var sub = simple.getSubIndication(id);
      out.add(new SignatureReport(id, simple.getSignedBy(id), instant(simple.getSigningTime(id)),
          instant(simple.getBestSignatureTime(id)), format(dssLevel), name(dssLevel),
          level(dssLevel), indication(simple.getIndication(id)), sub == null ? null : sub.name(),
          messages(simple.getAdESValidationErrors(id)),
          messages(simple.getAdESValidationWarnings(id)),
          timestamps(simple.getSignatureTimestamps(id), diagnostic), chain(diagnostic, id),
          attributes(diagnostic.getSignatureById(id), custom), counterSignatureOf(diagnostic.getSignatureById(id))));
    }
    return out;
  }

  /** Whether {@code e} says a document needs a password it was not given (PDFBox's exception, by name). */
  private static boolean passwordProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getSimpleName().equals("InvalidPasswordException")
          || String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password")) {
        return true;
      }
    }
    return false;
  }

  private static SignatureReport.Attributes attributes(eu.europa.esig.dss.diagnostic.SignatureWrapper s,
      java.util.Map<String, List<org.opendsm.CustomAttribute>> custom) {
    if (s == null) {
      return SignatureReport.Attributes.NONE;
    }
    List<String> commitments = new ArrayList<>();
    for (var c : s.getCommitmentTypeIndications()) {
      String found = c.getIdentifier();
      commitments.add(org.opendsm.CommitmentType.of(found).map(Enum::name).orElse(found));
    }
    List<String> roles = new ArrayList<>();
    s.getClaimedRoles().forEach(r -> roles.add(r.getRole()));
    String location = null;
    if (s.isSignatureProductionPlacePresent()) {
      List<String> parts = new ArrayList<>();
      for (String part : new String[] {s.getStreetAddress(), s.getPostalCode(), s.getCity(), s.getStateOrProvince(),
          s.getCountryName()}) {
        if (part != null && !part.isBlank()) {
          parts.add(part);
        }
      }
      s.getPostalAddress().forEach(parts::add);
      location = String.join(", ", parts);
    }
    SignatureReport.PolicyReport policy = null;
    if (s.isPolicyPresent()) {
      boolean identified = s.isPolicyIdentified() && (s.isPolicyZeroHash() || s.isPolicyDigestValid());
      String problem = s.getPolicyProcessingError();
      if (!identified && problem == null) {
        problem = s.isPolicyIdentified() ? "The digest of the policy document does not match the signed one"
            : "The policy document could not be obtained";
      }
      var notice = s.getPolicyUserNotice();
      policy = new SignatureReport.PolicyReport(s.getPolicyId(), s.getPolicyUrl(), identified,
          identified ? null : problem, notice == null ? null : notice.getExplicitText());
    }
    String hints = s.getContentHints();
    return new SignatureReport.Attributes(commitments, roles, location, policy,
        hints == null || hints.isBlank() ? null : hints, custom.getOrDefault(s.getId(), List.of()));
  }

  /** The timestamps DSS reports on their own, beside the signatures rather than under one. */
  private static List<SignatureReport.TimestampReport> standaloneTimestamps(Reports reports) {
    SimpleReport simple = reports.getSimpleReport();
    List<SignatureReport.TimestampReport> out = new ArrayList<>();
    for (String id : simple.getTimestampIdList()) {
      TimestampWrapper w = reports.getDiagnosticData().getTimestampById(id);
      out.add(new SignatureReport.TimestampReport(id, w == null || w.getType() == null ? "UNKNOWN" : w.getType().name(),
          instant(simple.getProductionTime(id)), simple.getProducedBy(id), indication(simple.getIndication(id))));
    }
    return out;
  }

  private static String counterSignatureOf(eu.europa.esig.dss.diagnostic.SignatureWrapper s) {
    return s != null && s.isCounterSignature() && s.getParent() != null ? s.getParent().getId() : null;
  }

  private static List<String> chain(DiagnosticData diagnostic, String signatureId) {
    var signature = diagnostic.getSignatureById(signatureId);
    List<String> out = new ArrayList<>();
    if (signature != null) {
      signature.getCertificateChain().forEach(c -> out.add(c.getReadableCertificateName()));
    }
    return out;
  }

  private static List<SignatureReport.TimestampReport> timestamps(
      List<XmlTimestamp> list, DiagnosticData diagnostic) {
    List<SignatureReport.TimestampReport> out = new ArrayList<>();
    for (XmlTimestamp t : list) {
      TimestampWrapper w = diagnostic.getTimestampById(t.getId());
      out.add(new SignatureReport.TimestampReport(t.getId(),
          w == null || w.getType() == null ? "UNKNOWN" : w.getType().name(),
          instant(t.getProductionTime()), t.getProducedBy(), indication(t.getIndication())));
    }
    return out;
  }

  private static List<String> messages(List<Message> messages) {
    List<String> out = new ArrayList<>();
    messages.forEach(m -> out.add(m.getValue()));
    return out;
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }

  static Indication indication(eu.europa.esig.dss.enumerations.Indication i) {
    if (i == null) {
      return Indication.INDETERMINATE;
    }
    return switch (i) {
      case TOTAL_PASSED, PASSED -> Indication.TOTAL_PASSED;
      case TOTAL_FAILED, FAILED -> Indication.TOTAL_FAILED;
      default -> Indication.INDETERMINATE;
    };
  }

  private static String name(eu.europa.esig.dss.enumerations.SignatureLevel l) {
    return l == null ? "UNKNOWN" : l.toString();
  }

  static SignatureFormat format(eu.europa.esig.dss.enumerations.SignatureLevel l) {
    if (l == null) {
      return null;
    }
    return switch (l.getSignatureForm()) {
      case PAdES -> SignatureFormat.PADES;
      case CAdES -> SignatureFormat.CADES;
      case XAdES -> SignatureFormat.XADES;
      default -> null;
    };
  }

  static SignatureLevel level(eu.europa.esig.dss.enumerations.SignatureLevel l) {
    if (l == null) {
      return null;
    }
    String n = l.name();
    int i = n.indexOf("_BASELINE_");
    return i < 0 ? null : SignatureLevel.valueOf(n.substring(i + "_BASELINE_".length()));
  }

  /** Cheap structural checks before DSS sees the bytes. */
  static final class InputSniffer {
    private InputSniffer() {}

    static byte[] head(Document d) {
      try (InputStream in = d.openStream()) {
        return in.readNBytes(16);
      } catch (IOException e) {
        throw new InvalidDocumentException("Cannot read " + d.name() + ": " + e.getMessage(), e);
      }
    }

    static void rejectMalformed(Document d, byte[] head) {
      if (head.length == 0) {
        throw new InvalidDocumentException(d.name() + " is empty");
      }
      if (startsWith(head, "%PDF-") && !PdfTrailer.hasEof(d)) {
        throw new InvalidDocumentException(
            d.name() + " is a truncated PDF: no %%EOF marker at its end");
      }
    }

    static boolean isKnownUnsignedFormat(byte[] head) {
      return startsWith(head, "\u0089PNG") || (head.length > 2 && (head[0] & 0xff) == 0xff
          && (head[1] & 0xff) == 0xd8) || startsWith(head, "GIF8");
    }

    private static boolean startsWith(byte[] head, String prefix) {
      if (head.length < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if ((head[i] & 0xff) != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
