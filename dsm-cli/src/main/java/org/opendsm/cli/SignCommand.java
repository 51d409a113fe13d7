package org.opendsm.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.Document;
import org.opendsm.LocalSigner;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.TimestampSource;
import org.opendsm.TrustSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sign", description = "Sign a document with a key in a PKCS#12 file.",
    mixinStandardHelpOptions = true)
final class SignCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--format", description = "pades, cades or xades (default: from the file type)")
  String format;

  @Option(names = "--packaging", description = "enveloped, enveloping or detached")
  String packaging;

  @Option(names = "--level", defaultValue = "B", description = "B, T, LT or LTA (default: ${DEFAULT-VALUE})")
  String level;

  @Option(names = "--tsa", description = "RFC 3161 timestamp authority URL (needed for T, LT, LTA)")
  URI tsa;

  @Option(names = "--trust", description = "PEM/DER trust anchor(s), used when fetching revocation data for LT/LTA")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--keystore", required = true, description = "PKCS#12 file holding the key and certificate chain")
  Path keystore;

  @Option(names = "--alias", description = "key entry to use when the key store holds several")
  String alias;

  @Option(names = "--storepass-env", required = true, paramLabel = "VAR",
      description = "name of the environment variable holding the key store password")
  String storepassEnv;

  @Option(names = "--rsa-pss", description = "sign with RSASSA-PSS (RSA keys)")
  boolean rsaPss;

  @Parameters(index = "0", paramLabel = "IN", description = "document to sign")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "where to write the signed document")
  Path out;

  @Override
  public Integer call() {
    String password = System.getenv(storepassEnv);
    if (password == null) {
      throw new IllegalArgumentException("Environment variable " + storepassEnv + " is not set;"
          + " export it with the key store password");
    }
    Document document = Document.of(in);
    SignatureFormat signatureFormat = format == null ? Formats.guess(document) : Formats.parse(format);
    SignatureLevel signatureLevel = SignatureLevel.parse(level);
    if (signatureLevel.needsTimestamp() && tsa == null) {
      throw new IllegalArgumentException("Level " + signatureLevel + " needs a timestamp authority: add --tsa URL");
    }
    TrustSettings.Builder trustSettings = TrustSettings.builder();
    trust.forEach(trustSettings::addTrustAnchors);
    ServiceSettings settings = ServiceSettings.builder().trust(trustSettings.build())
        .timestampSource(tsa == null ? null : TimestampSource.rfc3161(tsa)).build();
    LocalSigner.Builder builder = LocalSigner.pkcs12(keystore, password.toCharArray()).rsaPss(rsaPss);
    if (alias != null) {
      builder.alias(alias);
    }
    try (LocalSigner signer = builder.build()) {
      SignedDocument signed = Formats.sign(signatureFormat, document, signatureLevel,
          packaging == null ? null : SignaturePackaging.parse(packaging), settings, signer);
      signed.writeTo(out);
      spec.commandLine().getOut().printf("Signed %s as %s-%s by %s -> %s%n", in, signatureFormat,
          signatureLevel, signer.certificate().getSubjectX500Principal().getName(), out);
    }
    return ExitCodes.OK;
  }
}
