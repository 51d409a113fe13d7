package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import eu.europa.esig.dss.pades.DSSFileFont;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.xml.XmpSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendsm.Document;
import org.opendsm.SignatureLevel;
import org.opendsm.SignedDocument;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;
import org.verapdf.core.EncryptedPdfException;
import org.verapdf.core.ModelParsingException;
import org.verapdf.core.ValidationException;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/**
 * PDF/A input stays PDF/A: a conforming PDF/A-1b, -2b and -3b document, checked by veraPDF before
 * signing, still conforms to its part after an invisible signature, a visible one with text and a
 * PNG image, a certification signature followed by an approval signature, and extension to LTA
 * (validation data and a document timestamp added in later revisions).
 */
class PdfaConformanceTest {
  private static final TestPki PKI = TestPki.shared();
  private final PadesService pades = PadesService.create(PKI.serviceSettings());

  @BeforeAll
  static void initialiseVeraPdf() {
    VeraGreenfieldFoundryProvider.initialise();
  }

  @ParameterizedTest(name = "PDF/A-{0}b")
  @ValueSource(ints = {1, 2, 3})
  void anInvisibleSignature_andExtensionToLta_keepTheDocumentPdfA(int part) {
    Document pdfa = Document.of(pdfA(part), "pdfa-" + part + "b.pdf");
    assertConforms(pdfa.readAllBytes(), part);

    SignedDocument b = pades.sign(pdfa, PadesOptions.builder().reason("Archive").build(),
        PKI.identity(KeyType.EC_P256).signer());
    assertConforms(b.bytes(), part);

    SignedDocument lta = pades.extend(b.document(), SignatureLevel.LTA);
    assertValid(lta.document(), PKI.trustSettings(), SignatureLevel.LTA);
    assertConforms(lta.bytes(), part);
  }

  @ParameterizedTest(name = "PDF/A-{0}b")
  @ValueSource(ints = {1, 2, 3})
  void aVisibleSignatureWithTextAndImage_atLevelT_keepsTheDocumentPdfA(int part) {
    Document pdfa = Document.of(pdfA(part), "pdfa-" + part + "b.pdf");
    PadesOptions options = PadesOptions.builder().level(SignatureLevel.T).reason("Archive").location("Luxembourg")
        .visibleSignature(VisibleSignature.onPage(1).at(50, 60, 260, 80).image(Samples.bytes("sample.png")).build())
        .build();

    SignedDocument signed = pades.sign(pdfa, options, PKI.identity(KeyType.RSA_2048).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.T);
    assertConforms(signed.bytes(), part);
  }

