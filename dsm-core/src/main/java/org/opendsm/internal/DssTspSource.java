package org.opendsm.internal;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.model.TimestampBinary;
import eu.europa.esig.dss.spi.x509.tsp.TSPSource;
import org.opendsm.TimestampSource;

/** Lets DSS use any {@link TimestampSource}. */
public final class DssTspSource implements TSPSource {
  private static final long serialVersionUID = 1L;
  private final transient TimestampSource source;

  public DssTspSource(TimestampSource source) {
    this.source = source;
  }

  @Override
  public TimestampBinary getTimeStampResponse(DigestAlgorithm digestAlgorithm, byte[] digest) {
    return new TimestampBinary(source.timestamp(toOurs(digestAlgorithm), digest));
  }

  private static org.opendsm.DigestAlgorithm toOurs(DigestAlgorithm a) {
    return switch (a) {
      case SHA256 -> org.opendsm.DigestAlgorithm.SHA256;
      case SHA384 -> org.opendsm.DigestAlgorithm.SHA384;
      case SHA512 -> org.opendsm.DigestAlgorithm.SHA512;
      default -> throw new IllegalArgumentException("Timestamp digest not supported: " + a);
    };
  }
}
