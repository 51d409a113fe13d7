package org.opendsm.server.internal.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.opendsm.Secret;

/** The server's rules for signing passwords: a minimum length and no common password. */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 10;
  private static final int MAX_LENGTH = 256;
  private final Set<String> common = new HashSet<>();

  public PasswordPolicy() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        PasswordPolicy.class.getResourceAsStream("/org/opendsm/server/common-passwords.txt"), StandardCharsets.UTF_8))) {
      in.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> common.add(l.trim()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Empty when acceptable, otherwise what to change (shown to the user). */
  public java.util.Optional<String> problem(Secret password) {
    if (password.length() < MIN_LENGTH) {
      return java.util.Optional.of("Choose a password of at least " + MIN_LENGTH + " characters");
    }
    if (password.length() > MAX_LENGTH) {
      return java.util.Optional.of("Choose a password of at most " + MAX_LENGTH + " characters");
    }
    String lower = password.reveal().toLowerCase(Locale.ROOT);
    if (common.contains(lower) || common.contains(lower.replaceAll("[^a-z0-9@]", ""))) {
      return java.util.Optional.of("This password is among the most common ones; choose another");
    }
    return java.util.Optional.empty();
  }
}
