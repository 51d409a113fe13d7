package org.opendsm.server.internal.http;

import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.server.internal.vault.KeySpec;

/** CSC algorithm OIDs to and from ours, lenient where real clients are (csc-v2-notes §5, §7). */
final class Algorithms {
  static final String EC_KEY = "1.2.840.10045.2.1";
  static final String RSA_KEY = "1.2.840.113549.1.1.1";
  static final String RSA_PSS = "1.2.840.113549.1.1.10";
  private static final String SHA1 = "1.3.14.3.2.26";

  private Algorithms() {}

  static DigestAlgorithm digest(String oid) {
    if (oid == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter hashAlgorithmOID");
    }
    if (SHA1.equals(oid)) {
      throw CscException.invalidRequest("Invalid parameter hashAlgorithmOID: SHA-1 is not allowed");
    }
    for (DigestAlgorithm d : DigestAlgorithm.values()) {
      if (d.oid().equals(oid)) {
        return d;
      }
    }
    throw CscException.invalidRequest("Invalid parameter hashAlgorithmOID");
  }

  /** The signature algorithm named by {@code signAlgo} (+ hash OID or PSS parameters). */
  static SignatureAlgorithm signature(String signAlgo, String hashOid, String pssParams) {
    if (signAlgo == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter signAlgo");
    }
    return switch (signAlgo) {
      case "1.2.840.10045.4.3.2" -> SignatureAlgorithm.ECDSA_SHA256;
      case "1.2.840.10045.4.3.3" -> SignatureAlgorithm.ECDSA_SHA384;
      case "1.2.840.10045.4.3.4" -> SignatureAlgorithm.ECDSA_SHA512;
      case "1.2.840.113549.1.1.11" -> SignatureAlgorithm.RSA_SHA256;
      case "1.2.840.113549.1.1.12" -> SignatureAlgorithm.RSA_SHA384;
      case "1.2.840.113549.1.1.13" -> SignatureAlgorithm.RSA_SHA512;
      case EC_KEY -> SignatureAlgorithm.of(SignatureAlgorithm.Scheme.ECDSA, digest(hashOid));
      case RSA_KEY -> SignatureAlgorithm.of(SignatureAlgorithm.Scheme.RSA_PKCS1, digest(hashOid));
      case RSA_PSS -> SignatureAlgorithm.of(SignatureAlgorithm.Scheme.RSA_PSS, pssDigest(pssParams, hashOid));
      default -> throw CscException.invalidRequest("Invalid parameter signAlgo");
    };
  }

  private static DigestAlgorithm pssDigest(String params, String hashOid) {
    if (params == null) {
      return digest(hashOid);
    }
    try {
      RSASSAPSSparams p = RSASSAPSSparams.getInstance(Base64.getDecoder().decode(params));
      DigestAlgorithm d = digest(p.getHashAlgorithm().getAlgorithm().getId());
      if (p.getSaltLength().intValue() != d.length()) {
        throw CscException.invalidRequest("Invalid parameter signAlgoParams: the salt must be as long as the hash");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw CscException.invalidRequest("Invalid parameter signAlgoParams");
    }
  }

  /** What {@code credentials/info} advertises for a key. */
  static List<String> forKey(KeySpec spec) {
    return "EC".equals(spec.algorithm())
        ? List.of("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4", EC_KEY)
        : List.of("1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", RSA_KEY, RSA_PSS);
  }

  static List<String> all() {
    return List.of("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4", EC_KEY,
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", RSA_KEY, RSA_PSS);
  }
}
