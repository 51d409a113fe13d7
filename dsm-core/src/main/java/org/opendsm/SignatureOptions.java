package org.opendsm;

/**
 * What every format's signing options have in common. Implementations are immutable records built
 * and validated by their builders ({@code PadesOptions.builder()...build()}).
 */
public interface SignatureOptions {
  SignatureLevel level();

  DigestAlgorithm digestAlgorithm();

  SignaturePackaging packaging();

  /** Commitment types, claimed roles, signer location, policy and content timestamp; none by default. */
  default SignedAttributes signedAttributes() {
    return SignedAttributes.NONE;
  }
}
