package org.opendsm.protocol;

/** One authentication object of {@code credentials/authorize} (e.g. PIN, OTP). */
public record AuthData(String id, String value) {
  @Override
  public String toString() {
    return "AuthData[" + id + ", value redacted]";
  }
}
