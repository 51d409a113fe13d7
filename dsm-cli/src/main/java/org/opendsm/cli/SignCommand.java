package org.opendsm.cli;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.Document;
import org.opendsm.LocalSigner;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.TimestampSource;
import org.opendsm.TrustSettings;
import org.opendsm.client.AuthorizationProvider;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigner;
import org.opendsm.client.ServerTimestampSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sign", mixinStandardHelpOptions = true,
    description = {"Sign a document with a key in a PKCS#12 file, or remotely with a signing service (--server):",
        "only the hash leaves this machine; the signing password and TOTP code are asked on the terminal,",
        "or read from the environment variables named by --password-env and --otp-env."})
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

  @Option(names = "--commitment", paramLabel = "TYPE", split = ",",
      description = "commitment type(s): origin, receipt, delivery, sender, approval, creation")
  List<String> commitments = new ArrayList<>();

  @Option(names = "--claimed-role", paramLabel = "ROLE", description = "a role the signer claims; repeatable")
  List<String> claimedRoles = new ArrayList<>();

  @Option(names = "--signer-location", paramLabel = "COUNTRY[,LOCALITY[,POSTAL_CODE[,STREET]]]",
      description = "where the signer signs (CAdES, XAdES; for PDF use --location)")
  String signerLocation;

  @Option(names = "--policy-id", paramLabel = "OID", description = "the signature policy's identifier")
  String policyId;

  @Option(names = "--policy-file", paramLabel = "FILE", description = "the policy document (its SHA-256 is signed)")
  Path policyFile;

  @Option(names = "--policy-url", paramLabel = "URL", description = "where verifiers fetch the policy document")
  URI policyUrl;

  @Option(names = "--policy-notice", paramLabel = "TEXT",
      description = "the policy's user notice (SPUserNotice explicit text, up to 200 characters)")
  String policyNotice;

  @Option(names = "--content-timestamp", description = "timestamp the content before signing it (needs --tsa)")
  boolean contentTimestamp;

  @Option(names = "--c14n", paramLabel = "METHOD",
      description = "XAdES canonicalisation: exclusive (default), exclusive-with-comments, inclusive, inclusive-11")
  String c14n;

  @Option(names = "--sign-element", paramLabel = "ID", description = "XAdES enveloped: sign this element; repeatable")
  List<String> signElements = new ArrayList<>();

  @Option(names = "--sign-xpath", paramLabel = "XPATH", description = "XAdES enveloped: sign what this XPath selects")
  String signXPath;

  @Option(names = "--content-hints", paramLabel = "TEXT", description = "CAdES: what the content is (content-hints)")
  String contentHints;

  @Option(names = "--content-hints-type", paramLabel = "OID",
      description = "CAdES: the content type the hints name (default id-data, 1.2.840.113549.1.7.1)")
  String contentHintsType;

  @Option(names = "--attribute", paramLabel = "OID=HEX",
      description = "CAdES, PAdES: a custom signed attribute, its value DER-encoded in hex; repeatable")
  List<String> cmsAttributes = new ArrayList<>();

  @Option(names = "--attribute-xml", paramLabel = "FILE",
      description = "XAdES: a custom signed attribute, the one XML element in FILE; repeatable")
  List<Path> xmlAttributes = new ArrayList<>();

  @Option(names = "--asic", paramLabel = "E|S",
      description = "sign into an ASiC container: E (several files; IN plus each --include) or S (one file)")
  String asic;

  @Option(names = "--include", paramLabel = "FILE", description = "another file for the ASiC-E container; repeatable")
  List<Path> include = new ArrayList<>();

  @Option(names = "--countersign", paramLabel = "SIGNATURE_ID",
      description = "counter-sign this signature of IN (CAdES, XAdES; the id dsm verify prints)")
  String countersign;

  @Option(names = "--detached", paramLabel = "CONTENT",
      description = "the content of a detached .p7s that gets a parallel signature")
  List<Path> detached = new ArrayList<>();

  @Option(names = "--keystore", description = "PKCS#12 file holding the key and certificate chain")
  Path keystore;

  @Option(names = "--alias", description = "key entry to use when the key store holds several")
  String alias;

  @Option(names = "--storepass-env", paramLabel = "VAR",
      description = "name of the environment variable holding the key store password")
  String storepassEnv;

  @Option(names = "--server", description = "signing service base URL (CSC API v2), e.g. https://sign.example")
  URI server;

  @Option(names = "--client-id", description = "this application's client id at the signing service")
  String clientId;

  @Option(names = "--client-secret-env", paramLabel = "VAR", description = "variable holding the client secret")
  String clientSecretEnv;

  @Option(names = "--server-cert", paramLabel = "CERT.pem", description = "trust this certificate for the service's HTTPS")
  Path serverCert;

  @Option(names = "--user", description = "the signing user at the service")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR", description = "variable holding the signing password (else prompt)")
  String passwordEnv;

  @Option(names = "--otp-env", paramLabel = "VAR", description = "variable holding the one-time code (else prompt)")
  String otpEnv;

  @Option(names = "--rsa-pss", description = "sign with RSASSA-PSS (RSA keys)")
  boolean rsaPss;

  @Option(names = "--reason", description = "PDF: the reason for signing")
  String reason;

  @Option(names = "--location", description = "PDF: where the signature is made")
  String location;

  @Option(names = "--contact-info", paramLabel = "TEXT", description = "PDF: how to reach the signer")
  String contactInfo;

  @Option(names = "--pdf-password-env", paramLabel = "VAR",
      description = "PDF: environment variable holding the open password of an encrypted PDF")
  String pdfPasswordEnv;

  @Option(names = "--certify", paramLabel = "1|2|3",
      description = "PDF: a certification (author) signature; what may change after it: 1 nothing, 2 form filling"
          + " and signing, 3 also annotations")
  Integer certify;

  @Option(names = "--visible-page", paramLabel = "N",
      description = "PDF: show the signature on page N (1 = first, -1 = last); needs --visible-rect")
  Integer visiblePage;

  @Option(names = "--visible-rect", paramLabel = "X,Y,W,H",
      description = "PDF: the signature's box in points from the page's top-left corner")
  String visibleRect;

  @Option(names = "--visible-field", paramLabel = "NAME", description = "PDF: show the signature in this empty field")
  String visibleField;

  @Option(names = "--visible-text", paramLabel = "TEXT",
      description = "PDF: the text shown (default: signer, date, reason, location); \\n for a new line")
  String visibleText;

  @Option(names = "--image", paramLabel = "FILE", description = "PDF: a PNG or JPEG shown left of the text")
  Path image;

  @Option(names = "--visible-font", paramLabel = "FILE.ttf", description = "PDF: a TrueType font for the text"
      + " (embedded; default PT Serif)")
  Path visibleFont;

  @Option(names = "--visible-font-size", paramLabel = "POINTS", description = "PDF: the text's size (default 9)")
  Float visibleFontSize;

  @Option(names = "--visible-color", paramLabel = "#RRGGBB[AA]", description = "PDF: the text's colour")
  String visibleColor;

  @Option(names = "--visible-background", paramLabel = "#RRGGBB[AA]", description = "PDF: the box's colour")
  String visibleBackground;

  @Option(names = "--visible-zone", paramLabel = "ZONE",
      description = "PDF: time zone of the signing time shown, e.g. Europe/Luxembourg (default UTC)")
  String visibleZone;

  /** A colour written #RRGGBB or #RRGGBBAA. */
  private static java.awt.Color color(String flag, String value) {
    if (!value.matches("#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")) {
      throw new IllegalArgumentException(flag + " takes a colour written #RRGGBB or #RRGGBBAA, not '" + value + "'");
    }
    int rgb = Integer.parseInt(value.substring(1, 7), 16);
    int alpha = value.length() == 9 ? Integer.parseInt(value.substring(7), 16) : 255;
    return new java.awt.Color(rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255, alpha);
  }

  /** Reason, location and the visible signature, from the options above. */
  private org.opendsm.pades.PadesOptions.Builder padesOptions() throws java.io.IOException {
    var b = org.opendsm.pades.PadesOptions.builder().reason(reason).location(location).contactInfo(contactInfo);
    if (certify != null) {
      b.certification(switch (certify) {
        case 1 -> org.opendsm.pades.Certification.NO_CHANGES;
        case 2 -> org.opendsm.pades.Certification.FORM_FILLING_AND_SIGNING;
        case 3 -> org.opendsm.pades.Certification.ANNOTATIONS_FORM_FILLING_AND_SIGNING;
        default -> throw new IllegalArgumentException("--certify takes 1 (no changes), 2 (form filling and signing)"
            + " or 3 (also annotations)");
      });
    }
    if (visiblePage == null && visibleField == null) {
      if (visibleRect != null || visibleText != null || image != null || visibleFont != null || visibleFontSize != null
          || visibleColor != null || visibleBackground != null || visibleZone != null) {
        throw new IllegalArgumentException("--visible-rect, --visible-text, --image and the other --visible-* flags"
            + " need --visible-page or --visible-field");
      }
      return b;
    }
    org.opendsm.pades.VisibleSignature.Builder v;
    if (visibleField != null) {
      v = org.opendsm.pades.VisibleSignature.inField(visibleField);
    } else {
      if (visibleRect == null) {
        throw new IllegalArgumentException("--visible-page needs --visible-rect X,Y,W,H (points from the top-left)");
      }
      String[] r = visibleRect.split(",");
      if (r.length != 4) {
        throw new IllegalArgumentException("--visible-rect takes four numbers: X,Y,W,H");
      }
      try {
        v = org.opendsm.pades.VisibleSignature.onPage(visiblePage).at(Float.parseFloat(r[0].trim()),
            Float.parseFloat(r[1].trim()), Float.parseFloat(r[2].trim()), Float.parseFloat(r[3].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--visible-rect takes four numbers: X,Y,W,H", e);
      }
    }
    if (visibleText != null) {
      v.text(visibleText.replace("\\n", "\n"));
    }
    if (image != null) {
      v.image(readFlagFile("--image", image));
    }
    if (visibleFont != null) {
      v.font(readFlagFile("--visible-font", visibleFont));
    }
    if (visibleFontSize != null) {
      v.fontSize(visibleFontSize);
    }
    if (visibleColor != null) {
      v.textColor(color("--visible-color", visibleColor));
    }
    if (visibleBackground != null) {
      v.background(color("--visible-background", visibleBackground));
    }
    if (visibleZone != null) {
      try {
        v.zone(java.time.ZoneId.of(visibleZone));
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException("--visible-zone: unknown time zone '" + visibleZone + "'", e);
      }
    }
    return b.visibleSignature(v.build());
  }

  @Parameters(index = "0", paramLabel = "IN",
      description = "document to sign; - reads a stream of any length from standard input (detached CAdES)")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", arity = "0..1",
      description = "where to write the signed document (not with --preview)")
  Path out;

  @Option(names = "--preview", paramLabel = "PAGE.png",
      description = "PDF: write the page with the visible signature as it will look, and sign nothing")
  Path preview;

  @Override
  public Integer call() throws Exception {
    checkCombinations();
    return server != null ? callRemote() : callLocal();
  }

  /** Flags that one way of signing would silently ignore are refused, saying why. */
  private void checkCombinations() {
    if (contentTimestamp && tsa == null && server == null) {
      throw new IllegalArgumentException("--content-timestamp needs a timestamp authority: add --tsa URL");
    }
    if (countersign != null) {
      if (asic != null) {
        throw new IllegalArgumentException("--countersign and --asic do not go together: counter-signatures are"
            + " made in a .p7m/.p7s or an XML file");
      }
      if (!SignatureLevel.parse(level).equals(SignatureLevel.B) || packaging != null || !detached.isEmpty()
          || contentHints != null || contentHintsType != null || hasSignedAttributeFlags()) {
        throw new IllegalArgumentException("A counter-signature is made at level B with no other options: drop"
            + " --level, --packaging, --detached, --content-hints and the signed-attribute flags");
      }
    }
    if (!detached.isEmpty() && (asic != null || countersign != null)) {
      throw new IllegalArgumentException("--detached gives the content of a .p7s that gets a parallel signature");
    }
    if (hasPdfFlags() && (asic != null || countersign != null || !include.isEmpty())) {
      throw new IllegalArgumentException("--reason, --location, --contact-info, --certify, --pdf-password-env,"
          + " --visible-* and --image are for signing a PDF itself, not a container, a counter-signature or several"
          + " files");
    }
    if (!include.isEmpty() && asic == null && (contentHints != null || contentHintsType != null
        || !signElements.isEmpty() || signXPath != null || !detached.isEmpty())) {
      throw new IllegalArgumentException("One XAdES signature over several files takes no --content-hints,"
          + " --sign-element, --sign-xpath or --detached");
    }
    if (in != null && in.toString().equals("-") && server != null && (passwordEnv == null || otpEnv == null)) {
      throw new IllegalArgumentException("Standard input holds the document: give the signing password and code"
          + " with --password-env and --otp-env, since they cannot be asked on the terminal");
    }
  }

  private boolean hasPdfFlags() {
    return reason != null || location != null || contactInfo != null || certify != null || pdfPasswordEnv != null
        || visiblePage != null || visibleField != null || visibleRect != null || visibleText != null || image != null
        || visibleFont != null || visibleFontSize != null || visibleColor != null || visibleBackground != null
        || visibleZone != null || preview != null;
  }

  /** The open password of an encrypted PDF, from the variable --pdf-password-env names. */
  private Secret pdfPassword() {
    return Secret.of(Environment.require(pdfPasswordEnv, "the PDF's open password"));
  }

  /** The bytes of a file a flag names; one that cannot be read is bad input (exit 2). */
  private static byte[] readFlagFile(String flag, Path file) {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(flag + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private boolean hasSignedAttributeFlags() {
    return !commitments.isEmpty() || !claimedRoles.isEmpty() || signerLocation != null || policyId != null
        || policyFile != null || policyUrl != null || policyNotice != null || contentTimestamp
        || !cmsAttributes.isEmpty() || !xmlAttributes.isEmpty();
  }

  private int callLocal() throws Exception {
    if (keystore == null || storepassEnv == null) {
      throw new IllegalArgumentException("Give --keystore and --storepass-env, or --server for remote signing");
    }
    String password = Environment.require(storepassEnv, "the key store password");
    SignatureLevel signatureLevel = SignatureLevel.parse(level);
    if (signatureLevel.needsTimestamp() && tsa == null) {
      throw new IllegalArgumentException("Level " + signatureLevel + " needs a timestamp authority: add --tsa URL");
    }
    LocalSigner.Builder builder = LocalSigner.pkcs12(keystore, password.toCharArray()).rsaPss(rsaPss);
    if (alias != null) {
      builder.alias(alias);
    }
    try (LocalSigner signer = builder.build()) {
      return signWith(signer, tsa == null ? null : TimestampSource.rfc3161(tsa), "by");
    }
  }

  private int callRemote() throws Exception {
    if (clientId == null || clientSecretEnv == null || user == null) {
      throw new IllegalArgumentException("Remote signing needs --client-id, --client-secret-env and --user");
    }
    DsmClient.Builder clientBuilder = DsmClient.builder().baseUrl(server).clientId(clientId)
        .clientSecret(Secret.of(Environment.require(clientSecretEnv, "the client secret")));
    if (serverCert != null) {
      try (InputStream pem = Files.newInputStream(serverCert)) {
        clientBuilder.trust((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem));
      }
    }
    try (DsmClient client = clientBuilder.build()) {
      AuthorizationProvider factors = passwordEnv != null && otpEnv != null
          ? request -> new AuthorizationProvider.Factors(
              Secret.of(Environment.require(passwordEnv, "the signing password")),
              Secret.of(Environment.require(otpEnv, "the one-time code")))
          : AuthorizationProvider.terminal();
      RemoteSigner signer = RemoteSigner.builder(client).userId(user).authorization(factors).rsaPss(rsaPss).build();
      TimestampSource timestamps = tsa != null ? TimestampSource.rfc3161(tsa) : new ServerTimestampSource(client);
      return signWith(signer, timestamps, "remotely by");
    }
  }

  /** Signs {@code in} into {@code out} with the chosen format and level; timestamps are used only from level T. */
  private int signWith(Signer signer, TimestampSource timestamps, String how) throws Exception {
    if ((out == null) == (preview == null)) {
      throw new IllegalArgumentException(preview == null ? "Give OUT, where to write the signed document"
          : "--preview signs nothing: give IN and --preview PAGE.png, without OUT");
    }
    boolean fromStdin = in.toString().equals("-");
    if (fromStdin && (format != null && Formats.parse(format) != SignatureFormat.CADES || !"detached".equalsIgnoreCase(
        packaging == null ? "" : packaging.trim()) || asic != null)) {
      throw new IllegalArgumentException("Standard input is signed as a stream, into a detached CAdES signature:"
          + " add --packaging detached (and no --asic or other --format)");
    }
    // A stream of unknown length is read once, digested as it goes, and not kept.
    Document document = fromStdin ? Document.digesting(System.in, "stdin", org.opendsm.MediaType.OCTET_STREAM)
        : Document.of(in);
    SignatureFormat signatureFormat = format == null ? Formats.guess(document) : Formats.parse(format);
    SignatureLevel signatureLevel = SignatureLevel.parse(level);
    TrustSettings.Builder trustSettings = TrustSettings.builder();
    trust.forEach(trustSettings::addTrustAnchors);
    ServiceSettings settings = ServiceSettings.builder().trust(trustSettings.build())
        .timestampSource(signatureLevel.needsTimestamp() || contentTimestamp ? timestamps : null).build();
    if (signatureFormat != SignatureFormat.PADES && hasPdfFlags()) {
      throw new IllegalArgumentException("--reason, --location, --contact-info, --certify, --pdf-password-env,"
          + " --visible-* and --image are for PDF (PAdES) only");
    }
    if (preview != null) {
      if (signatureFormat != SignatureFormat.PADES || visiblePage == null && visibleField == null) {
        throw new IllegalArgumentException("--preview shows a visible PDF signature: add --visible-page or"
            + " --visible-field");
      }
      var pades = org.opendsm.pades.PadesService.create(settings);
      if (pdfPasswordEnv != null) {
        pades = pades.withDocumentPassword(pdfPassword());
      }
      java.nio.file.Files.write(preview, pades.previewAppearance(document,
          padesOptions().level(signatureLevel).signedAttributes(signedAttributes()).build(), signer.certificateChain()));
      spec.commandLine().getOut().printf("Preview of the signed page -> %s (nothing signed)%n", preview);
      return ExitCodes.OK;
    }
    if (asic != null) {
      return signContainer(document, signatureLevel, settings, signer, how);
    }
    if (!include.isEmpty()) {
      if (signatureFormat != SignatureFormat.XADES || packaging == null
          || SignaturePackaging.parse(packaging) != SignaturePackaging.DETACHED) {
        throw new IllegalArgumentException("--include adds files to an ASiC-E container (--asic E) or to one detached"
            + " XAdES signature over several files (--format xades --packaging detached)");
      }
      List<Document> files = new ArrayList<>(List.of(document));
      include.forEach(p -> files.add(Document.of(p)));
      var options = org.opendsm.xades.XadesOptions.builder().level(signatureLevel).packaging(SignaturePackaging.DETACHED)
          .signedAttributes(signedAttributes());
      if (canonicalization() != null) {
        options.canonicalization(canonicalization());
      }
      SignedDocument signed = org.opendsm.xades.XadesService.create(settings).signFiles(files, options.build(), signer);
      signed.writeTo(out);
      spec.commandLine().getOut().printf("Signed %d files in one XAdES-%s detached signature %s %s -> %s%n",
          files.size(), signatureLevel, how, signer.certificate().getSubjectX500Principal().getName(), out);
      return ExitCodes.OK;
    }
    if (countersign != null) {
      SignedDocument countersigned = switch (signatureFormat) {
        case CADES -> org.opendsm.cades.CadesService.create(settings).counterSign(document, countersign, signer);
        case XADES -> org.opendsm.xades.XadesService.create(settings).counterSign(document, countersign, signer);
        case PADES -> throw new IllegalArgumentException("PDF signatures have no counter-signatures: sign the PDF"
            + " again to add a signature");
      };
      countersigned.writeTo(out);
      spec.commandLine().getOut().printf("Counter-signed %s in %s %s %s -> %s%n", countersign, in, how,
          signer.certificate().getSubjectX500Principal().getName(), out);
      return ExitCodes.OK;
    }
    if (document.mediaType().isAsic()) {
      throw new IllegalArgumentException(in + " is an ASiC container: add --asic E or --asic S to sign it");
    }
    if (!detached.isEmpty() && !(signatureFormat == SignatureFormat.CADES && holdsSignature(document))) {
      throw new IllegalArgumentException("--detached gives the content of a .p7s that gets a parallel signature");
    }
    if (signatureFormat == SignatureFormat.CADES && holdsSignature(document)) {
      if (packaging != null || contentHints != null || contentHintsType != null) {
        throw new IllegalArgumentException("A parallel signature keeps the CMS's packaging and attributes: drop"
            + " --packaging and --content-hints");
      }
      // A CMS that is signed already gets a parallel signature, not an envelope around it.
      List<Document> contents = new ArrayList<>();
      detached.forEach(p -> contents.add(Document.of(p)));
      SignedDocument both = org.opendsm.cades.CadesService.create(settings).addSignature(document, contents,
          org.opendsm.cades.CadesOptions.builder().level(signatureLevel).signedAttributes(signedAttributes()).build(),
          signer);
      both.writeTo(out);
      spec.commandLine().getOut().printf("Added a CAdES-%s signature to %s %s %s -> %s%n", signatureLevel, in, how,
          signer.certificate().getSubjectX500Principal().getName(), out);
      return ExitCodes.OK;
    }
    SignedDocument signed = Formats.sign(signatureFormat, document, signatureLevel,
        packaging == null ? null : SignaturePackaging.parse(packaging), settings, signer, padesOptions(),
        signedAttributes(), new Formats.Extras(canonicalization(), signElements, signXPath,
            contentHints(), pdfPasswordEnv == null ? null : pdfPassword()));
    signed.writeTo(out);
    spec.commandLine().getOut().printf("Signed %s as %s-%s %s %s -> %s%n", in, signatureFormat, signatureLevel, how,
        signer.certificate().getSubjectX500Principal().getName(), out);
    return ExitCodes.OK;
  }

  /** IN (and the --include files) signed into an ASiC container; a container as IN gets another signature. */
  private int signContainer(Document document, SignatureLevel level, ServiceSettings settings, Signer signer,
      String how) throws java.io.IOException {
    org.opendsm.asic.AsicType type = switch (asic.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "E" -> org.opendsm.asic.AsicType.EXTENDED;
      case "S" -> org.opendsm.asic.AsicType.SIMPLE;
      default -> throw new IllegalArgumentException("--asic is E or S, not '" + asic + "'");
    };
    SignatureFormat inner = format == null ? SignatureFormat.CADES : Formats.parse(format);
    var options = org.opendsm.asic.AsicOptions.builder().type(type).format(inner).level(level)
        .signedAttributes(signedAttributes()).build();
    var service = org.opendsm.asic.AsicService.create(settings);
    boolean existing = document.mediaType().isAsic();
    SignedDocument signed;
    if (existing) {
      if (!include.isEmpty()) {
        throw new IllegalArgumentException("A signed container keeps its files: --include adds files to a new one");
      }
      signed = service.addSignature(document, options, signer);
    } else {
      if (type == org.opendsm.asic.AsicType.SIMPLE && !include.isEmpty()) {
        throw new IllegalArgumentException("ASiC-S holds one file: use --asic E for several");
      }
      List<Document> files = new ArrayList<>(List.of(document));
      include.forEach(p -> files.add(Document.of(p)));
      signed = service.sign(files, options, signer);
    }
    signed.writeTo(out);
    spec.commandLine().getOut().printf("Signed %s into ASiC-%s with %s-%s %s %s -> %s%n", in, asic.toUpperCase(
        java.util.Locale.ROOT), inner, level, how, signer.certificate().getSubjectX500Principal().getName(), out);
    return ExitCodes.OK;
  }

  private org.opendsm.xades.Canonicalization canonicalization() {
    if (c14n == null) {
      return null;
    }
    try {
      return org.opendsm.xades.Canonicalization.valueOf(c14n.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown --c14n '" + c14n + "': use exclusive, exclusive-with-comments,"
          + " inclusive or inclusive-11", e);
    }
  }

  /** Whether {@code document} is a CMS (.p7m, .p7s) that holds signatures already. */
  private static boolean holdsSignature(Document document) {
    if (!document.hasContent() || !document.mediaType().mayBeSignature()) {
      return false;
    }
    try {
      return !org.opendsm.Verifier.create(org.opendsm.TrustSettings.builder().onlineRevocation(false).build())
          .verify(document).signatures().isEmpty();
    } catch (org.opendsm.InvalidDocumentException e) {
      return false;
    }
  }

  /** The CAdES content hints the flags ask for, or null. */
  private org.opendsm.cades.ContentHints contentHints() {
    if (contentHints == null) {
      if (contentHintsType != null) {
        throw new IllegalArgumentException("--content-hints-type needs --content-hints TEXT");
      }
      return null;
    }
    return contentHintsType == null ? org.opendsm.cades.ContentHints.of(contentHints)
        : new org.opendsm.cades.ContentHints(contentHints, contentHintsType.strip());
  }

  /** The signed attributes the flags ask for. */
  private org.opendsm.SignedAttributes signedAttributes() throws java.io.IOException {
    var b = org.opendsm.SignedAttributes.builder().contentTimestamp(contentTimestamp);
    commitments.forEach(c -> b.commitment(org.opendsm.CommitmentType.parse(c)));
    claimedRoles.forEach(b::claimedRole);
    if (signerLocation != null) {
      String[] parts = signerLocation.split(",", -1);
      if (parts.length > 4) {
        throw new IllegalArgumentException("--signer-location is COUNTRY[,LOCALITY[,POSTAL_CODE[,STREET]]]");
      }
      b.signerLocation(new org.opendsm.SignerLocation(parts[0], parts.length > 1 ? parts[1] : null,
          parts.length > 2 ? parts[2] : null, parts.length > 3 ? parts[3] : null));
    }
    if ((policyId == null) != (policyFile == null)) {
      throw new IllegalArgumentException("A signature policy needs both --policy-id and --policy-file");
    }
    if ((policyUrl != null || policyNotice != null) && policyId == null) {
      throw new IllegalArgumentException("--policy-url and --policy-notice need --policy-id and --policy-file");
    }
    if (policyId != null) {
      var policy = org.opendsm.SignaturePolicy.of(policyId, readFlagFile("--policy-file", policyFile), policyUrl);
      b.policy(policyNotice == null ? policy : policy.withUserNotice(policyNotice));
    }
    for (String attribute : cmsAttributes) {
      int eq = attribute.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("--attribute is OID=HEX (the value DER-encoded), not '" + attribute + "'");
      }
      byte[] value;
      try {
        value = java.util.HexFormat.of().parseHex(attribute.substring(eq + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--attribute " + attribute.substring(0, eq) + ": the value is not hex", e);
      }
      b.custom(org.opendsm.CustomAttribute.cms(attribute.substring(0, eq).strip(), value));
    }
    for (Path file : xmlAttributes) {
      b.custom(org.opendsm.CustomAttribute.xml(new String(readFlagFile("--attribute-xml", file),
          java.nio.charset.StandardCharsets.UTF_8)));
    }
    return b.build();
  }
}
