package org.opendsm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureFormat;

/** JSON form of {@link PreparedSignature}: a versioned record with base64 binary fields. */
public final class PreparedSignatureJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final int VERSION = 1;

  record Dto(
      int version,
      String format,
      Map<String, String> options,
      String signatureAlgorithm,
      String signingTime,
      List<String> certificateChain,
      String documentName,
      String documentSha256,
      String digest) {}

  private PreparedSignatureJson() {}

  public static String write(PreparedSignature p) {
    List<String> chain = new ArrayList<>();
    try {
      for (X509Certificate c : p.certificateChain()) {
        chain.add(Base64.getEncoder().encodeToString(c.getEncoded()));
      }
      Base64.Encoder b64 = Base64.getEncoder();
      return MAPPER.writeValueAsString(new Dto(VERSION, p.format().name(), p.options(),
          p.signatureAlgorithm().name(), p.signingTime().toString(), chain, p.documentName(),
          b64.encodeToString(p.documentSha256()), b64.encodeToString(p.digest())));
    } catch (CertificateEncodingException | JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode prepared signature", e);
    }
  }

  public static PreparedSignature read(String json) {
    try {
      Dto d = MAPPER.readValue(json, Dto.class);
      if (d.version() != VERSION) {
        throw new IllegalArgumentException("Unsupported prepared signature version " + d.version());
      }
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> chain = new ArrayList<>();
      for (String c : d.certificateChain()) {
        chain.add((X509Certificate) cf.generateCertificate(
            new ByteArrayInputStream(Base64.getDecoder().decode(c))));
      }
      Base64.Decoder b64 = Base64.getDecoder();
      return new PreparedSignature(SignatureFormat.valueOf(d.format()), d.options(),
          SignatureAlgorithm.valueOf(d.signatureAlgorithm()), Instant.parse(d.signingTime()),
          chain, d.documentName(), b64.decode(d.documentSha256()), b64.decode(d.digest()));
    } catch (JsonProcessingException | CertificateException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
          && iae.getMessage().startsWith("Unsupported prepared")) {
        throw iae;
      }
      throw new IllegalArgumentException("Not a prepared signature: " + e.getMessage(), e);
    }
  }
}
