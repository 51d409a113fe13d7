package org.opendsm.client.internal;

import java.io.IOException;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.opendsm.SignatureAlgorithm;

/** Our signature algorithms as CSC {@code signAlgo} OIDs and PSS parameters. */
public final class CscAlgorithms {
  private CscAlgorithms() {}

  public static String signAlgo(SignatureAlgorithm a) {
    return switch (a) {
      case ECDSA_SHA256 -> "1.2.840.10045.4.3.2";
      case ECDSA_SHA384 -> "1.2.840.10045.4.3.3";
      case ECDSA_SHA512 -> "1.2.840.10045.4.3.4";
      case RSA_SHA256 -> "1.2.840.113549.1.1.11";
      case RSA_SHA384 -> "1.2.840.113549.1.1.12";
      case RSA_SHA512 -> "1.2.840.113549.1.1.13";
      case RSA_PSS_SHA256, RSA_PSS_SHA384, RSA_PSS_SHA512 -> "1.2.840.113549.1.1.10";
    };
  }

  /** Base64 DER RSASSA-PSS-params (MGF1 with the same hash, salt = hash length), or null. */
  public static String signAlgoParams(SignatureAlgorithm a) {
    if (a.scheme() != SignatureAlgorithm.Scheme.RSA_PSS) {
      return null;
    }
    AlgorithmIdentifier hash = new AlgorithmIdentifier(new ASN1ObjectIdentifier(a.digestAlgorithm().oid()), DERNull.INSTANCE);
    RSASSAPSSparams params = new RSASSAPSSparams(hash, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
        new ASN1Integer(a.digestAlgorithm().length()), new ASN1Integer(1));
    try {
      return Base64.getEncoder().encodeToString(params.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
