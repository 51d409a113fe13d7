package org.opendsm.server.internal.http;

import com.github.mustachejava.Mustache;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.opendsm.Document;
import org.opendsm.DsmException;
import org.opendsm.MediaType;
import org.opendsm.SignatureReport;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;

/**
 * {@code /viewer}: upload a signed file (and its detached content if any) and see each signature,
 * a preview and the DSS reports. Uploads stay in memory for the request and are never stored.
 * Validation trusts this service's roots (every generation) and uses only what the file carries: the server never
 * fetches an address named in an uploaded file (no request forgery through AIA, OCSP or CRL
 * URLs), so a file without its validation data reads INDETERMINATE for revocation.
 */
final class ViewerPages {
  static final int MAX_UPLOAD_MB = 20;
  private static final float PREVIEW_DPI = 60;
  private final java.util.function.Supplier<java.util.List<X509Certificate>> roots;
  private final Mustache template;
  /** The verifier for the roots it was made with; made again when a root is renewed. */
  private volatile Map.Entry<java.util.List<X509Certificate>, Verifier> verifier;

  ViewerPages(java.util.function.Supplier<java.util.List<X509Certificate>> roots, Mustache template) {
    this.roots = roots;
    this.template = template;
  }

  private Verifier verifier() {
    java.util.List<X509Certificate> now = roots.get();
    var current = verifier;
    if (current == null || !current.getKey().equals(now)) {
      TrustSettings.Builder trust = TrustSettings.builder().onlineRevocation(false);
      now.forEach(trust::addTrustAnchor);
      current = Map.entry(now, Verifier.create(trust.build()));
      verifier = current;
    }
    return current.getValue();
  }

  void register(JavalinConfig config) {
    config.jetty.multipartConfig.maxFileSize(MAX_UPLOAD_MB, io.javalin.config.SizeUnit.MB);
    config.jetty.multipartConfig.maxTotalRequestSize(2L * MAX_UPLOAD_MB + 1, io.javalin.config.SizeUnit.MB);
    // Kept in memory, never written to a temporary file.
    config.jetty.multipartConfig.maxInMemoryFileSize(MAX_UPLOAD_MB, io.javalin.config.SizeUnit.MB);
    config.routes.get("/viewer", ctx -> {
      Pages.headersWithInlineImages(ctx);
      ctx.html(Pages.render(template, new HashMap<>(Map.of("maxMb", MAX_UPLOAD_MB))));
    });
    config.routes.post("/viewer", this::view);
  }

  private void view(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    Map<String, Object> model = new HashMap<>();
    model.put("maxMb", MAX_UPLOAD_MB);
    UploadedFile file;
    UploadedFile detached;
    try {
      file = ctx.uploadedFile("file");
      detached = ctx.uploadedFile("detached");
    } catch (Exception tooLargeOrMalformed) {
      // Jetty refuses a part over the limit while parsing the form (BadMessageException).
      model.put("error", "The upload is too large (at most " + MAX_UPLOAD_MB + " MB per file) or not a form upload.");
      ctx.status(413).html(Pages.render(template, model));
      return;
    }
    if (file == null || file.size() == 0) {
      model.put("error", "Choose a signed file to check.");
      ctx.status(400).html(Pages.render(template, model));
      return;
    }
    try {
      byte[] bytes = read(file);
      Document signed = Document.of(bytes, safeName(file.filename()), mediaType(bytes));
      List<Document> contents = detached == null || detached.size() == 0 ? List.of()
          : List.of(Document.of(read(detached), safeName(detached.filename()), mediaType(read(detached))));
      VerificationReport report = verifier().verify(signed, contents);
      model.put("result", result(report));
      preview(bytes, contents.isEmpty() ? null : contents.get(0).readAllBytes(), model);
      model.put("reports", List.of(
          download("Simple report (XML)", "simple-report.xml", "application/xml", report.simpleReportXml()),
          download("Detailed report (XML)", "detailed-report.xml", "application/xml", report.detailedReportXml()),
          download("Diagnostic data (XML)", "diagnostic-data.xml", "application/xml", report.diagnosticDataXml()),
          download("ETSI validation report (XML)", "etsi-report.xml", "application/xml",
              report.etsiValidationReportXml()),
          download("Report (HTML)", "report.html", "text/html", report.html())));
      ctx.html(Pages.render(template, model));
    } catch (DsmException | IllegalArgumentException e) {
      model.put("error", "This file cannot be checked: " + e.getMessage());
      ctx.status(400).html(Pages.render(template, model));
    }
  }

