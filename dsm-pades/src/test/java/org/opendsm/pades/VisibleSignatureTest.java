package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureValue;
import org.opendsm.SignedDocument;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * Visible PAdES signatures: the page signed looks as the preview showed it (both rendered and
 * compared pixel by pixel), the signature validates, and the appearance survives the two-phase
 * flow through JSON.
 */
class VisibleSignatureTest {
  private static final TestPki PKI = TestPki.shared();
  private final PadesService pades = PadesService.create(PKI.serviceSettings());
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  private static PadesOptions options() {
    return PadesOptions.builder().reason("Render check").location("Luxembourg").visibleSignature(
        VisibleSignature.onPage(-1).at(60, 80, 240, 80).text("Signed by the render test\nline two")
            .fontSize(11).image(Samples.bytes("sample.png")).build()).build();
  }

  @Test
  void theSignedPage_looksAsPreviewed_andTheSignatureValidates() throws Exception {
    Identity id = PKI.identity(KeyType.EC_P256);
    Document pdf = Samples.pdf();

    BufferedImage preview = ImageIO.read(new ByteArrayInputStream(pades.previewAppearance(pdf, options(), id.chain())));
    SignedDocument signed = pades.sign(pdf, options(), id.signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    BufferedImage unsigned = render(pdf.readAllBytes(), preview.getWidth());
    BufferedImage page = render(signed.bytes(), preview.getWidth());
    assertThat(page.getWidth()).isEqualTo(preview.getWidth());
    assertThat(page.getHeight()).isEqualTo(preview.getHeight());
    // Inside the signature's box (60, 80, 240 x 80 points from the top-left):
    double scale = preview.getWidth() / pageWidth(pdf.readAllBytes());
    int[] box = {(int) (60 * scale), (int) (80 * scale), (int) (240 * scale), (int) (80 * scale)};
    double againstPreview = difference(page, preview, box);
    double againstUnsigned = difference(page, unsigned, box);
    assertThat(againstUnsigned).as("the signature shows in its box").isGreaterThan(0.05);
    assertThat(againstPreview).as("and looks as previewed").isLessThan(againstUnsigned / 20);
    assertThat(difference(page, preview, new int[] {0, 0, page.getWidth(), page.getHeight()}))
        .as("the whole page as previewed").isLessThan(0.005);
  }

  @Test
  void theDefaultText_namesTheSigner_andTheTimeZone() throws Exception {
    Identity id = PKI.identity(KeyType.EC_P256);
    PadesOptions o = PadesOptions.builder().reason("Loan").visibleSignature(VisibleSignature.onPage(1)
        .at(40, 40, 260, 70).zone(java.time.ZoneId.of("Europe/Luxembourg")).build()).build();

    SignedDocument signed = pades.sign(Samples.pdf(), o, id.signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    String text;
    try (PDDocument doc = Loader.loadPDF(signed.bytes())) {
      var widget = doc.getSignatureFields().get(0).getWidgets().get(0);
      var appearance = widget.getAppearance().getNormalAppearance().getAppearanceStream();
      text = new String(appearance.getContentStream().toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(widget.getRectangle().getWidth()).isEqualTo(260f);
    }
    assertThat(text).as("the appearance draws text").contains("Tj");
  }

  @Test
  void aVisibleSignature_survivesPrepareAndCompleteThroughJson() {
    Identity id = PKI.identity(KeyType.RSA_2048);
    PreparedSignature prepared = pades.prepare(Samples.pdf(), options(), id.chain());

    PreparedSignature restored = PreparedSignature.fromJson(prepared.toJson());
    SignatureValue value = id.signer().signDigests(restored.digestAlgorithm(), List.of(restored.digest())).get(0);
    SignedDocument signed = pades.complete(Samples.pdf(), restored, value);

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    try (PDDocument doc = Loader.loadPDF(signed.bytes())) {
      PDRectangle box = doc.getSignatureFields().get(0).getWidgets().get(0).getRectangle();
      assertThat(box.getWidth()).isEqualTo(240f);
      assertThat(box.getHeight()).isEqualTo(80f);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFontOfOurOwn_isEmbedded_andSurvivesTwoPhaseSigning() throws Exception {
    byte[] liberation;
    try (var in = PDDocument.class.getResourceAsStream("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
      liberation = in.readAllBytes();
    }
    Identity id = PKI.identity(KeyType.EC_P256);
    PadesOptions o = PadesOptions.builder().visibleSignature(VisibleSignature.onPage(1).at(40, 40, 260, 70)
        .font(liberation).text("Signed in Liberation Sans").build()).build();

    PreparedSignature prepared = PreparedSignature.fromJson(pades.prepare(Samples.pdf(), o, id.chain()).toJson());
    SignatureValue value = id.signer().signDigests(prepared.digestAlgorithm(), List.of(prepared.digest())).get(0);
    SignedDocument signed = pades.complete(Samples.pdf(), prepared, value);

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(org.opendsm.testing.SamplePdfs.signatureAppearanceFonts(signed.bytes()))
        .anyMatch(n -> n.contains("LiberationSans"));
    assertThatThrownBy(() -> VisibleSignature.onPage(1).font("not a font".getBytes()))
        .hasMessageContaining("must be a TrueType font");
    assertThatThrownBy(() -> VisibleSignature.onPage(1).font(new byte[] {'O', 'T', 'T', 'O', 0, 0}))
        .hasMessageContaining("CFF (PostScript) outlines");
    assertThatThrownBy(() -> VisibleSignature.onPage(1).font(new byte[] {0, 1, 0, 0, 9, 9, 9}))
        .hasMessageContaining("The font cannot be read");
  }

  @Test
  void intoAnExistingEmptyField_theSignatureTakesItsPlace() throws Exception {
    Document pdf = Document.of(org.opendsm.testing.SamplePdfs.withEmptySignatureField(Samples.bytes("sample.pdf"), "ApproverSignature"), "with-field.pdf");
    PadesOptions o = PadesOptions.builder().reason("Approval").visibleSignature(
        VisibleSignature.inField("ApproverSignature").text("Approved").build()).build();

    BufferedImage preview = ImageIO.read(new ByteArrayInputStream(pades.previewAppearance(pdf, o,
        PKI.identity(KeyType.EC_P256).chain())));
    SignedDocument signed = pades.sign(pdf, o, PKI.identity(KeyType.EC_P256).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    try (PDDocument doc = Loader.loadPDF(signed.bytes())) {
      assertThat(doc.getSignatureFields()).singleElement().satisfies(f -> {
        assertThat(f.getPartialName()).isEqualTo("ApproverSignature");
        assertThat(f.getSignature()).isNotNull();
        assertThat(f.getWidgets().get(0).getRectangle().getWidth()).isEqualTo(200f);
      });
    }
    BufferedImage page = render(signed.bytes(), preview.getWidth());
    assertThat(difference(page, preview, new int[] {0, 0, page.getWidth(), page.getHeight()}))
        .as("the signed page as previewed").isLessThan(0.005);
    IndependentPdfCheck.assertAccepted(signed.bytes(), 1, dir);
    assertThatThrownBy(() -> pades.sign(pdf, PadesOptions.builder().visibleSignature(
        VisibleSignature.inField("NoSuchField").build()).build(), PKI.identity(KeyType.EC_P256).signer()))
        .hasMessageContaining("NoSuchField");
  }

  @Test
  void aJpegImage_isShown() throws Exception {
    BufferedImage rgb = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
    var g = rgb.createGraphics();
    g.setColor(java.awt.Color.BLUE);
    g.fillRect(0, 0, 120, 60);
    g.dispose();
    var jpeg = new java.io.ByteArrayOutputStream();
    ImageIO.write(rgb, "jpeg", jpeg);
    PadesOptions o = PadesOptions.builder().visibleSignature(VisibleSignature.onPage(1).at(60, 80, 240, 80)
        .image(jpeg.toByteArray()).build()).build();

    SignedDocument signed = pades.sign(Samples.pdf(), o, PKI.identity(KeyType.EC_P256).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
    BufferedImage page = render(signed.bytes(), 600);
    double scale = 600 / pageWidth(signed.bytes());
    int bluish = page.getRGB((int) (100 * scale), (int) (120 * scale));
    assertThat(bluish & 0xff).as("the JPEG's blue shows in the box").isGreaterThan(150);
    assertThat(bluish >> 16 & 0xff).isLessThan(100);
  }

  @Test
  void theDefaultText_saysWhoSignedWhenWhyAndWhere() throws Exception {
    PadesOptions o = PadesOptions.builder().reason("Loan").location("Diekirch").visibleSignature(
        VisibleSignature.onPage(1).at(40, 40, 300, 80).zone(java.time.ZoneId.of("Europe/Luxembourg")).build()).build();

    SignedDocument signed = pades.sign(Samples.pdf(), o, PKI.identity(KeyType.EC_P256).signer());

    String text;
    try (PDDocument doc = Loader.loadPDF(signed.bytes())) {
      doc.getDocumentCatalog().getAcroForm().flatten(); // the appearance into the page, to extract its text
      text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
    }
    assertThat(text).contains("Digitally signed by Test Signer ec-p256", "Reason: Loan", "Location: Diekirch")
        .containsPattern("Date: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\+0[12]:00");
  }

  @Test
  void aPageThatDoesNotExist_isRefusedBeforeAnythingIsSigned() {
    PadesOptions o = PadesOptions.builder().visibleSignature(VisibleSignature.onPage(-99).at(10, 10, 100, 40)
        .build()).build();

    assertThatThrownBy(() -> pades.sign(Samples.pdf(), o, PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Page -99 does not exist");
    assertThatThrownBy(() -> VisibleSignature.onPage(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VisibleSignature.onPage(1).image(new byte[] {1, 2, 3, 4}))
        .hasMessageContaining("PNG or a JPEG");
  }

  /** The signature's page (the last), rendered to {@code width} pixels across. */
  private static BufferedImage render(byte[] pdf, int width) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      int last = doc.getNumberOfPages() - 1;
      float scale = width / doc.getPage(last).getMediaBox().getWidth();
      return new PDFRenderer(doc).renderImage(last, scale);
    }
  }

  private static float pageWidth(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return doc.getPage(doc.getNumberOfPages() - 1).getMediaBox().getWidth();
    }
  }

  /** Mean absolute difference of the RGB channels inside {x, y, width, height}, 0 (same) to 1. */
  private static double difference(BufferedImage a, BufferedImage b, int[] box) {
    long sum = 0;
    int w = Math.min(box[2], Math.min(a.getWidth(), b.getWidth()) - box[0]);
    int h = Math.min(box[3], Math.min(a.getHeight(), b.getHeight()) - box[1]);
    for (int y = box[1]; y < box[1] + h; y++) {
      for (int x = box[0]; x < box[0] + w; x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        sum += Math.abs((p >> 16 & 255) - (q >> 16 & 255)) + Math.abs((p >> 8 & 255) - (q >> 8 & 255))
            + Math.abs((p & 255) - (q & 255));
      }
    }
    return sum / (3.0 * 255 * w * h);
  }
}
