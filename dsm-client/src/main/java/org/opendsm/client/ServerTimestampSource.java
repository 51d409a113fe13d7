package org.opendsm.client;

import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.TimestampSource;

/** Timestamps from the signing service's TSA through CSC {@code signatures/timestamp}. */
public final class ServerTimestampSource implements TimestampSource {
  private final DsmClient client;

  public ServerTimestampSource(DsmClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public byte[] timestamp(DigestAlgorithm digestAlgorithm, byte[] digest) {
    try {
      return client.timestamp(digestAlgorithm, digest);
    } catch (RemoteSigningException e) {
      throw new org.opendsm.TimestampException("The signing service gave no timestamp: " + e.getMessage(), e);
    }
  }
}
