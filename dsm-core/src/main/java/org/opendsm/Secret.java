package org.opendsm;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password, one-time code, token or other secret. It never shows itself: {@link #toString()}
 * is redacted, {@link #equals} compares in constant time, and the value is reached only through
 * an explicit call. {@link #close()} wipes it.
 *
 * <pre>{@code
 * try (Secret password = Secret.of(console.readPassword())) {
 *   vault.unlock(credential, password);
 * }
 * }</pre>
 */
public final class Secret implements AutoCloseable {
  private final char[] value;
  private volatile boolean wiped;

  private Secret(char[] value) {
    this.value = value;
  }

  /** Copies {@code value}; the caller may wipe its array afterwards. */
  public static Secret of(char[] value) {
    return new Secret(Objects.requireNonNull(value, "value").clone());
  }

  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value").toCharArray());
  }

  /** A copy of the characters; wipe it when done. */
  public char[] chars() {
    checkNotWiped();
    return value.clone();
  }

  /** The UTF-8 bytes; wipe them when done. */
  public byte[] utf8() {
    checkNotWiped();
    ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
    byte[] out = Arrays.copyOfRange(b.array(), b.position(), b.limit());
    Arrays.fill(b.array(), (byte) 0);
    return out;
  }

  /** The value as a string, for APIs that need one (e.g. HTTP forms). */
  public String reveal() {
    checkNotWiped();
    return new String(value);
  }

  public int length() {
    return value.length;
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  /** Overwrites the value; later access throws {@link IllegalStateException}. */
  @Override
  public void close() {
    Arrays.fill(value, '\0');
    wiped = true;
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("This secret was wiped");
    }
  }

  /** Constant-time comparison of the values. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Secret other)) {
      return false;
    }
    byte[] a = utf8();
    byte[] b = other.utf8();
    try {
      return MessageDigest.isEqual(a, b);
    } finally {
      Arrays.fill(a, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
