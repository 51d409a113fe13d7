package org.opendsm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;

/** Whether a PDF ends with its {@code %%EOF} marker (within the last KiB, as readers allow). */
final class PdfTrailer {
  private static final int TAIL = 1024;

  private PdfTrailer() {}

  static boolean hasEof(Document d) {
    try (InputStream in = d.openStream()) {
      long size = d.size().orElse(-1);
      byte[] tail;
      if (size > TAIL) {
        in.skipNBytes(size - TAIL);
        tail = in.readAllBytes();
      } else if (size >= 0) {
        tail = in.readAllBytes();
      } else {
        tail = lastBytes(in);
      }
      return new String(tail, StandardCharsets.ISO_8859_1).contains("%%EOF");
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + d.name() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] lastBytes(InputStream in) throws IOException {
    byte[] ring = new byte[TAIL];
    byte[] buf = new byte[8192];
    long total = 0;
    for (int n; (n = in.read(buf)) != -1; ) {
      for (int i = 0; i < n; i++) {
        ring[(int) (total++ % TAIL)] = buf[i];
      }
    }
    int len = (int) Math.min(total, TAIL);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = ring[(int) ((total - len + i) % TAIL)];
    }
    return out;
  }
}
