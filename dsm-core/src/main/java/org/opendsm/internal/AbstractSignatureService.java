package org.opendsm.internal;

import eu.europa.esig.dss.alert.exception.AlertException;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.DSSException;
import eu.europa.esig.dss.model.SerializableTimestampParameters;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.spi.exception.IllegalInputException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.DsmException;
import org.opendsm.ExtensionException;
import org.opendsm.InvalidDocumentException;
import org.opendsm.InvalidSignatureValueException;
import org.opendsm.PreparedSignature;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureOptions;
import org.opendsm.SignatureService;
import org.opendsm.SignatureValue;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.SigningException;

/**
 * The two-phase flow shared by every format, on top of a DSS {@link DocumentSignatureService}.
 * Formats supply parameters, input checks and options; this class owns signing time, algorithm
 * choice, the prepare/complete consistency checks and error translation.
 *
 * <p>{@link #complete} rebuilds the data to be signed and compares it with the prepared digest, so
 * a prepared signature can come back from anywhere (another request, another node). {@link #sign}
 * and {@link #signAll} keep the data from their own preparation instead: same checks on the value,
 * one document pass less.
 */
public abstract class AbstractSignatureService<
        O extends SignatureOptions,
        P extends AbstractSignatureParameters<?>,
        T extends SerializableTimestampParameters>
    implements SignatureService<O> {
  /** The option key of a content timestamp taken at preparation (base64 DER). */
  private static final String CONTENT_TIMESTAMP = "contentTimestamp";


  protected final ServiceSettings settings;

  protected AbstractSignatureService(ServiceSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The DSS service, configured with the certificate verifier and TSP source. */
  protected abstract DocumentSignatureService<P, T> dss();

  /**
   * One signing, completion or extension: the DSS service it uses, where its output goes, and what
   * to clean up after. The default shares {@link #dss()} and keeps outputs as DSS made them;
   * PAdES uses temporary files per operation.
   */
  protected static class Operation<P extends AbstractSignatureParameters<?>, T extends SerializableTimestampParameters>
      implements AutoCloseable {
    private final DocumentSignatureService<P, T> dss;

    public Operation(DocumentSignatureService<P, T> dss) {
      this.dss = dss;
    }

    public DocumentSignatureService<P, T> dss() {
      return dss;
    }

    /** The output, owned by the caller from now on. */
    public DSSDocument adopt(DSSDocument output) {
      return output;
    }

    @Override
    public void close() {}
  }

  protected Operation<P, T> begin() {
    return new Operation<>(dss());
  }

  /** Format parameters for {@code options} (level, packaging, attributes); no key or time yet. */
  protected abstract P newParameters(O options);

  /** Parameters to extend an existing signature to {@code level}. */
  protected abstract P extensionParameters(SignatureLevel level, List<DSSDocument> detached);

  /** The options as strings, for {@link PreparedSignature#options()}. */
  protected abstract Map<String, String> encode(O options);

  /** Reads what {@link #encode} wrote; throws {@link IllegalArgumentException} if incomplete. */
  protected abstract O decode(OptionMap options);

  /** Refuses input this format cannot sign, cheaply, with a message that says why. */
  protected abstract void checkSignable(Document document, O options);

  /** The DSS document to sign; formats may substitute a digest-only view. */
  protected DSSDocument signable(Document document, O options) {
    return Dss.document(document);
  }

  /** Explains why DSS could not read {@code document}; formats refine the message. */
  protected InvalidDocumentException unreadable(Document document, O options, RuntimeException e) {
    return new InvalidDocumentException("Cannot sign " + document.name() + ": " + e.getMessage(), e);
  }

  /** Name and type of the signed output. */
  protected abstract Document output(DSSDocument signed, Document input, O options);

  /** Name and type of an extended signature. */
  protected abstract Document extendedOutput(DSSDocument extended, Document input);

  /** A preparation and the data it signs, kept together within one call. */
  private record Prepared(PreparedSignature signature, DSSDocument signable, Object parameters, ToBeSigned tbs,
      Operation<?, ?> operation) {}

  @Override
  public PreparedSignature prepare(Document document, O options, List<X509Certificate> chain) {
    requireChain(chain);
    return prepare(document, options, chain, Keys.defaultScheme(chain.get(0).getPublicKey()));
  }

  @Override
  public PreparedSignature prepare(
      Document document, O options, List<X509Certificate> chain, SignatureAlgorithm.Scheme scheme) {
    try (Operation<P, T> op = begin()) {
      return prepareKeepingData(op, document, options, chain, scheme).signature();
    }
  }

  private Prepared prepareKeepingData(Operation<P, T> op,
      Document document, O options, List<X509Certificate> chain, SignatureAlgorithm.Scheme scheme) {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(scheme, "scheme");
    requireChain(chain);
    requireTimestampSourceFor(options.level());
    if (options.signedAttributes().contentTimestamp() && settings.timestampSource().isEmpty()) {
      throw new IllegalStateException("A content timestamp needs a timestamp source:"
          + " configure ServiceSettings.builder().timestampSource(...)");
    }
    Keys.checkSchemeFits(chain.get(0), scheme);
    checkSignable(document, options);
    checkAttributes(options);
    SignatureAlgorithm algorithm = SignatureAlgorithm.of(scheme, options.digestAlgorithm());
    Instant signingTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    P parameters = parameters(options, chain, algorithm, signingTime);
    documentParameters(parameters, document, options);
    DSSDocument signable = signable(document, options);
    Map<String, String> encoded = new java.util.HashMap<>(encode(options));
    if (options.signedAttributes().contentTimestamp()) {
      // Taken once, at preparation: completion must rebuild the same signed attributes.
      var token = op.dss().getContentTimestamp(signable, parameters);
      parameters.setContentTimestamps(List.of(token));
      // The token's type and canonicalisation are the format's (XAdES: AllDataObjectsTimeStamp).
      encoded.put(CONTENT_TIMESTAMP, Base64.getEncoder().encodeToString(token.getEncoded()));
      encoded.put(CONTENT_TIMESTAMP + "Type", token.getTimeStampType().name());
      if (token.getCanonicalizationMethod() != null) {
        encoded.put(CONTENT_TIMESTAMP + "C14n", token.getCanonicalizationMethod());
      }
    }
    ToBeSigned tbs = dataToSign(op, document, options, signable, parameters);
    PreparedSignature prepared = new PreparedSignature(format(), encoded, algorithm, signingTime,
        chain, document.name(), document.digest(DigestAlgorithm.SHA256),
        options.digestAlgorithm().digest(tbs.getBytes()));
    return new Prepared(prepared, signable, parameters, tbs, op);
  }

  @Override
  public SignedDocument complete(Document document, PreparedSignature prepared, SignatureValue value) {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(prepared, "prepared");
    Objects.requireNonNull(value, "value");
    if (prepared.format() != format()) {
      throw new IllegalArgumentException(
          "This " + format() + " service cannot complete a " + prepared.format() + " signature");
    }
    if (!MessageDigest.isEqual(document.digest(DigestAlgorithm.SHA256), prepared.documentSha256())) {
      throw new InvalidDocumentException("The document '" + document.name() + "' is not the one this"
          + " signature was prepared for ('" + prepared.documentName() + "'): their SHA-256 differ");
    }
    OptionMap optionMap = new OptionMap(prepared.options());
    O options = decode(optionMap);
    P parameters = parameters(options, prepared.certificateChain(), prepared.signatureAlgorithm(),
        prepared.signingTime());
    documentParameters(parameters, document, options);
    String contentTimestamp = optionMap.text(CONTENT_TIMESTAMP);
    if (contentTimestamp != null) {
      try {
        String type = optionMap.text(CONTENT_TIMESTAMP + "Type");
        var token = new eu.europa.esig.dss.spi.x509.tsp.TimestampToken(Base64.getDecoder().decode(contentTimestamp),
            type == null ? eu.europa.esig.dss.enumerations.TimestampType.CONTENT_TIMESTAMP
                : eu.europa.esig.dss.enumerations.TimestampType.valueOf(type));
        token.setCanonicalizationMethod(optionMap.text(CONTENT_TIMESTAMP + "C14n"));
        parameters.setContentTimestamps(List.of(token));
      } catch (Exception e) {
        throw new IllegalArgumentException("The prepared signature's content timestamp does not parse", e);
      }
    }
    DSSDocument signable = signable(document, options);
    try (Operation<P, T> op = begin()) {
      ToBeSigned tbs = dataToSign(op, document, options, signable, parameters);
      if (!MessageDigest.isEqual(options.digestAlgorithm().digest(tbs.getBytes()), prepared.digest())) {
        throw new SigningException("The data to be signed differs from the prepared one (another"
            + " OpenDSM version or changed options?); prepare the signature again");
      }
      return finish(new Prepared(prepared, signable, parameters, tbs, op), document, options, value);
    }
  }

  @SuppressWarnings("unchecked")
  private SignedDocument finish(Prepared p, Document document, O options, SignatureValue value) {
    Operation<P, T> op = (Operation<P, T>) p.operation();
    PreparedSignature prepared = p.signature();
    if (value.algorithm() != prepared.signatureAlgorithm()) {
      throw new InvalidSignatureValueException("The signature value was made with "
          + value.algorithm() + " but " + prepared.signatureAlgorithm() + " was prepared");
    }
    P parameters = (P) p.parameters();
    var dssValue = new eu.europa.esig.dss.model.SignatureValue(Dss.signature(value.algorithm()), value.value());
    if (!op.dss().isValidSignatureValue(p.tbs(), dssValue, parameters.getSigningCertificate())) {
      throw new InvalidSignatureValueException("The signature value does not verify against the"
          + " certificate of " + prepared.certificateChain().get(0).getSubjectX500Principal().getName()
          + "; the document was not modified");
    }
    try {
      DSSDocument signed = op.adopt(op.dss().signDocument(p.signable(), parameters, dssValue));
      return new SignedDocument(output(signed, document, options), format(), options.level());
    } catch (RuntimeException e) {
      throw translate(e, document, options, "sign");
    }
  }

  @Override
  public SignedDocument sign(Document document, O options, Signer signer) {
    return signAll(List.of(document), options, signer).get(0);
  }

  @Override
  public List<SignedDocument> signAll(List<Document> documents, O options, Signer signer) {
    Objects.requireNonNull(documents, "documents");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(signer, "signer");
    if (documents.isEmpty()) {
      throw new IllegalArgumentException("documents must not be empty");
    }
    List<X509Certificate> chain = signer.certificateChain();
    SignatureAlgorithm.Scheme scheme = signer.signatureAlgorithm(options.digestAlgorithm()).scheme();
    List<Prepared> prepared = new ArrayList<>(documents.size());
    try {
      List<byte[]> digests = new ArrayList<>(documents.size());
      for (Document d : documents) {
        Operation<P, T> op = begin();
        try {
          prepared.add(prepareKeepingData(op, d, options, chain, scheme));
        } catch (RuntimeException e) {
          op.close();
          throw e;
        }
        digests.add(prepared.get(prepared.size() - 1).signature().digest());
      }
      List<SignatureValue> values = signer.signDigests(options.digestAlgorithm(), digests);
      if (values.size() != documents.size()) {
        throw new SigningException("The signer returned " + values.size() + " signature values for "
            + documents.size() + " digests");
      }
      List<SignedDocument> out = new ArrayList<>(documents.size());
      for (int i = 0; i < documents.size(); i++) {
        out.add(finish(prepared.get(i), documents.get(i), options, values.get(i)));
      }
      return List.copyOf(out);
    } finally {
      prepared.forEach(p -> p.operation().close());
    }
  }

  @Override
  public SignedDocument extend(Document signed, SignatureLevel level, List<Document> detachedContents) {
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(detachedContents, "detachedContents");
    if (level == SignatureLevel.B) {
      throw new IllegalArgumentException("Extension targets T, LT or LTA; B is where signing starts");
    }
    requireTimestampSourceFor(level);
    List<DSSDocument> detached = new ArrayList<>();
    detachedContents.forEach(d -> detached.add(Dss.document(d)));
    DSSDocument document = prepareForExtension(Dss.document(signed));
    requireSignatures(signed, document);
    try (Operation<P, T> op = begin()) {
      DSSDocument extended = op.adopt(op.dss().extendDocument(document, extensionParameters(level, detached)));
      return new SignedDocument(extendedOutput(extended, signed), format(), level);
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException("Cannot extend " + signed.name() + ": " + e.getMessage(), e);
    } catch (DSSException | AlertException e) {
      throw new ExtensionException("Cannot extend " + signed.name() + " to " + level + ": " + e.getMessage(), e);
    }
  }

  /**
   * The signer's value over {@code tbs} (one digest, one call to the signer), checked against the
   * signing certificate before anything is built with it.
   */
  protected final eu.europa.esig.dss.model.SignatureValue signatureValue(Signer signer, SignatureAlgorithm algorithm,
      ToBeSigned tbs) {
    return SignerValues.value(signer, algorithm, tbs,
        (t, v) -> dss().isValidSignatureValue(t, v, Dss.token(signer.certificate())));
  }

  /**
   * Counter-signs the signature {@code parameters} name in {@code signed} with {@code signer}, at
   * level B with SHA-256: one path for every format that has counter-signatures.
   */
  protected final <C extends AbstractSignatureParameters<?>
      & eu.europa.esig.dss.model.SerializableCounterSignatureParameters> SignedDocument counterSignWith(
      eu.europa.esig.dss.signature.CounterSignatureService<C> counterSigner, C parameters, Document signed,
      Signer signer) {
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(signer, "signer");
    DSSDocument document = existingSignatures(signed, parameters.getSignatureIdToCounterSign());
    SignatureAlgorithm algorithm = SignerValues.algorithm(signer, DigestAlgorithm.SHA256);
    SignerValues.signerParameters(parameters, signer, algorithm, Dss.level(format(), SignatureLevel.B));
    ToBeSigned tbs = counterSigner.getDataToBeCounterSigned(document, parameters);
    DSSDocument result = counterSigner.counterSignSignature(document, parameters, signatureValue(signer, algorithm, tbs));
    return new SignedDocument(extendedOutput(result, signed), format(), SignatureLevel.B);
  }

  /**
   * {@code signed} as DSS reads it, refused clearly unless it holds a signature of this format —
   * and, when {@code signatureId} is given, one with that id (the message lists those there are).
   */
  protected final DSSDocument existingSignatures(Document signed, String signatureId) {
    DSSDocument document = Dss.document(signed);
    List<String> ids;
    try {
      var validator = eu.europa.esig.dss.validation.SignedDocumentValidator.fromDocument(document);
      // A PDF, an ASiC container or the other XML/CMS format is not this service's to add to.
      ids = new ArrayList<>();
      if (readsOwnFormat(validator)) {
        collectIds(validator.getSignatures(), ids);
      }
    } catch (RuntimeException e) {
      ids = List.of();
    }
    if (ids.isEmpty()) {
      throw new InvalidDocumentException(signed.name() + " holds no " + format().name().charAt(0) + "AdES signature");
    }
    if (signatureId != null && !ids.contains(signatureId)) {
      throw new IllegalArgumentException("No signature '" + signatureId + "' in " + signed.name() + " to counter-sign;"
          + " there are " + ids);
    }
    return document;
  }

  /** The ids of {@code signatures} and, depth first, of their counter-signatures. */
  private static void collectIds(List<eu.europa.esig.dss.spi.signature.AdvancedSignature> signatures, List<String> ids) {
    for (var s : signatures) {
      ids.add(s.getId());
      collectIds(s.getCounterSignatures(), ids);
    }
  }

  /** Whether {@code validator} is the one for this service's own format (CMS for CAdES, XAdES XML). */
  protected boolean readsOwnFormat(eu.europa.esig.dss.validation.SignedDocumentValidator validator) {
    return true;
  }

  /** The signature algorithm {@code signer} uses for {@code options}' digest. */
  protected static SignatureAlgorithm algorithmOf(Signer signer, SignatureOptions options) {
    return SignerValues.algorithm(signer, options.digestAlgorithm());
  }

  /**
   * Refuses signed attributes this format cannot carry, with a message that says what to use
   * instead; all are accepted by default.
   */
  protected void checkAttributes(O options) {}

  /**
   * The signed document as extension needs it; as it is by default. (A plain XML-DSig signature
   * gets the XAdES container its unsigned properties go into.)
   */
  protected DSSDocument prepareForExtension(DSSDocument signed) {
    return signed;
  }

  /**
   * Tunes the validator that finds the signatures to extend (an encrypted PDF's password, say).
   * Nothing by default.
   */
  protected void readerFor(eu.europa.esig.dss.validation.SignedDocumentValidator validator) {}

  /** Extension needs a signature: an unsigned or unreadable file is bad input, and says so. */
  private void requireSignatures(Document signed, DSSDocument document) {
    List<?> found;
    try {
      var validator = eu.europa.esig.dss.validation.SignedDocumentValidator.fromDocument(document);
      readerFor(validator);
      found = validator.getSignatures();
    } catch (RuntimeException e) {
      if (formatRefusal(e, signed) instanceof InvalidDocumentException clearer) {
        throw clearer; // an encrypted PDF without its password, say
      }
      throw new InvalidDocumentException(signed.name() + " holds no signature to extend (not a signed PDF, XML or"
          + " CMS file)", e);
    }
    if (found.isEmpty()) {
      throw new InvalidDocumentException(signed.name() + " holds no signature to extend");
    }
  }

  /**
   * Parameters that depend on the document as well as the options (a visible signature's page
   * counted from the end, say); the same at preparation and completion. Nothing by default.
   */
  protected void documentParameters(P parameters, Document document, O options) {}

  /** The parameters a signature with these options, chain and time gets on {@code document}. */
  protected P parameters(Document document, O options, List<X509Certificate> chain, SignatureAlgorithm algorithm,
      Instant signingTime) {
    P p = parameters(options, chain, algorithm, signingTime);
    documentParameters(p, document, options);
    return p;
  }

  protected final P parameters(O options, List<X509Certificate> chain, SignatureAlgorithm algorithm,
      Instant signingTime) {
    P p = newParameters(options);
    p.setSigningCertificate(Dss.token(chain.get(0)));
    p.setCertificateChain(Dss.tokens(chain));
    // After the certificate: setting it resets the encryption algorithm from the key.
    p.setEncryptionAlgorithm(Dss.encryption(algorithm.scheme()));
    p.setDigestAlgorithm(Dss.digest(algorithm.digestAlgorithm()));
    p.bLevel().setSigningDate(Date.from(signingTime));
    SignedAttributesCodec.apply(options.signedAttributes(), p.bLevel());
    // The content is hashed once, with the signature's digest algorithm (a detached CAdES content
    // is known by that digest only).
    if (p.getContentTimestampParameters() instanceof eu.europa.esig.dss.model.TimestampParameters ts) {
      ts.setDigestAlgorithm(Dss.digest(options.digestAlgorithm()));
    }
    return p;
  }

  private ToBeSigned dataToSign(Operation<P, T> op, Document document, O options, DSSDocument signable, P parameters) {
    try {
      return op.dss().getDataToSign(signable, parameters);
    } catch (RuntimeException e) {
      throw translate(e, document, options, "prepare");
    }
  }

  /** DSS's exceptions become ours; our own and programmer errors pass through. */
  private RuntimeException translate(RuntimeException e, Document document, O options, String step) {
    if (e instanceof DsmException dsm) {
      return dsm;
    }
    if (e.getCause() instanceof DsmException dsm) {
      return dsm;
    }
    RuntimeException refusal = formatRefusal(e, document);
    if (refusal != null) {
      return refusal;
    }
    if (e instanceof IllegalInputException || unparsable(e)) {
      return unreadable(document, options, e);
    }
    if (e instanceof AlertException) {
      return new SigningException("Refused to " + step + " " + document.name() + ": " + e.getMessage(), e);
    }
    if (e instanceof DSSException) {
      return new SigningException("Cannot " + step + " " + document.name() + ": " + e.getMessage(), e);
    }
    if (fromDocumentReader(e)) {
      return unreadable(document, options, e);
    }
    return e;
  }

  /**
   * A format's own, clearer account of why DSS refused to sign {@code document} (a PDF whose
   * certification forbids another signature, say), or null.
   */
  protected RuntimeException formatRefusal(RuntimeException e, Document document) {
    return null;
  }

  /**
   * Whether {@code e}, which is not one of DSS's, was thrown by the format's document reader
   * (PDFBox meeting a page tree that contains itself, say): the input's fault, not a bug here.
   * Formats name their reader with {@link #thrownFrom}.
   */
  protected boolean fromDocumentReader(Throwable e) {
    return false;
  }

  /** Whether the frame that threw {@code e} belongs to one of {@code packages}. */
  protected static boolean thrownFrom(Throwable e, String... packages) {
    StackTraceElement[] trace = e.getStackTrace();
    if (trace.length == 0) {
      return false;
    }
    for (String p : packages) {
      if (trace[0].getClassName().startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether DSS failed because the document's parser could not read it (PDFBox reports a broken
   * PDF as a plain IOException): an IOException thrown by the format's reader. A file-system
   * failure anywhere in the chain (temporary files, a full disk) is not the input's fault.
   */
  private boolean unparsable(RuntimeException e) {
    boolean parser = false;
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.nio.file.FileSystemException || t instanceof DsmException) {
        return false;
      }
      if (t instanceof java.io.IOException && fromDocumentReader(t)) {
        parser = true;
      }
    }
    return parser;
  }

  protected final void requireTimestampSourceFor(SignatureLevel level) {
    if (level.needsTimestamp() && settings.timestampSource().isEmpty()) {
      throw new IllegalStateException("Level " + level + " needs a timestamp source:"
          + " configure ServiceSettings.builder().timestampSource(...)");
    }
  }

  private static void requireChain(List<X509Certificate> chain) {
    if (chain == null || chain.isEmpty()) {
      throw new IllegalArgumentException("certificateChain must hold the signing certificate");
    }
  }
}
