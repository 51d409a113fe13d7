package org.opendsm.internal;

import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.DSSException;
import eu.europa.esig.dss.model.SerializableTimestampParameters;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.spi.exception.IllegalInputException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
 * Formats supply parameters, input checks and the option codec; this class owns signing time,
 * algorithm choice, the prepare/complete consistency checks and error mapping.
 */
public abstract class AbstractSignatureService<
        O extends SignatureOptions,
        P extends AbstractSignatureParameters<?>,
        T extends SerializableTimestampParameters>
    implements SignatureService<O> {

  protected final ServiceSettings settings;

  protected AbstractSignatureService(ServiceSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The DSS service, configured with the certificate verifier and TSP source. */
  protected abstract DocumentSignatureService<P, T> dss();

  /** Format parameters for {@code options} (level, packaging, attributes); no key or time yet. */
  protected abstract P newParameters(O options);

  /** Parameters to extend an existing signature to {@code level}. */
  protected abstract P extensionParameters(SignatureLevel level, List<DSSDocument> detached);

  protected abstract Map<String, String> encode(O options);

  protected abstract O decode(Map<String, String> options);

  /** Refuses input this format cannot sign, with a message that says why. */
  protected abstract void checkSignable(Document document, O options);

  /** The DSS document to sign; formats may substitute a digest-only view. */
  protected DSSDocument signable(Document document, O options) {
    return Dss.document(document);
  }

  /** Name and type of the signed output. */
  protected abstract Document output(DSSDocument signed, Document input, O options);

  /** Name and type of an extended signature. */
  protected abstract Document extendedOutput(DSSDocument extended, Document input);

  @Override
  public PreparedSignature prepare(Document document, O options, List<X509Certificate> chain) {
    return prepare(document, options, chain, defaultScheme(chain.get(0).getPublicKey()));
  }

  @Override
  public PreparedSignature prepare(
      Document document, O options, List<X509Certificate> chain, SignatureAlgorithm.Scheme scheme) {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(scheme, "scheme");
    if (chain == null || chain.isEmpty()) {
      throw new IllegalArgumentException("certificateChain must hold the signing certificate");
    }
    requireTimestampSourceFor(options.level());
    checkSignable(document, options);
    SignatureAlgorithm algorithm = SignatureAlgorithm.of(scheme, options.digestAlgorithm());
    checkKeyMatchesScheme(chain.get(0), scheme);
    Instant signingTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    P parameters = parameters(options, chain, algorithm, signingTime);
    ToBeSigned tbs = dataToSign(signable(document, options), parameters);
    return new PreparedSignature(format(), encode(options), algorithm, signingTime, chain,
        document.name(), document.digest(DigestAlgorithm.SHA256),
        options.digestAlgorithm().digest(tbs.getBytes()));
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
      throw new InvalidDocumentException("The document '" + document.name()
          + "' is not the one this signature was prepared for ('" + prepared.documentName() + "')");
    }
    if (value.algorithm() != prepared.signatureAlgorithm()) {
      throw new InvalidSignatureValueException("The signature value was made with "
          + value.algorithm() + " but " + prepared.signatureAlgorithm() + " was prepared");
    }
    O options = decode(prepared.options());
    P parameters = parameters(options, prepared.certificateChain(), prepared.signatureAlgorithm(),
        prepared.signingTime());
    DSSDocument signable = signable(document, options);
    ToBeSigned tbs = dataToSign(signable, parameters);
    if (!MessageDigest.isEqual(options.digestAlgorithm().digest(tbs.getBytes()), prepared.digest())) {
      throw new DsmException("The data to be signed changed since preparation; prepare again");
    }
    eu.europa.esig.dss.model.SignatureValue dssValue = new eu.europa.esig.dss.model.SignatureValue(
        Dss.signature(value.algorithm()), value.value());
    if (!dss().isValidSignatureValue(tbs, dssValue, parameters.getSigningCertificate())) {
      throw new InvalidSignatureValueException("The signature value does not verify against the"
          + " certificate of " + prepared.certificateChain().get(0).getSubjectX500Principal().getName()
          + "; the document was not modified");
    }
    try {
      return new SignedDocument(output(dss().signDocument(signable, parameters, dssValue), document,
          options), format(), options.level());
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException("Cannot sign " + document.name() + ": " + e.getMessage(), e);
    } catch (DSSException e) {
      throw mapSigningFailure(e);
    }
  }

  @Override
  public SignedDocument sign(Document document, O options, Signer signer) {
    return signAll(List.of(document), options, signer).get(0);
  }

  @Override
  public List<SignedDocument> signAll(List<Document> documents, O options, Signer signer) {
    Objects.requireNonNull(signer, "signer");
    if (documents.isEmpty()) {
      throw new IllegalArgumentException("documents must not be empty");
    }
    List<X509Certificate> chain = signer.certificateChain();
    SignatureAlgorithm.Scheme scheme = signer.signatureAlgorithm(options.digestAlgorithm()).scheme();
    List<PreparedSignature> prepared = new ArrayList<>(documents.size());
    List<byte[]> digests = new ArrayList<>(documents.size());
    for (Document d : documents) {
      PreparedSignature p = prepare(d, options, chain, scheme);
      prepared.add(p);
      digests.add(p.digest());
    }
    List<SignatureValue> values = signer.signDigests(options.digestAlgorithm(), digests);
    if (values.size() != documents.size()) {
      throw new SigningException("The signer returned " + values.size() + " signature values for "
          + documents.size() + " digests");
    }
    List<SignedDocument> out = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      out.add(complete(documents.get(i), prepared.get(i), values.get(i)));
    }
    return List.copyOf(out);
  }

  @Override
  public SignedDocument extend(Document signed, SignatureLevel level, List<Document> detachedContents) {
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(level, "level");
    if (level == SignatureLevel.B) {
      throw new IllegalArgumentException("Extension targets T, LT or LTA; B is where signing starts");
    }
    requireTimestampSourceFor(level);
    List<DSSDocument> detached = new ArrayList<>();
    detachedContents.forEach(d -> detached.add(detachedForExtension(d)));
    try {
      DSSDocument extended = dss().extendDocument(Dss.document(signed), extensionParameters(level, detached));
      return new SignedDocument(extendedOutput(extended, signed), format(), level);
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException("Cannot extend " + signed.name() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof DsmException dsm) {
        throw dsm;
      }
      throw new ExtensionException(
          "Cannot extend " + signed.name() + " to " + level + ": " + e.getMessage(), e);
    }
  }

  /** The DSS view of detached content during extension (formats may use digests). */
  protected DSSDocument detachedForExtension(Document content) {
    return Dss.document(content);
  }

  private P parameters(O options, List<X509Certificate> chain, SignatureAlgorithm algorithm,
      Instant signingTime) {
    P p = newParameters(options);
    p.setSigningCertificate(Dss.token(chain.get(0)));
    p.setCertificateChain(Dss.tokens(chain));
    // After the certificate: setting it resets the encryption algorithm from the key.
    p.setEncryptionAlgorithm(Dss.encryption(algorithm.scheme()));
    p.setDigestAlgorithm(Dss.digest(algorithm.digestAlgorithm()));
    p.bLevel().setSigningDate(Date.from(signingTime));
    return p;
  }

  private ToBeSigned dataToSign(DSSDocument document, P parameters) {
    try {
      return dss().getDataToSign(document, parameters);
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException(
          "Cannot sign " + document.getName() + ": " + e.getMessage(), e);
    } catch (DSSException e) {
      throw mapSigningFailure(e);
    }
  }

  private DsmException mapSigningFailure(DSSException e) {
    if (e.getCause() instanceof DsmException dsm) {
      return dsm;
    }
    return new DsmException("Signing failed: " + e.getMessage(), e);
  }

  private void requireTimestampSourceFor(SignatureLevel level) {
    if (level.needsTimestamp() && settings.timestampSource().isEmpty()) {
      throw new IllegalStateException("Level " + level + " needs a timestamp source:"
          + " configure ServiceSettings.builder().timestampSource(...)");
    }
  }

  static SignatureAlgorithm.Scheme defaultScheme(PublicKey key) {
    if (key instanceof ECKey) {
      return SignatureAlgorithm.Scheme.ECDSA;
    }
    if ("RSA".equals(key.getAlgorithm()) || "RSASSA-PSS".equals(key.getAlgorithm())) {
      return "RSASSA-PSS".equals(key.getAlgorithm())
          ? SignatureAlgorithm.Scheme.RSA_PSS : SignatureAlgorithm.Scheme.RSA_PKCS1;
    }
    throw new IllegalArgumentException("Unsupported key type " + key.getAlgorithm()
        + ": use RSA or EC (P-256, P-384)");
  }

  private static void checkKeyMatchesScheme(X509Certificate cert, SignatureAlgorithm.Scheme scheme) {
    boolean ec = cert.getPublicKey() instanceof ECKey;
    if (ec != (scheme == SignatureAlgorithm.Scheme.ECDSA)) {
      throw new IllegalArgumentException("Scheme " + scheme + " does not fit the "
          + cert.getPublicKey().getAlgorithm() + " key of " + cert.getSubjectX500Principal());
    }
  }
}
