package org.opendsm.pades.internal;

import eu.europa.esig.dss.enumerations.SignerTextPosition;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.pades.DSSFileFont;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.SignatureFieldParameters;
import eu.europa.esig.dss.pades.SignatureImageParameters;
import eu.europa.esig.dss.pades.SignatureImageTextParameters;
import java.awt.Color;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.opendsm.Document;
import org.opendsm.internal.OptionMap;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.VisibleSignature;

/** A {@link VisibleSignature} as DSS parameters, and in the options of a prepared signature. */
final class VisibleSignatures {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");
  private static final String PREFIX = "visible.";

  private VisibleSignatures() {}

  /**
   * The appearance of {@code v} on {@code document}. A document that claims PDF/A-1 stays PDF/A-1:
   * that part forbids transparency, so an image's alpha channel is flattened onto the background and
   * a translucent colour is refused.
   */
  static SignatureImageParameters parameters(VisibleSignature v, Document document, PadesOptions o,
      PAdESSignatureParameters p) {
    PdfFacts facts = PdfFacts.read(document, p.getPasswordProtection());
    SignatureFieldParameters field = new SignatureFieldParameters();
    if (v.field() != null) {
      field.setFieldId(v.field());
    } else {
      field.setPage(page(v.page(), document.name(), facts.pages()));
      field.setOriginX(v.x());
      field.setOriginY(v.y());
      field.setWidth(v.width());
      field.setHeight(v.height());
    }
    SignatureImageTextParameters text = new SignatureImageTextParameters();
    text.setText(v.text() != null ? v.text() : defaultText(v, o, p));
    // PT Serif or the caller's TrueType font, embedded as a subset: the signature adds no
    // unembedded font (PDF/A stays PDF/A).
    DSSFileFont font = v.font() == null ? DSSFileFont.initializeDefault()
        : new DSSFileFont(new InMemoryDocument(v.font(), "signature-font.ttf"));
    font.setSize(v.fontSize());
    font.setEmbedFontSubset(true); // only the glyphs drawn: a large font does not weigh on every signed PDF
    text.setFont(font);
    if (facts.pdfaPart() == 1) {
      requireOpaque(v.textColor(), "text colour", document);
      requireOpaque(v.background(), "background colour", document);
    }
    text.setTextColor(v.textColor());
    text.setBackgroundColor(v.background());
    text.setPadding(4);
    SignatureImageParameters image = new SignatureImageParameters();
    image.setFieldParameters(field);
    image.setTextParameters(text);
    image.setBackgroundColor(v.background());
    if (v.image() != null) {
      byte[] picture = facts.pdfaPart() == 1 ? Images.opaque(v.image(), v.background()) : v.image();
      image.setImage(new InMemoryDocument(picture, "signature-image"));
      text.setSignerTextPosition(SignerTextPosition.RIGHT);
    }
    return image;
  }

  private static void requireOpaque(Color c, String what, Document document) {
    if (c.getAlpha() != 255) {
      throw new IllegalArgumentException(document.name() + " is PDF/A-1, which forbids transparency: the " + what
          + " of its visible signature must be opaque (its alpha is " + c.getAlpha() + ")");
    }
  }

  /** The signer, the signing time in the chosen zone, the reason and the location, one per line. */
  private static String defaultText(VisibleSignature v, PadesOptions o, PAdESSignatureParameters p) {
    List<String> lines = new ArrayList<>();
    String signer = o.signerName() != null ? o.signerName() : commonName(p);
    lines.add("Digitally signed by " + signer);
    lines.add("Date: " + TIME.format(p.bLevel().getSigningDate().toInstant().atZone(v.zone())));
    if (o.reason() != null) {
      lines.add("Reason: " + o.reason());
    }
    if (o.location() != null) {
      lines.add("Location: " + o.location());
    }
    return String.join("\n", lines);
  }

  private static String commonName(PAdESSignatureParameters p) {
    X500Name subject = X500Name.getInstance(p.getSigningCertificate().getCertificate().getSubjectX500Principal()
        .getEncoded());
    RDN[] cn = subject.getRDNs(BCStyle.CN);
    return cn.length > 0 ? cn[0].getFirst().getValue().toString() : subject.toString();
  }

  /** A page number counted from 1, or from the end when negative, checked against the document's pages. */
  private static int page(int page, String name, int count) {
    int resolved = page > 0 ? page : count + 1 + page;
    if (resolved < 1 || resolved > count) {
      throw new IllegalArgumentException("Page " + page + " does not exist: " + name + " has " + count
          + (count == 1 ? " page" : " pages"));
    }
    return resolved;
  }

  static void encode(VisibleSignature v, Map<String, String> m) {
    if (v == null) {
      return;
    }
    if (v.field() != null) {
      m.put(PREFIX + "field", v.field());
    } else {
      m.put(PREFIX + "page", Integer.toString(v.page()));
      m.put(PREFIX + "box", v.x() + "," + v.y() + "," + v.width() + "," + v.height());
    }
    if (v.text() != null) {
      m.put(PREFIX + "text", v.text());
    }
    m.put(PREFIX + "fontSize", Float.toString(v.fontSize()));
    m.put(PREFIX + "textColor", Integer.toString(v.textColor().getRGB()));
    m.put(PREFIX + "background", Integer.toString(v.background().getRGB()));
    m.put(PREFIX + "zone", v.zone().getId());
    if (v.image() != null) {
      m.put(PREFIX + "image", Base64.getEncoder().encodeToString(v.image()));
    }
    if (v.font() != null) {
      m.put(PREFIX + "font", Base64.getEncoder().encodeToString(v.font()));
    }
  }

  static VisibleSignature decode(OptionMap m) {
    String field = m.text(PREFIX + "field");
    String page = m.text(PREFIX + "page");
    if (field == null && page == null) {
      return null;
    }
    VisibleSignature.Builder b;
    if (field != null) {
      b = VisibleSignature.inField(field);
    } else {
      b = VisibleSignature.onPage(Integer.parseInt(page));
      String[] box = m.text(PREFIX + "box").split(",");
      b.at(Float.parseFloat(box[0]), Float.parseFloat(box[1]), Float.parseFloat(box[2]), Float.parseFloat(box[3]));
    }
    if (m.text(PREFIX + "text") != null) {
      b.text(m.text(PREFIX + "text"));
    }
    b.fontSize(Float.parseFloat(m.text(PREFIX + "fontSize")))
        .textColor(new Color(Integer.parseInt(m.text(PREFIX + "textColor")), true))
        .background(new Color(Integer.parseInt(m.text(PREFIX + "background")), true))
        .zone(ZoneId.of(m.text(PREFIX + "zone")));
    if (m.text(PREFIX + "image") != null) {
      b.image(Base64.getDecoder().decode(m.text(PREFIX + "image")));
    }
    if (m.text(PREFIX + "font") != null) {
      b.font(Base64.getDecoder().decode(m.text(PREFIX + "font")));
    }
    return b.build();
  }
}
