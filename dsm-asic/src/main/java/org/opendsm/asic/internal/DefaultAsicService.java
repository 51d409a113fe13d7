package org.opendsm.asic.internal;

import eu.europa.esig.dss.asic.cades.ASiCWithCAdESSignatureParameters;
import eu.europa.esig.dss.asic.cades.DefaultASiCWithCAdESFilenameFactory;
import eu.europa.esig.dss.asic.cades.signature.ASiCWithCAdESASiCContentBuilder;
import eu.europa.esig.dss.asic.cades.signature.ASiCWithCAdESSignatureDataToSignHelperBuilder;
import eu.europa.esig.dss.asic.cades.extract.ASiCWithCAdESContainerExtractor;
import eu.europa.esig.dss.asic.cades.signature.ASiCWithCAdESService;
import eu.europa.esig.dss.asic.common.ASiCContent;
import eu.europa.esig.dss.asic.xades.ASiCWithXAdESSignatureParameters;
import eu.europa.esig.dss.asic.xades.signature.ASiCWithXAdESASiCContentBuilder;
import eu.europa.esig.dss.asic.xades.signature.ASiCWithXAdESDataToSignHelperBuilder;
import eu.europa.esig.dss.asic.xades.signature.DefaultASiCWithXAdESFilenameFactory;
import eu.europa.esig.dss.asic.xades.signature.ASiCWithXAdESService;
import eu.europa.esig.dss.enumerations.ASiCContainerType;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.spi.exception.IllegalInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.MediaType;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.asic.AsicOptions;
import org.opendsm.asic.AsicService;
import org.opendsm.asic.AsicType;
import org.opendsm.internal.CertificateVerifiers;
import org.opendsm.internal.Dss;
import org.opendsm.internal.DssTspSource;
import org.opendsm.internal.SignedAttributesCodec;
import org.opendsm.internal.SignerValues;
import org.opendsm.xades.internal.SignatureProperties;

/** {@link AsicService} on DSS's ASiC services (CAdES and XAdES inside a ZIP). */
public final class DefaultAsicService implements AsicService {
  private final ServiceSettings settings;
  private final ASiCWithCAdESService cades;
  private final ASiCWithXAdESService xades;

  public DefaultAsicService(ServiceSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    cades = new ASiCWithCAdESService(CertificateVerifiers.create(settings.trust()));
    xades = new ASiCWithXAdESService(CertificateVerifiers.create(settings.trust()));
    settings.timestampSource().ifPresent(ts -> {
      cades.setTspSource(new DssTspSource(ts));
      xades.setTspSource(new DssTspSource(ts));
    });
  }