  @ParameterizedTest(name = "PDF/A-{0}b")
  @ValueSource(ints = {1, 2, 3})
  void aVisibleSignatureInAFontOfOurOwn_keepsTheDocumentPdfA(int part) throws IOException {
    byte[] liberation;
    try (InputStream in = PDDocument.class.getResourceAsStream("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
      liberation = in.readAllBytes();
    }
    PadesOptions options = PadesOptions.builder().visibleSignature(VisibleSignature.onPage(1).at(50, 60, 260, 80)
        .font(liberation).fontSize(12).textColor(new java.awt.Color(0x1F, 0x3A, 0x93)).build()).build();

    SignedDocument signed = pades.sign(Document.of(pdfA(part), "a.pdf"), options, PKI.identity(KeyType.EC_P256).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    assertConforms(signed.bytes(), part);
  }

  @ParameterizedTest(name = "PDF/A-{0}b")
  @ValueSource(ints = {1, 2, 3})
  void aCertificationSignature_thenAnApprovalSignature_keepTheDocumentPdfA(int part) {
    Document pdfa = Document.of(pdfA(part), "pdfa-" + part + "b.pdf");
    Identity author = PKI.identity(KeyType.EC_P256);
    Identity approver = PKI.newIdentity("PDF/A Approver", KeyType.EC_P256);

    SignedDocument certified = pades.sign(pdfa, PadesOptions.builder()
        .certification(Certification.FORM_FILLING_AND_SIGNING).build(), author.signer());
    SignedDocument approved = pades.sign(certified.document(), PadesOptions.builder()
        .visibleSignature(VisibleSignature.onPage(-1).at(50, 200, 220, 60).text("Approved").build()).build(),
        approver.signer());

    assertThat(assertValid(approved.document(), PKI.trustSettings(), SignatureLevel.B).signatures()).hasSize(2);
    assertConforms(approved.bytes(), part);
  }

  @ParameterizedTest(name = "PDF/A-{0}b")
  @ValueSource(ints = {1, 2, 3})
  void aSignatureIntoAnExistingEmptyField_keepsTheDocumentPdfA(int part) {
    byte[] withField = org.opendsm.testing.SamplePdfs.withEmptySignatureField(pdfA(part), "Approval");
    assertConforms(withField, part);

    SignedDocument signed = pades.sign(Document.of(withField, "field.pdf"), PadesOptions.builder().visibleSignature(
        VisibleSignature.inField("Approval").text("Approved").build()).build(), PKI.identity(KeyType.EC_P256).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    assertConforms(signed.bytes(), part);
  }

  @org.junit.jupiter.api.Test
  void pdfA1_forbidsTransparency_soATranslucentColourIsRefused_butPdfA2TakesIt() {
    PadesOptions translucent = PadesOptions.builder().visibleSignature(VisibleSignature.onPage(1)
        .at(50, 60, 260, 80).background(new java.awt.Color(255, 255, 0, 96)).build()).build();
    Identity id = PKI.identity(KeyType.EC_P256);

    assertThatThrownBy(() -> pades.sign(Document.of(pdfA(1), "a1.pdf"), translucent, id.signer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a1.pdf is PDF/A-1, which forbids transparency: the background colour of its visible"
            + " signature must be opaque (its alpha is 96)");

    SignedDocument signed = pades.sign(Document.of(pdfA(2), "a2.pdf"), translucent, id.signer());
    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    assertConforms(signed.bytes(), 2);
  }

  @org.junit.jupiter.api.Test
  void aPdfA1Claim_inAttributeForm_isRecognised() throws Exception {
    byte[] pdf;
    try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdfA(1))) {
      String xmp = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
          + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\""
          + " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"1\" pdfaid:conformance=\"B\"/>"
          + "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
      PDMetadata stream = new PDMetadata(doc);
      stream.importXMPMetadata(xmp.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      doc.getDocumentCatalog().setMetadata(stream);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      pdf = out.toByteArray();
    }
    PadesOptions translucent = PadesOptions.builder().visibleSignature(VisibleSignature.onPage(1)
        .at(50, 60, 260, 80).textColor(new java.awt.Color(0, 0, 0, 128)).build()).build();

    assertThatThrownBy(() -> pades.sign(Document.of(pdf, "a1-attribute.pdf"), translucent,
        PKI.identity(KeyType.EC_P256).signer())).hasMessageContaining("is PDF/A-1, which forbids transparency");
  }

  /** What veraPDF says of {@code pdf} against PDF/A-{@code part}b; fails listing each broken rule. */
  private static void assertConforms(byte[] pdf, int part) {
    PDFAFlavour flavour = PDFAFlavour.fromString(part + "b");
    try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
        PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
      ValidationResult result = validator.validate(parser);
      List<String> failed = result.getTestAssertions().stream()
          .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
          .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + " " + a.getMessage()
              + " (" + a.getLocation().getContext() + ")")
          .distinct().collect(Collectors.toList());
      assertThat(failed).as("veraPDF, PDF/A-%sb", part).isEmpty();
      assertThat(result.isCompliant()).isTrue();
    } catch (ModelParsingException | EncryptedPdfException | ValidationException | IOException e) {
      throw new AssertionError("veraPDF could not read the document", e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A one-page PDF/A-{@code part}b document built with PDFBox: embedded font, sRGB output intent,
   * XMP metadata naming its part and conformance, and nothing in the Info dictionary the XMP does not
   * say.
   */
  static byte[] pdfA(int part) {
    try (PDDocument doc = new PDDocument(); InputStream font = DSSFileFont.initializeDefault().getInputStream()) {
      doc.getDocument().setVersion(part == 1 ? 1.4f : 1.7f);
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDType0Font serif = PDType0Font.load(doc, font);
      try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
        content.beginText();
        content.setFont(serif, 14);
        content.newLineAtOffset(72, 760);
        content.showText("Archived contract, PDF/A-" + part + "b");
        content.endText();
      }
      XMPMetadata xmp = XMPMetadata.createXMPMetadata();
      DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
      dc.setTitle("Archived contract");
      PDFAIdentificationSchema id = xmp.createAndAddPDFAIdentificationSchema();
      id.setPart(part);
      id.setConformance("B");
      ByteArrayOutputStream metadata = new ByteArrayOutputStream();
      new XmpSerializer().serialize(xmp, metadata, true);
      PDMetadata stream = new PDMetadata(doc);
      stream.importXMPMetadata(metadata.toByteArray());
      doc.getDocumentCatalog().setMetadata(stream);
      doc.getDocumentInformation().setTitle("Archived contract");
      PDOutputIntent intent = new PDOutputIntent(doc,
          new ByteArrayInputStream(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));
      intent.setInfo("sRGB IEC61966-2.1");
      intent.setOutputCondition("sRGB IEC61966-2.1");
      intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
      intent.setRegistryName("http://www.color.org");
      doc.getDocumentCatalog().addOutputIntent(intent);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException | org.apache.xmpbox.type.BadFieldValueException
        | javax.xml.transform.TransformerException e) {
      throw new AssertionError(e);
    }
  }
}
