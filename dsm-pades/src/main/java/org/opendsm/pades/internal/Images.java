package org.opendsm.pades.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Images for signature appearances. */
final class Images {
  private Images() {}

  /**
   * {@code image} (PNG or JPEG) without transparency: an alpha channel is composed onto {@code
   * background} (white where the background is itself translucent) and the result written as PNG; a
   * JPEG or an opaque PNG is returned as it is.
   */
  static byte[] opaque(byte[] image, Color background) {
    if (image.length > 2 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8) {
      return image; // a JPEG has no alpha channel
    }
    try {
      BufferedImage in;
      try {
        in = ImageIO.read(new ByteArrayInputStream(image));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("The signature image cannot be read: " + e.getMessage(), e);
      }
      if (in == null) {
        throw new IllegalArgumentException("The signature image is neither a PNG nor a JPEG");
      }
      if (!in.getColorModel().hasAlpha()) {
        return image;
      }
      BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = out.createGraphics();
      try {
        g.setColor(background.getAlpha() == 255 ? background : Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(in, 0, 0, null);
      } finally {
        g.dispose();
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(out, "png", png);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
