package org.opendsm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.opendsm.Document;

/** Small sample documents bundled with dsm-testing: a one-page PDF, a PNG and an XML invoice. */
public final class Samples {
  private Samples() {}

  public static Document pdf() {
    return load("sample.pdf");
  }

  public static Document png() {
    return load("sample.png");
  }

  public static Document xml() {
    return load("sample.xml");
  }

  public static byte[] bytes(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No sample named " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document load(String name) {
    return Document.of(bytes(name), name);
  }
}