  private static Map<String, Object> result(VerificationReport report) {
    List<Map<String, Object>> signatures = new ArrayList<>();
    for (SignatureReport s : report.signatures()) {
      Map<String, Object> m = new HashMap<>();
      m.put("signer", s.signer() == null ? "unknown" : s.signer());
      m.put("passed", s.passed());
      m.put("indication", s.indication().name());
      m.put("subIndication", s.subIndication());
      m.put("format", s.formatName());
      m.put("signingTime", s.signingTime() == null ? "not claimed" : s.signingTime().toString());
      m.put("bestSignatureTime", s.bestSignatureTime() == null ? "" : s.bestSignatureTime().toString());
      m.put("chain", s.certificateChain());
      m.put("errors", s.errors());
      m.put("hasErrors", !s.errors().isEmpty());
      m.put("warnings", s.warnings());
      m.put("hasWarnings", !s.warnings().isEmpty());
      List<Map<String, Object>> timestamps = new ArrayList<>();
      s.timestamps().forEach(t -> timestamps.add(Map.of("type", t.type(), "time",
          String.valueOf(t.productionTime()), "by", String.valueOf(t.producedBy()), "indication",
          t.indication().name())));
      m.put("timestamps", timestamps);
      signatures.add(m);
    }
    return Map.of("document", report.documentName(), "count", signatures.size(), "signatures", signatures,
        "none", signatures.isEmpty());
  }

  /** A look at the content: a PDF's first page, an image, or XML pretty-printed. */
  private static void preview(byte[] signed, byte[] detached, Map<String, Object> model) {
    byte[] content = detached != null ? detached : signed;
    MediaType type = mediaType(content);
    try {
      if (MediaType.PDF.equals(type)) {
        try (PDDocument pdf = Loader.loadPDF(content)) {
          if (pdf.getNumberOfPages() > 0) {
            BufferedImage page = new PDFRenderer(pdf).renderImageWithDPI(0, PREVIEW_DPI);
            model.put("image", "data:image/png;base64," + Base64.getEncoder().encodeToString(png(page)));
          }
        }
      } else if (MediaType.XML.equals(type)) {
        model.put("xml", prettyXml(content));
      } else {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(content));
        if (image != null) {
          // Re-encoded, never echoed: what the browser gets is a PNG we made.
          model.put("image", "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image)));
        }
      }
    } catch (Exception e) {
      model.put("previewError", "No preview: " + e.getMessage());
    }
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** XML indented, with DTDs refused and no external entity or stylesheet ever resolved. */
  private static String prettyXml(byte[] xml) throws Exception {
    org.w3c.dom.Document dom = org.opendsm.internal.SecureXml.parse(new ByteArrayInputStream(xml));
    TransformerFactory tf = TransformerFactory.newInstance();
    tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
    Transformer t = tf.newTransformer();
    t.setOutputProperty(OutputKeys.INDENT, "yes");
    t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
    StringWriter out = new StringWriter();
    t.transform(new DOMSource(dom), new StreamResult(out));
    String text = out.toString();
    return text.length() > 200_000 ? text.substring(0, 200_000) + "\n…" : text;
  }

  private static Map<String, String> download(String label, String name, String type, String content) {
    return Map.of("label", label, "name", name, "href", "data:" + type + ";base64,"
        + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] read(UploadedFile file) {
    try (InputStream in = file.content()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalArgumentException("the upload could not be read");
    }
  }

  /** What the bytes are, by their first bytes (the upload's declared type is not trusted). */
  static MediaType mediaType(byte[] b) {
    if (b.length >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F' && b[4] == '-') {
      return MediaType.PDF;
    }
    String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.UTF_8).stripLeading();
    if (head.startsWith("<?xml") || head.startsWith("<")) {
      return MediaType.XML;
    }
    return MediaType.OCTET_STREAM;
  }

  private static String safeName(String name) {
    String n = name == null ? "upload" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    return n.isEmpty() ? "upload" : n.substring(0, Math.min(n.length(), 100));
  }
}
