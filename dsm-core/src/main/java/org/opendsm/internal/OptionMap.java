package org.opendsm.internal;

import java.util.HashMap;
import java.util.Map;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureOptions;
import org.opendsm.SignaturePackaging;

/** The string form of signing options inside a prepared signature, read with clear errors. */
public final class OptionMap {
  private final Map<String, String> values;

  public OptionMap(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The options every format has: level, digest algorithm, packaging. */
  public static Map<String, String> common(SignatureOptions options) {
    Map<String, String> m = new HashMap<>();
    m.put("level", options.level().name());
    m.put("digestAlgorithm", options.digestAlgorithm().name());
    m.put("packaging", options.packaging().name());
    if (!options.signedAttributes().isEmpty()) {
      m.put("signedAttributes", SignedAttributesCodec.encode(options.signedAttributes()));
    }
    return m;
  }

  /** The signed attributes, {@link SignedAttributes#NONE} when absent. */
  public org.opendsm.SignedAttributes signedAttributes() {
    String v = values.get("signedAttributes");
    return v == null ? org.opendsm.SignedAttributes.NONE : SignedAttributesCodec.decode(v);
  }

  public SignatureLevel level() {
    return parse("level", SignatureLevel.class);
  }

  public DigestAlgorithm digestAlgorithm() {
    return parse("digestAlgorithm", DigestAlgorithm.class);
  }

  public SignaturePackaging packaging() {
    return parse("packaging", SignaturePackaging.class);
  }

  /** An optional text option, {@code null} when absent. */
  public String text(String key) {
    return values.get(key);
  }

  private <E extends Enum<E>> E parse(String key, Class<E> type) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("The prepared signature lacks the option '" + key + "'");
    }
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The prepared signature has an invalid " + key + ": '" + v + "'", e);
    }
  }
}
