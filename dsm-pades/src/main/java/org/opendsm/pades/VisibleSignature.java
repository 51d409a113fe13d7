package org.opendsm.pades;

import java.awt.Color;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a PAdES signature shows on the page: a box on a page (counted from 1; negative from the end,
 * -1 being the last) at a rectangle in PDF points from the page's top-left corner, or an existing
 * empty signature field by name; with text (by default the signer's name, the signing time in
 * {@link Builder#zone}, the reason and the location) in an embedded font (PT Serif, or a TrueType
 * font of your own: {@link Builder#font}), so PDF/A stays PDF/A, and optionally an image (PNG or
 * JPEG) to the left of the text.
 *
 * <pre>{@code
 * PadesOptions.builder().reason("Loan agreement").visibleSignature(
 *     VisibleSignature.onPage(-1).at(360, 700, 200, 60).image(Files.readAllBytes(logo)).build())
 * }</pre>
 */
public final class VisibleSignature {
  private final int page;
  private final float x;
  private final float y;
  private final float width;
  private final float height;
  private final String field;
  private final String text;
  private final float fontSize;
  private final Color textColor;
  private final Color background;
  private final byte[] image;
  private final byte[] font;
  private final ZoneId zone;

  private VisibleSignature(Builder b) {
    this.page = b.page;
    this.x = b.x;
    this.y = b.y;
    this.width = b.width;
    this.height = b.height;
    this.field = b.field;
    this.text = b.text;
    this.fontSize = b.fontSize;
    this.textColor = b.textColor;
    this.background = b.background;
    this.image = b.image;
    this.font = b.font;
    this.zone = b.zone;
  }

  /** A box on page {@code page} (1 = first, -1 = last); place it with {@link Builder#at}. */
  public static Builder onPage(int page) {
    if (page == 0) {
      throw new IllegalArgumentException("Pages count from 1 (first) or from -1 (last); 0 is neither");
    }
    Builder b = new Builder();
    b.page = page;
    return b;
  }

  /** Into the document's existing, empty signature field {@code name}. */
  public static Builder inField(String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("A field name must be 1 to 200 characters");
    }
    Builder b = new Builder();
    b.field = name;
    return b;
  }

  /** 1-based; negative counts from the last page. 0 when the signature goes into a named field. */
  public int page() {
    return page;
  }

  public float x() {
    return x;
  }

  public float y() {
    return y;
  }

  public float width() {
    return width;
  }

  public float height() {
    return height;
  }

  /** The existing signature field to fill, or null. */
  public String field() {
    return field;
  }

  /** The text as given, or null for the default lines. */
  public String text() {
    return text;
  }

  public float fontSize() {
    return fontSize;
  }

  public Color textColor() {
    return textColor;
  }

  public Color background() {
    return background;
  }

  /** The image (PNG or JPEG), or null. */
  public byte[] image() {
    return image == null ? null : image.clone();
  }

  /** The TrueType font the text is drawn in, or null for the default (PT Serif). */
  public byte[] font() {
    return font == null ? null : font.clone();
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VisibleSignature v && page == v.page && x == v.x && y == v.y && width == v.width
        && height == v.height && fontSize == v.fontSize && Objects.equals(field, v.field)
        && Objects.equals(text, v.text) && Objects.equals(textColor, v.textColor)
        && Objects.equals(background, v.background) && Arrays.equals(image, v.image) && Arrays.equals(font, v.font) && zone.equals(v.zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(page, x, y, width, height, field, text, fontSize, textColor, background, zone)
        * 31 + Arrays.hashCode(image) * 17 + Arrays.hashCode(font);
  }

  @Override
  public String toString() {
    return "VisibleSignature[" + (field != null ? "field " + field : "page " + page + " at " + x + "," + y + " "
        + width + "x" + height) + (image != null ? ", image" : "") + (font != null ? ", own font" : "") + "]";
  }

  /** Builds a {@link VisibleSignature}. Not thread-safe. */
  public static final class Builder {
    private int page;
    private float x;
    private float y;
    private float width;
    private float height;
    private String field;
    private String text;
    private float fontSize = 9;
    private Color textColor = Color.BLACK;
    private Color background = Color.WHITE;
    private byte[] image;
    private byte[] font;
    private ZoneId zone = ZoneId.of("UTC");

    private Builder() {}

    /** The box in PDF points (1/72 inch) from the page's top-left corner. */
    public Builder at(float x, float y, float width, float height) {
      if (field != null) {
        throw new IllegalStateException("A signature into field '" + field + "' takes the field's place");
      }
      if (x < 0 || y < 0 || width < 10 || height < 10 || width > 5000 || height > 5000) {
        throw new IllegalArgumentException("The box needs x, y >= 0 and a width and height of 10 to 5000 points");
      }
      this.x = x;
      this.y = y;
      this.width = width;
      this.height = height;
      return this;
    }

    /** The text shown (lines separated by \n), instead of the default lines. */
    public Builder text(String text) {
      if (text == null || text.isBlank() || text.length() > 1000) {
        throw new IllegalArgumentException("The text must be 1 to 1000 characters");
      }
      this.text = text;
      return this;
    }

    public Builder fontSize(float size) {
      if (!(size >= 4 && size <= 72)) { // NaN too
        throw new IllegalArgumentException("The font size must be 4 to 72 points");
      }
      this.fontSize = size;
      return this;
    }

    public Builder textColor(Color color) {
      this.textColor = Objects.requireNonNull(color, "color");
      return this;
    }

    public Builder background(Color color) {
      this.background = Objects.requireNonNull(color, "color");
      return this;
    }

    /** An image shown left of the text: PNG or JPEG. */
    public Builder image(byte[] image) {
      Objects.requireNonNull(image, "image");
      boolean png = image.length > 8 && image[0] == (byte) 0x89 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G';
      boolean jpeg = image.length > 3 && image[0] == (byte) 0xFF && image[1] == (byte) 0xD8;
      if (!png && !jpeg) {
        throw new IllegalArgumentException("The image must be a PNG or a JPEG");
      }
      this.image = image.clone();
      return this;
    }

    /**
     * The font the text is drawn in: a TrueType font (.ttf, or an OpenType font with TrueType
     * outlines) whose licence permits embedding, embedded as a subset of the glyphs used. The
     * default is PT Serif.
     */
    public Builder font(byte[] trueType) {
      Objects.requireNonNull(trueType, "trueType");
      int tag = trueType.length < 4 ? 0 : ((trueType[0] & 0xff) << 24) | ((trueType[1] & 0xff) << 16)
          | ((trueType[2] & 0xff) << 8) | (trueType[3] & 0xff);
      if (tag == 0x4f54544f) { // "OTTO"
        throw new IllegalArgumentException("The font has CFF (PostScript) outlines, which PDFBox cannot embed as a"
            + " subset here: give a TrueType font (.ttf)");
      }
      if (tag != 0x00010000 && tag != 0x74727565) { // version 1.0 or "true"
        throw new IllegalArgumentException("The font must be a TrueType font (.ttf); a collection (.ttc) or other"
            + " data is not taken");
      }
      try (org.apache.fontbox.ttf.TrueTypeFont ttf = new org.apache.fontbox.ttf.TTFParser()
          .parse(new org.apache.pdfbox.io.RandomAccessReadBuffer(trueType))) {
        var os2 = ttf.getOS2Windows();
        if (os2 != null && (os2.getFsType() & 0x000f) == 0x0002) { // restricted-licence embedding
          throw new IllegalArgumentException("The font's licence does not permit embedding it (OS/2 fsType)");
        }
        if (ttf.getUnicodeCmapLookup(false) == null) {
          throw new IllegalArgumentException("The font has no Unicode character map: text cannot be drawn with it");
        }
      } catch (java.io.IOException | RuntimeException e) {
        if (e instanceof IllegalArgumentException refused && refused.getCause() == null) {
          throw refused;
        }
        throw new IllegalArgumentException("The font cannot be read: " + e.getMessage(), e);
      }
      this.font = trueType.clone();
      return this;
    }

    /** The time zone the signing time is shown in (default UTC). */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    public VisibleSignature build() {
      if (field == null && width == 0) {
        throw new IllegalStateException("Place the box with at(x, y, width, height), or sign into a field");
      }
      return new VisibleSignature(this);
    }
  }
}
