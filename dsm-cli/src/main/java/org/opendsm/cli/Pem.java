package org.opendsm.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Certificates as PEM text, through Bouncy Castle's writer. */
final class Pem {
  private Pem() {}

  static String certificate(X509Certificate certificate) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + certificate.getSubjectX500Principal() + " as PEM", e);
    }
    return out.toString();
  }
}