  @Override
  public SignedDocument sign(List<Document> files, AsicOptions options, Signer signer) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(signer, "signer");
    if (files.isEmpty()) {
      throw new IllegalArgumentException("A container needs at least one file");
    }
    requireTimestampSource(options.level());
    List<String> names = new ArrayList<>();
    List<DSSDocument> documents = new ArrayList<>();
    for (Document f : files) {
      if (!f.hasContent()) {
        throw new InvalidDocumentException(f.name() + " is known only by its digests: a container holds the files");
      }
      if (names.contains(f.name())) {
        throw new IllegalArgumentException("Two files are named " + f.name() + ": names must differ in a container");
      }
      names.add(f.name());
      documents.add(Dss.document(f));
    }
    DSSDocument container = options.format() == SignatureFormat.CADES
        ? signCades(documents, null, options, signer) : signXades(documents, null, options, signer);
    return output(container, files.size() == 1 ? files.get(0).name() : "container", options);
  }

  @Override
  public SignedDocument addSignature(Document container, AsicOptions options, Signer signer) {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(signer, "signer");
    requireTimestampSource(options.level());
    SignatureFormat found = formatOf(container);
    if (found != options.format()) {
      throw new IllegalArgumentException(container.name() + " holds " + found + " signatures, not " + options.format());
    }
    DSSDocument zip = Dss.document(container);
    DSSDocument result = found == SignatureFormat.CADES
        ? signCades(null, zip, options, signer) : signXades(null, zip, options, signer);
    return new SignedDocument(Dss.document(result, container.name(), container.mediaType()), options.format(),
        options.level());
  }

  @Override
  public SignedDocument extend(Document container, SignatureLevel level) {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(level, "level");
    if (level == SignatureLevel.B) {
      throw new IllegalArgumentException("Extension targets T, LT or LTA; B is where signing starts");
    }
    requireTimestampSource(level);
    SignatureFormat format = formatOf(container);
    DSSDocument zip = Dss.document(container);
    DSSDocument result;
    try {
      if (format == SignatureFormat.CADES) {
        ASiCWithCAdESSignatureParameters p = new ASiCWithCAdESSignatureParameters();
        p.setSignatureLevel(Dss.level(format, level));
        p.aSiC().setContainerType(containerType(zip));
        result = cades.extendDocument(zip, p);
      } else {
        ASiCWithXAdESSignatureParameters p = new ASiCWithXAdESSignatureParameters();
        p.setSignatureLevel(Dss.level(format, level));
        p.aSiC().setContainerType(containerType(zip));
        result = xades.extendDocument(zip, p);
      }
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException("Cannot extend " + container.name() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new org.opendsm.ExtensionException("Cannot extend " + container.name() + " to " + level + ": "
          + e.getMessage(), e);
    }
    return new SignedDocument(Dss.document(result, container.name(), container.mediaType()), format, level);
  }

  @Override
  public List<Document> contents(Document container) {
    List<Document> out = new ArrayList<>();
    for (DSSDocument d : content(container).getSignedDocuments()) {
      try (InputStream in = d.openStream()) {
        out.add(Document.of(in.readAllBytes(), d.getName()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(out);
  }

  private DSSDocument signCades(List<DSSDocument> files, DSSDocument existing, AsicOptions options, Signer signer) {
    ASiCWithCAdESSignatureParameters p = options.signedAttributes().custom().isEmpty()
        ? new ASiCWithCAdESSignatureParameters() : new CustomAttributeParameters(options.signedAttributes().custom());
    p.aSiC().setContainerType(type(options.type()));
    SignatureAlgorithm algorithm = signerParameters(p, SignatureFormat.CADES, options, signer);
    if (p instanceof CustomAttributeParameters custom) {
      // The mime-type attribute names what DSS signs: the manifest (ASiC-E), the file or package.zip (ASiC-S).
      ASiCContent content = new ASiCWithCAdESASiCContentBuilder()
          .build(existing == null ? files : List.of(existing), p.aSiC().getContainerType());
      custom.signedContentType(new ASiCWithCAdESSignatureDataToSignHelperBuilder(new DefaultASiCWithCAdESFilenameFactory())
          .build(content, p).getToBeSigned().getMimeType());
    }
    try {
      ToBeSigned tbs = existing == null ? cades.getDataToSign(files, p) : cades.getDataToSign(existing, p);
      var value = SignerValues.value(signer, algorithm, tbs,
          (t, v) -> cades.isValidSignatureValue(t, v, p.getSigningCertificate()));
      return existing == null ? cades.signDocument(files, p, value) : cades.signDocument(existing, p, value);
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException("Cannot sign into the container: " + e.getMessage(), e);
    }
  }

  private DSSDocument signXades(List<DSSDocument> files, DSSDocument existing, AsicOptions options, Signer signer) {
    ASiCWithXAdESSignatureParameters p = new ASiCWithXAdESSignatureParameters();
    p.aSiC().setContainerType(type(options.type()));
    SignatureAlgorithm algorithm = signerParameters(p, SignatureFormat.XADES, options, signer);
    if (!options.signedAttributes().custom().isEmpty()) {
      // DSS builds no references of its own once some are given: its defaults, then the properties'.
      // References to what DSS signs (the files, an ASiC-S package.zip, an OpenDocument's parts),
      // found as DSS finds them.
      p.setSignaturePackaging(eu.europa.esig.dss.enumerations.SignaturePackaging.DETACHED);
      ASiCContent content = new ASiCWithXAdESASiCContentBuilder()
          .build(existing == null ? files : List.of(existing), p.aSiC().getContainerType());
      List<DSSDocument> signed = new ASiCWithXAdESDataToSignHelperBuilder(new DefaultASiCWithXAdESFilenameFactory())
          .build(content, p).getToBeSigned();
      List<eu.europa.esig.dss.xades.reference.DSSReference> references = new ArrayList<>(
          SignatureProperties.defaultReferences(p, signed));
      references.add(SignatureProperties.reference(p, options.signedAttributes().custom(), options.digestAlgorithm()));
      p.setReferences(references);
    }
    try {
      ToBeSigned tbs = existing == null ? xades.getDataToSign(files, p) : xades.getDataToSign(existing, p);
      var value = SignerValues.value(signer, algorithm, tbs,
          (t, v) -> xades.isValidSignatureValue(t, v, p.getSigningCertificate()));
      return existing == null ? xades.signDocument(files, p, value) : xades.signDocument(existing, p, value);
    } catch (IllegalInputException e) {
      throw new InvalidDocumentException("Cannot sign into the container: " + e.getMessage(), e);
    }
  }

  /** Certificate, algorithm, level, signing time and signed attributes; returns the algorithm. */
  private static SignatureAlgorithm signerParameters(AbstractSignatureParameters<?> p, SignatureFormat format,
      AsicOptions options, Signer signer) {
    SignatureAlgorithm algorithm = SignerValues.algorithm(signer, options.digestAlgorithm());
    SignerValues.signerParameters(p, signer, algorithm, Dss.level(format, options.level()));
    SignedAttributesCodec.apply(options.signedAttributes(), p.bLevel());
    if (format == SignatureFormat.CADES) {
      SignedAttributesCodec.applyCadesLocation(options.signedAttributes(), p.bLevel());
    }
    return algorithm;
  }

  private void requireTimestampSource(SignatureLevel level) {
    if (level.needsTimestamp() && settings.timestampSource().isEmpty()) {
      throw new IllegalStateException("Level " + level + " needs a timestamp source:"
          + " configure ServiceSettings.builder().timestampSource(...)");
    }
  }

  private static ASiCContainerType type(AsicType type) {
    return type == AsicType.SIMPLE ? ASiCContainerType.ASiC_S : ASiCContainerType.ASiC_E;
  }

  private static ASiCContent content(Document container) {
    String name = container.name();
    try {
      ASiCContent content = new ASiCWithCAdESContainerExtractor(Dss.document(container)).extract();
      if (content.getMimeTypeDocument() == null && content.getSignedDocuments().isEmpty()) {
        throw new InvalidDocumentException(name + " is not an ASiC container");
      }
      return content;
    } catch (RuntimeException e) {
      if (e instanceof InvalidDocumentException i) {
        throw i;
      }
      throw new InvalidDocumentException(name + " is not an ASiC container: " + e.getMessage(), e);
    }
  }

  private static ASiCContainerType containerType(DSSDocument zip) {
    ASiCContent content = new ASiCWithCAdESContainerExtractor(zip).extract();
    return content.getContainerType() == null ? ASiCContainerType.ASiC_E : content.getContainerType();
  }

  /** CAdES if the container holds .p7s signatures, XAdES if it holds signature XML files. */
  private static SignatureFormat formatOf(Document container) {
    ASiCContent content = content(container);
    boolean cms = content.getAllDocuments().stream().map(DSSDocument::getName)
        .anyMatch(n -> n != null && n.startsWith("META-INF/") && n.endsWith(".p7s"));
    boolean xml = content.getAllDocuments().stream().map(DSSDocument::getName)
        .anyMatch(n -> n != null && n.startsWith("META-INF/") && n.contains("signatures") && n.endsWith(".xml"));
    if (cms == xml) {
      throw new InvalidDocumentException(container.name() + " holds " + (cms ? "both CAdES and XAdES" : "no")
          + " signatures");
    }
    return cms ? SignatureFormat.CADES : SignatureFormat.XADES;
  }

  private static SignedDocument output(DSSDocument container, String baseName, AsicOptions options) {
    String name = baseName + (options.type() == AsicType.SIMPLE ? ".asics" : ".asice");
    return new SignedDocument(Dss.document(container, name, options.type() == AsicType.SIMPLE ? MediaType.ASIC_S
        : MediaType.ASIC_E), options.format(), options.level());
  }
}
