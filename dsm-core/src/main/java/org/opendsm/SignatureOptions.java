package org.opendsm;

/**
 * What every format's signing options have in common. Implementations are immutable records built
 * and validated by their builders ({@code PadesOptions.builder()...build()}).
 */
public interface SignatureOptions {
  SignatureLevel level();

  DigestAlgorithm digestAlgorithm();

  SignaturePackaging packaging();
}
