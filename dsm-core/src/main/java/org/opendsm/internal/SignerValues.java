package org.opendsm.internal;

import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.function.BiPredicate;
import org.opendsm.DigestAlgorithm;
import org.opendsm.InvalidSignatureValueException;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureValue;
import org.opendsm.Signer;
import org.opendsm.SigningException;

/**
 * One signature made by a {@link Signer} in a single step (no preparation to keep): the algorithm
 * it uses, the DSS parameters that name it, and its value, checked before anything is built.
 * For the services that sign outside the two-phase path (counter-signatures, parallel signatures,
 * containers).
 */
public final class SignerValues {
  private SignerValues() {}

  /** The signature algorithm {@code signer} uses with {@code digest}. */
  public static SignatureAlgorithm algorithm(Signer signer, DigestAlgorithm digest) {
    SignatureAlgorithm.Scheme scheme = signer.signatureAlgorithm(digest).scheme();
    Keys.checkSchemeFits(signer.certificate(), scheme);
    return SignatureAlgorithm.of(scheme, digest);
  }

  /** The signer's certificate, chain and algorithm, {@code level}, signed now. */
  public static void signerParameters(AbstractSignatureParameters<?> p, Signer signer, SignatureAlgorithm algorithm,
      eu.europa.esig.dss.enumerations.SignatureLevel level) {
    p.setSignatureLevel(level);
    p.setSigningCertificate(Dss.token(signer.certificate()));
    p.setCertificateChain(Dss.tokens(signer.certificateChain()));
    p.setEncryptionAlgorithm(Dss.encryption(algorithm.scheme()));
    p.setDigestAlgorithm(Dss.digest(algorithm.digestAlgorithm()));
    p.bLevel().setSigningDate(Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
  }

  /**
   * The signer's value over {@code tbs} (one digest, one call to the signer), refused unless
   * {@code valid} accepts it for the signing certificate.
   */
  public static eu.europa.esig.dss.model.SignatureValue value(Signer signer, SignatureAlgorithm algorithm,
      ToBeSigned tbs, BiPredicate<ToBeSigned, eu.europa.esig.dss.model.SignatureValue> valid) {
    List<SignatureValue> values = signer.signDigests(algorithm.digestAlgorithm(),
        List.of(algorithm.digestAlgorithm().digest(tbs.getBytes())));
    if (values.size() != 1) {
      throw new SigningException("The signer returned " + values.size() + " signature values for 1 digest");
    }
    var value = new eu.europa.esig.dss.model.SignatureValue(Dss.signature(values.get(0).algorithm()),
        values.get(0).value());
    if (!valid.test(tbs, value)) {
      throw new InvalidSignatureValueException("The signature value does not verify against the certificate of "
          + signer.certificate().getSubjectX500Principal().getName() + "; nothing was written");
    }
    return value;
  }
}
