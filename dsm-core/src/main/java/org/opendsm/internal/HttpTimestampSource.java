package org.opendsm.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.opendsm.DigestAlgorithm;
import org.opendsm.TimestampException;
import org.opendsm.TimestampSource;

/**
 * RFC 3161 over HTTP: Bouncy Castle builds the query and parses the reply, the JDK client carries
 * it. The reply is checked against the request (status, nonce, imprint) before use.
 */
public final class HttpTimestampSource implements TimestampSource {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI url;
  private final Duration timeout;
  private final HttpClient http;

  public HttpTimestampSource(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("TSA URL must be http or https: " + url);
    }
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public byte[] timestamp(DigestAlgorithm algorithm, byte[] digest) {
    if (digest.length != algorithm.length()) {
      throw new IllegalArgumentException(
          "digest must be " + algorithm.length() + " bytes for " + algorithm);
    }
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    BigInteger nonce = new BigInteger(64, RANDOM);
    TimeStampRequest request =
        generator.generate(new ASN1ObjectIdentifier(algorithm.oid()), digest, nonce);
    byte[] reply = post(request);
    try {
      TimeStampResponse response = new TimeStampResponse(reply);
      response.validate(request);
      TimeStampToken token = response.getTimeStampToken();
      if (token == null) {
        throw new TimestampException("TSA " + url + " refused the request: "
            + response.getStatusString() + " (status " + response.getStatus() + ")");
      }
      if (!Arrays.equals(token.getTimeStampInfo().getMessageImprintDigest(), digest)) {
        throw new TimestampException("TSA " + url + " stamped a different digest");
      }
      return token.getEncoded();
    } catch (TSPException | IOException e) {
      throw new TimestampException("Invalid reply from TSA " + url + ": " + e.getMessage(), e);
    }
  }

  private byte[] post(TimeStampRequest request) {
    try {
      HttpRequest httpRequest = HttpRequest.newBuilder(url)
          .timeout(timeout)
          .header("Content-Type", "application/timestamp-query")
          .header("Accept", "application/timestamp-reply")
          .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
          .build();
      HttpResponse<byte[]> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new TimestampException(
            "TSA " + url + " answered HTTP " + response.statusCode() + " instead of a timestamp");
      }
      return response.body();
    } catch (IOException e) {
      throw new TimestampException("Cannot reach TSA " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimestampException("Interrupted while waiting for TSA " + url, e);
    }
  }

  @Override
  public String toString() {
    return "TimestampSource[" + url + "]";
  }
}
